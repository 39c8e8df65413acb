"""Follow-ups of the press offices: the portal's own pages belong to its administrators (and
existing installations move them there), one mail per person per change of an appointment, and
page keys that change with the code."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from releases.roles import PORTAL_ADMINISTRATORS, PRESS_LEADS

MOVED = [
    ("legal", "change_legalpage"),
    ("legal", "view_feedback"),
    ("alerts", "view_subscriber"),
    ("alerts", "view_delivery"),
]


def granted(group_name: str) -> set[tuple[str, str]]:
    permissions = Group.objects.get(name=group_name).permissions
    return set(permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_legal_pages_and_subscribers_from_the_leads_to_the_portal():
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from contacts.models import OfficeMembership, Organisation
    from tests.conftest import role

    role(PRESS_LEADS)
    MigrationExecutor(connection).migrate([("legal", "0002_pages_and_roles")])
    # An installation as it was: the leads hold the portal's pages, the administrators do not.
    moved = Permission.objects.none()
    for app_label, codename in MOVED:
        moved |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    Group.objects.get(name=PRESS_LEADS).permissions.add(*moved)
    Group.objects.get(name=PORTAL_ADMINISTRATORS).permissions.remove(*moved)
    office = Organisation.objects.create(name="Amt", slug="amt")
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.create_user("alt-lead", is_staff=True)
    OfficeMembership.objects.create(user=lead, organisation=office, role="lead")
    assert lead.has_perm("legal.change_legalpage")

    call_command("migrate", verbosity=0)

    assert not set(MOVED) & granted(PRESS_LEADS)
    assert set(MOVED) <= granted(PORTAL_ADMINISTRATORS)
    lead = get_user_model().objects.get(pk=lead.pk)
    assert not lead.has_perm("legal.change_legalpage")
    assert not lead.has_perm("alerts.view_subscriber")
    assert lead.has_perm("releases.approve_release")  # the office role itself is untouched


# One mail per person per change of an appointment ---------------------------------------------


@pytest.mark.parametrize("change", ["move", "cancel"])
def test_an_applicant_who_follows_the_appointment_gets_one_mail_about_a_change(
    change, lead, issuer, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.conf import settings
    from django.core import mail
    from django.utils import timezone, translation
    from django.utils.translation import gettext

    from alerts.models import Subscriber
    from appointments import workflow
    from appointments.models import Accreditation, ApplicationStatus, Appointment, State

    now = timezone.now()
    appointment = Appointment.objects.create(
        issuer=issuer,
        slug="pk",
        title="Pressekonferenz Kreativwirtschaft",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=1),
        venue="Ministerium",
        state=State.APPROVED,
        go_live_at=now - timedelta(hours=1),
        first_published_at=now - timedelta(hours=1),
        go_live_handled_at=now,
    )
    for email in ("Erika@Presse.example", "nur-abo@example.org"):
        Subscriber.objects.create(email=email, confirmed_at=now, wants_appointments=True)
    # She applied twice (another outlet); the second address differs in case only.
    for email, outlet in [("erika@presse.example", "Zeitung"), ("ERIKA@presse.example", "Radio")]:
        Accreditation.objects.create(
            appointment=appointment,
            name="Erika",
            outlet=outlet,
            email=email,
            consent_text="ja",
            status=ApplicationStatus.ACCEPTED,
            confirmed_at=now,
        )
    mail.outbox.clear()
    data = {"data": {"venue": "Messehalle 3"}} if change == "move" else {"confirmed": True}
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        workflow.take(appointment.pk, change, lead, comment="Mehr Platz.", **data)
    told = sorted(to.lower() for message in mail.outbox for to in message.to)
    assert told == ["erika@presse.example", "nur-abo@example.org"]
    [hers] = [message for message in mail.outbox if message.to[0].lower().startswith("erika")]
    # The applicant's mail (in the site's language), which speaks of her application: the more
    # specific of the two.
    subject = "Cancelled: %(title)s" if change == "cancel" else "Change of plan: %(title)s"
    with translation.override(settings.LANGUAGE_CODE):
        assert gettext("You applied for accreditation for this appointment.") in hers.body
        assert hers.subject == gettext(subject) % {"title": appointment.title}


# The page cache and a deploy ---------------------------------------------------------------------


def test_a_new_code_version_serves_freshly_built_pages(client, db, settings, monkeypatch):
    from newsroom import cache

    built = []
    build = cache.build

    def counting_build(view, request, *args, **kwargs):
        built.append(request.path)
        return build(view, request, *args, **kwargs)

    monkeypatch.setattr(cache, "build", counting_build)
    settings.NEWSROOM_CACHE_PAGES = True

    def served(release="", fingerprint="aaaa"):
        settings.NEWSROOM_RELEASE = release
        monkeypatch.setattr(cache, "deployment_fingerprint", lambda: fingerprint)
        assert client.get("/").status_code == 200
        return len(built)

    # The operator's release name, the same for every process of a release.
    assert served("2026.11.1") == 1
    assert served("2026.11.1") == 1  # from the cache
    assert served("2026.11.2") == 2  # a deploy: built by the new code
    assert served("2026.11.2") == 2
    # Without one, the installed code's fingerprint.
    assert served(fingerprint="aaaa") == 3
    assert served(fingerprint="aaaa") == 3
    assert served(fingerprint="bbbb") == 4


def test_purge_edge_empties_the_configured_edge_and_needs_none(settings, monkeypatch):
    from io import StringIO

    from newsroom import edge
    from newsroom.cache import EVERYTHING

    sent = []

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        sent.append((request.full_url, request.get_method(), request.headers["Xkey-purge"]))
        return Answer()

    monkeypatch.setattr(edge.urllib.request, "urlopen", urlopen)
    settings.NEWSROOM_EDGE_PURGE_URLS = []
    call_command("purge_edge", stdout=StringIO())
    assert sent == []
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/", "http://10.0.0.2:6081/"]
    out = StringIO()
    call_command("purge_edge", stdout=out)
    assert sent == [
        ("http://127.0.0.1:6081/", "PURGE", EVERYTHING),
        ("http://10.0.0.2:6081/", "PURGE", EVERYTHING),
    ]
    assert "2 of 2" in out.getvalue()


def test_a_new_code_version_renders_feed_items_anew(client, make_release, settings, monkeypatch):
    from releases import feeds

    make_release(body="<p>Der Text.</p>")
    # Only the item renderings are kept across requests here, not the feed page.
    settings.NEWSROOM_CACHE_PAGES = False
    settings.NEWSROOM_RELEASE = "2026.11.1"
    assert "Der Text." in client.get("/feeds/pressemitteilungen.atom").content.decode()
    monkeypatch.setattr(feeds, "full_text", lambda release: "<p>Neue Vorlage.</p>")
    assert "Neue Vorlage." not in client.get("/feeds/pressemitteilungen.atom").content.decode()
    settings.NEWSROOM_RELEASE = "2026.11.2"
    assert "Neue Vorlage." in client.get("/feeds/pressemitteilungen.atom").content.decode()
