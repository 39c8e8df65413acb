"""Press appointments: the shared workflow, public pages, calendar feeds and accreditation."""

import re
from datetime import timedelta

import icalendar
import pytest
import time_machine
import vobject
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appointments import accreditation, editing, workflow
from appointments.models import Accreditation, ApplicationStatus, Appointment, State
from newsroom.workflow import TransitionRefused
from releases.models import Topic
from tests.helpers import join_every_office


@pytest.fixture
def make_appointment(issuer):
    def make(slug="pk", *, live=True, **fields):
        now = timezone.now()
        defaults = {
            "issuer": issuer,
            "title": "Pressekonferenz Kreativwirtschaft",
            "starts_at": now + timedelta(days=3),
            "ends_at": now + timedelta(days=3, hours=1),
            "venue": "Ministerium",
            "address": "Musterstraße 1, 01097 Dresden",
        }
        if live:
            defaults |= {
                "state": State.APPROVED,
                "go_live_at": now - timedelta(hours=1),
                "first_published_at": now - timedelta(hours=1),
            }
        return Appointment.objects.create(slug=slug, **(defaults | fields))

    return make


def write_draft(officer, issuer, **fields):
    appointment = Appointment(
        issuer=issuer,
        title="Ortstermin Baustelle",
        slug="ortstermin",
        starts_at=timezone.now() + timedelta(days=5),
        **fields,
    )
    return editing.save_edit(appointment, officer, lambda a: a.save()).subject


# --- workflow (the releases' machinery) ---------------------------------------------------------


def test_embargoed_appointment_is_nowhere_public_before_its_second(client, make_appointment):
    later = timezone.now() + timedelta(hours=2)
    make_appointment("geheim", go_live_at=later, first_published_at=later)
    assert client.get("/termine/geheim/").status_code == 404
    assert "geheim" not in client.get("/termine/").content.decode()
    assert b"SUMMARY" not in client.get("/feeds/termine.ics").content
    with time_machine.travel(later + timedelta(seconds=1)):
        assert client.get("/termine/geheim/").status_code == 200
        assert b"SUMMARY" in client.get("/feeds/termine.ics").content


@pytest.mark.parametrize(
    ("state", "live", "may_change", "may_delete"),
    [
        (State.DRAFT, False, True, True),
        (State.APPROVED, True, True, False),  # a lead corrects it; it is cancelled, not deleted
        (State.CANCELLED, True, False, False),  # a closed record
    ],
)
def test_what_the_state_of_an_appointment_allows_in_the_admin(
    client, lead, make_appointment, state, live, may_change, may_delete
):
    appointment = make_appointment("termin", live=live, state=state)
    client.force_login(lead)
    change = client.get(reverse("admin:appointments_appointment_change", args=[appointment.pk]))
    assert change.status_code == 200
    assert ('name="title"' in change.content.decode()) is may_change
    delete = client.get(reverse("admin:appointments_appointment_delete", args=[appointment.pk]))
    assert (delete.status_code == 200) is may_delete


def test_appointment_workflow_keeps_four_eyes_and_version_pin(
    officer, lead, issuer, django_user_model
):
    appointment = write_draft(officer, issuer)
    workflow.take(appointment.pk, "submit", officer)
    with pytest.raises(TransitionRefused) as refusal:
        workflow.take(appointment.pk, "publish_now", lead, version=appointment.version + 1)
    assert refusal.value.code == "stale_version"
    # The lead edits it and may then not approve their own text.
    appointment.refresh_from_db()
    appointment.title = "Ortstermin Neubau"
    editing.save_edit(appointment, lead, lambda a: a.save())
    appointment.refresh_from_db()
    with pytest.raises(TransitionRefused) as refusal:
        workflow.take(appointment.pk, "publish_now", lead, version=appointment.version)
    assert refusal.value.code == "four_eyes"
    other = django_user_model.objects.create_user("lead2", is_staff=True)
    join_every_office(other, "lead")
    workflow.take(appointment.pk, "publish_now", other, version=appointment.version)
    assert Appointment.objects.live().filter(pk=appointment.pk).exists()


def test_officer_cannot_approve_an_appointment(officer, issuer):
    appointment = write_draft(officer, issuer)
    workflow.take(appointment.pk, "submit", officer)
    with pytest.raises(Exception) as refusal:
        workflow.take(appointment.pk, "publish_now", officer, version=appointment.version)
    assert type(refusal.value).__name__ == "PermissionDenied"


def test_changing_a_scheduled_appointment_voids_its_approval(officer, lead, issuer):
    appointment = write_draft(officer, issuer)
    workflow.take(appointment.pk, "submit", officer)
    workflow.take(
        appointment.pk,
        "approve",
        lead,
        version=appointment.version,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    appointment.refresh_from_db()
    appointment.venue = "Anderswo"
    with pytest.raises(editing.EditRefused):
        editing.save_edit(appointment, officer, lambda a: a.save())
    edit = editing.save_edit(appointment, officer, lambda a: a.save(), confirmed=True)
    assert edit.voided_approval
    appointment.refresh_from_db()
    assert appointment.state == State.IN_REVIEW and appointment.go_live_at is None


def test_correcting_a_live_appointment_needs_a_note_and_raises_the_sequence(lead, make_appointment):
    appointment = make_appointment()
    appointment.room = "Saal 2"
    with pytest.raises(editing.EditRefused):
        editing.save_edit(appointment, lead, lambda a: a.save(), confirmed=True)
    editing.save_edit(
        appointment, lead, lambda a: a.save(), confirmed=True, change_note="Neuer Saal."
    )
    appointment.refresh_from_db()
    assert appointment.sequence == 1
    assert appointment.notices.get().note == "Neuer Saal."


# --- postpone, move, cancel; calendar feeds ---------------------------------------------------


def parse_both(body: bytes):
    """Parse with icalendar and with vobject; both must accept the feed."""
    parsed = icalendar.Calendar.from_ical(body)
    second = vobject.readOne(body.decode())
    return parsed, second


def test_postponed_appointment_keeps_its_url_and_its_calendar_entry_moves(
    client, lead, make_appointment, django_capture_on_commit_callbacks
):
    appointment = make_appointment()
    Accreditation.objects.create(
        appointment=appointment,
        name="Jo",
        outlet="Zeitung",
        email="jo@example.org",
        consent_text="ja",
        confirmed_at=timezone.now(),
    )
    new_start = timezone.localtime(appointment.starts_at + timedelta(days=7)).replace(
        second=0, microsecond=0
    )
    before, _ = parse_both(client.get("/feeds/termine.ics").content)
    (old_event,) = before.walk("VEVENT")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(appointment.pk, "postpone", lead, data={"starts_at": new_start})

    page = client.get(appointment.get_absolute_url()).content.decode()
    assert "Verschoben auf" in page or "Postponed to" in page
    feed = client.get("/feeds/termine.ics").content
    parsed, second = parse_both(feed)
    (event,) = parsed.walk("VEVENT")
    assert event["UID"] == old_event["UID"]
    assert int(event["SEQUENCE"]) > int(old_event["SEQUENCE"])
    assert event.decoded("DTSTART") == new_start
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    assert second.vevent.dtstart.value == new_start
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]  # the applicant is told


def test_moved_and_cancelled_appointments_in_the_feed(client, lead, make_appointment):
    moved, cancelled = make_appointment("a"), make_appointment("b")
    workflow.take(moved.pk, "move", lead, data={"venue": "Messehalle 3", "address": "Messering 6"})
    with pytest.raises(TransitionRefused):
        workflow.take(cancelled.pk, "cancel", lead, comment="Krank")  # not confirmed
    workflow.take(cancelled.pk, "cancel", lead, comment="Minister erkrankt", confirmed=True)

    parsed, second = parse_both(client.get("/feeds/termine.ics").content)
    events = {str(e["URL"]).rstrip("/").rsplit("/", 1)[1]: e for e in parsed.walk("VEVENT")}
    assert events["b"]["STATUS"] == "CANCELLED"
    assert events["a"]["STATUS"] == "CONFIRMED" and "Messehalle 3" in events["a"]["LOCATION"]
    assert sorted(str(e.status.value) for e in second.vevent_list) == ["CANCELLED", "CONFIRMED"]
    page = client.get("/termine/b/")
    assert page.status_code == 200 and "Minister erkrankt" in page.content.decode()


def test_calendar_feed_answers_conditional_get_and_changes_its_etag(client, lead, make_appointment):
    appointment = make_appointment()
    first = client.get("/feeds/termine.ics")
    assert first["Content-Type"].startswith("text/calendar")
    assert client.get("/feeds/termine.ics", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    workflow.take(appointment.pk, "cancel", lead, comment="Abgesagt", confirmed=True)
    again = client.get("/feeds/termine.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and b"STATUS:CANCELLED" in again.content


def test_feeds_per_issuer_and_topic_and_unknown_ones_404(client, issuer, make_appointment):
    topic = Topic.objects.create(name="Kultur", slug="kultur")
    make_appointment("mit-thema").topics.add(topic)
    make_appointment("ohne-thema")
    by_topic = client.get("/feeds/termine/themen/kultur.ics").content.decode()
    assert "mit-thema" in by_topic and "ohne-thema" not in by_topic
    by_issuer = client.get(f"/feeds/termine/herausgeber/{issuer.slug}.ics").content.decode()
    assert "ohne-thema" in by_issuer
    assert client.get("/feeds/termine/themen/gibts-nicht.ics").status_code == 404
    assert client.get("/termine/?thema=gibts-nicht").status_code == 404


# --- public pages -----------------------------------------------------------------------------


def test_detail_page_has_map_link_calendar_file_and_event_json_ld(client, make_appointment):
    appointment = make_appointment()
    page = client.get(appointment.get_absolute_url()).content.decode()
    assert "https://www.openstreetmap.org/search?query=Musterstra%C3%9Fe+1" in page
    assert '"@type": "Event"' in page and "<iframe" not in page
    ics = client.get(reverse("appointments:ics", args=[appointment.slug]))
    parse_both(ics.content)


def test_list_shows_upcoming_home_shows_next_archive_shows_past(client, make_appointment):
    make_appointment("kommt")
    make_appointment(
        "war",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10) + timedelta(hours=1),
    )
    listing = client.get("/termine/").content.decode()
    assert "/termine/kommt/" in listing and "/termine/war/" not in listing
    assert "/termine/war/" in client.get("/termine/archiv/").content.decode()
    assert "/termine/kommt/" in client.get("/").content.decode()
    assert "/feeds/termine.ics" in client.get("/feeds/").content.decode()


# --- accreditation ----------------------------------------------------------------------------


@pytest.fixture
def accredited(make_appointment):
    return make_appointment(
        "akk",
        requires_accreditation=True,
        accreditation_deadline=timezone.now() + timedelta(days=1),
        capacity=1,
    )


APPLICATION = {
    "name": "Jo Reporter",
    "outlet": "Tageblatt",
    "role": "Redakteur",
    "email": "jo@example.org",
    "consent": "on",
}


def confirm_link(message) -> str:
    return re.search(r"http://\S+/akkreditierung/\S+/", message.body).group(0).split("8000")[-1]


def test_application_is_double_opt_in_and_the_second_goes_on_the_waiting_list(
    client, accredited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/termine/akk/akkreditierung/", APPLICATION)
    assert response.status_code == 302
    (message,) = mail.outbox
    application = Accreditation.objects.get()
    assert not application.is_confirmed
    link = confirm_link(message)
    client.get(link)  # a mail scanner's GET confirms nothing
    application.refresh_from_db()
    assert not application.is_confirmed
    client.post(link)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING and application.is_confirmed

    second = Accreditation.objects.create(
        appointment=accredited, name="B", outlet="C", email="b@example.org", consent_text="x"
    )
    assert accreditation.confirm(second).status == ApplicationStatus.WAITING_LIST


def test_application_needs_consent(client, accredited):
    response = client.post("/termine/akk/akkreditierung/", {**APPLICATION, "consent": ""})
    assert response.status_code == 200 and not Accreditation.objects.exists()


def test_form_closes_at_the_deadline(client, accredited):
    with time_machine.travel(accredited.accreditation_deadline + timedelta(seconds=1)):
        response = client.post("/termine/akk/akkreditierung/", APPLICATION)
    assert response.status_code == 400 and not Accreditation.objects.exists()


def test_accepting_never_exceeds_the_places_and_mails_the_decision(
    lead, accredited, django_capture_on_commit_callbacks
):
    first, second = (
        Accreditation.objects.create(
            appointment=accredited,
            name=name,
            outlet="Zeitung",
            email=f"{name}@example.org",
            consent_text="x",
            confirmed_at=timezone.now(),
        )
        for name in ["a", "b"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        accreditation.decide(first, ApplicationStatus.ACCEPTED, lead, "Willkommen, Einlass 9 Uhr.")
    assert mail.outbox[-1].to == ["a@example.org"] and "Einlass" in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        accreditation.decide(second, ApplicationStatus.ACCEPTED, lead)


def test_door_list_csv_for_leads_only(client, officer, lead, accredited):
    Accreditation.objects.create(
        appointment=accredited,
        name="=HYPERLINK()",
        outlet="Tageblatt",
        email="x@example.org",
        consent_text="x",
        confirmed_at=timezone.now(),
        status=ApplicationStatus.ACCEPTED,
    )
    url = reverse("admin:appointments_appointment_door_list_csv", args=[accredited.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(lead)
    body = client.get(url).content.decode("utf-8-sig")
    assert "Tageblatt" in body and "'=HYPERLINK()" in body
    printable = reverse("admin:appointments_appointment_door_list", args=[accredited.pk])
    assert "Tageblatt" in client.get(printable).content.decode()


def test_personal_data_is_deleted_after_the_retention_period(accredited):
    Accreditation.objects.create(
        appointment=accredited,
        name="a",
        outlet="b",
        email="a@example.org",
        consent_text="x",
        confirmed_at=timezone.now(),
    )
    day_before = accredited.personal_data_deleted_on - timedelta(hours=1)
    with time_machine.travel(day_before):
        call_command("purge_accreditations")
    assert Accreditation.objects.count() == 1
    with time_machine.travel(accredited.personal_data_deleted_on + timedelta(minutes=1)):
        call_command("purge_accreditations")
    assert not Accreditation.objects.exists()


def test_admin_lists_appointments_with_the_deletion_date(client, lead, accredited):
    client.force_login(lead)
    page = client.get(reverse("admin:appointments_appointment_changelist")).content.decode()
    assert timezone.localtime(accredited.personal_data_deleted_on).strftime("%d.%m.%Y") in page


# --- e-mail alerts for appointments -------------------------------------------------------------


def follower(email, *, frequency="immediate", releases=False, appointments=True, **choices):
    from alerts.models import Subscriber

    subscriber = Subscriber.objects.create(
        email=email,
        confirmed_at=timezone.now(),
        frequency=frequency,
        wants_releases=releases,
        wants_appointments=appointments,
    )
    subscriber.topics.set(choices.get("topics", []))
    subscriber.issuers.set(choices.get("issuers", []))
    return subscriber


def mailed(title):
    return sorted(to for m in mail.outbox if title in m.subject for to in m.to)


@pytest.mark.django_db(transaction=True)
def test_approval_schedules_the_appointment_alert_for_its_publication_second(
    settings, officer, lead, issuer
):
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    from contacts.models import Organisation
    from releases.roles import PRESS_LEADS, PRESS_OFFICERS, sync_roles

    if not Group.objects.filter(name__in=[PRESS_LEADS, PRESS_OFFICERS]).exists():
        from django.apps import apps

        sync_roles(apps)
        officer.groups.add(Group.objects.get(name=PRESS_OFFICERS))
        lead.groups.add(Group.objects.get(name=PRESS_LEADS))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    other = Organisation.objects.create(name="Anderes Amt", slug="anderes-amt")
    follower("alle@example.org")
    follower("haus@example.org", issuers=[issuer])
    follower("fremd@example.org", issuers=[other])
    follower("nur-meldungen@example.org", releases=True, appointments=False)
    appointment = write_draft(officer, issuer)
    workflow.take(appointment.pk, "submit", officer)
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    workflow.take(appointment.pk, "approve", lead, version=appointment.version, go_live_at=go_live)

    scheduled = DBTaskResult.objects.get(task_path="appointments.tasks.run_go_live")
    assert scheduled.run_after == go_live
    mail.outbox.clear()
    run = ["db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
    call_command(*run, verbosity=0)  # before the second: nothing is due
    assert mailed("Ortstermin") == []
    with time_machine.travel(go_live + timedelta(seconds=1)):
        call_command(*run, verbosity=0)
        call_command(*run, verbosity=0)  # the mailing's own tasks
    assert mailed("Ortstermin") == ["alle@example.org", "haus@example.org"]
    message = next(m for m in mail.outbox if "alle@" in m.to[0])
    assert (
        appointment.get_absolute_url() in message.body
        and message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )


def test_appointment_alert_is_sent_once_whoever_runs_the_go_live(
    make_appointment, django_capture_on_commit_callbacks
):
    from io import StringIO

    from appointments.tasks import run_go_live

    follower("alle@example.org")
    appointment = make_appointment()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due", stdout=StringIO())
        assert run_go_live.call(appointment.pk) is False
    assert mailed(appointment.title) == ["alle@example.org"]


def test_postponing_and_cancelling_tell_the_followers_at_once_and_in_the_digest(
    lead, make_appointment, django_capture_on_commit_callbacks
):
    from alerts import sending
    from alerts.models import Kind, Mailing

    follower("sofort@example.org")
    follower("taeglich@example.org", frequency="daily")
    follower("nur-meldungen@example.org", releases=True, appointments=False)
    appointment = make_appointment(go_live_handled_at=timezone.now())
    later = appointment.starts_at + timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(appointment.pk, "postpone", lead, data={"starts_at": later})
    postponed = [m for m in mail.outbox if "sofort@example.org" in m.to]
    assert len(postponed) == 1 and "Verschoben auf" in postponed[0].body
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(appointment.pk, "cancel", lead, comment="Krankheit", confirmed=True)
    cancelled = [m for m in mail.outbox if "sofort@example.org" in m.to][1]
    assert cancelled.subject != postponed[0].subject and "Krankheit" in cancelled.body
    assert Mailing.objects.filter(kind=Kind.APPOINTMENT_CHANGE).count() == 2

    mail.outbox.clear()
    sending.send_all(sending.digest_mailing(timezone.localdate()))
    assert [m.to for m in mail.outbox] == [["taeglich@example.org"]]
    digest = mail.outbox[0].body
    assert appointment.title in digest and "Krankheit" in digest


def test_the_alerts_form_offers_appointments_and_stores_the_choice(db, client):
    from alerts.models import Subscriber

    page = client.get(reverse("alerts:subscribe")).content.decode()
    assert 'value="appointments"' in page
    response = client.post(
        reverse("alerts:subscribe"),
        {
            "email": "termine@example.org",
            "content": ["appointments"],
            "consent": "on",
            "frequency": "immediate",
        },
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="termine@example.org")
    assert subscriber.wants_appointments and not subscriber.wants_releases


def test_appointments_never_import_alerts():
    import ast
    from pathlib import Path

    import appointments

    for path in Path(appointments.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.split(".")[0] == "alerts"], path


# --- RSS and Atom feeds ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_rss_and_atom_feeds_show_public_appointments_with_their_changes(
    client, lead, make_appointment, suffix
):
    import feedparser

    topic = Topic.objects.create(name="Kultur", slug="kultur")
    shown = make_appointment("oeffentlich")
    shown.topics.add(topic)
    make_appointment("abgesagt")
    later = timezone.now() + timedelta(hours=2)
    make_appointment("gesperrt", go_live_at=later, first_published_at=later)
    make_appointment("entwurf", live=False)
    workflow.take(
        Appointment.objects.get(slug="abgesagt").pk,
        "cancel",
        lead,
        comment="Sturm",
        confirmed=True,
    )
    feed = feedparser.parse(client.get(f"/feeds/termine.{suffix}").content)
    assert feed.bozo == 0
    links = sorted(entry.link.rsplit("/termine/", 1)[1] for entry in feed.entries)
    assert links == ["abgesagt/", "oeffentlich/"]
    cancelled = next(e for e in feed.entries if "abgesagt" in e.link)
    assert "Sturm" in cancelled.summary and cancelled.id.startswith("urn:uuid:")
    by_topic = feedparser.parse(client.get(f"/feeds/termine/themen/kultur.{suffix}").content)
    assert [e.link.rsplit("/termine/", 1)[1] for e in by_topic.entries] == ["oeffentlich/"]
    assert client.get(f"/feeds/termine/themen/gibts-nicht.{suffix}").status_code == 404


def test_appointment_feed_answers_conditional_get_until_a_postponement(
    client, lead, make_appointment
):
    appointment = make_appointment()
    first = client.get("/feeds/termine.atom")
    assert client.get("/feeds/termine.atom", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    later = appointment.starts_at + timedelta(days=2)
    workflow.take(appointment.pk, "postpone", lead, data={"starts_at": later})
    assert client.get("/feeds/termine.atom", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_appointment_pages_link_their_feeds_and_the_feeds_page_lists_them(
    client, issuer, make_appointment
):
    appointment = make_appointment()
    for url in ["/termine/", appointment.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert 'type="application/atom+xml"' in page and 'href="/feeds/termine.rss"' in page
    detail = client.get(appointment.get_absolute_url()).content.decode()
    assert f'href="/feeds/termine/herausgeber/{issuer.slug}.atom"' in detail
    feeds_page = client.get("/feeds/").content.decode()
    assert "/feeds/termine.atom" in feeds_page
    assert f"/feeds/termine/herausgeber/{issuer.slug}.rss" in feeds_page


# --- issuer and topic pages, sitemap, public names ------------------------------------------------


def test_issuer_and_topic_pages_show_their_upcoming_appointments(client, issuer, make_appointment):
    topic = Topic.objects.create(name="Kultur", slug="kultur")
    mine = make_appointment("mit-thema", title="Lesung im Ministerium")
    mine.topics.add(topic)
    later = timezone.now() + timedelta(hours=2)
    make_appointment("gesperrt", title="Geheime Runde", go_live_at=later, first_published_at=later)
    issuer_page = client.get(issuer.get_absolute_url()).content.decode()
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    for page in [issuer_page, topic_page]:
        assert "Lesung im Ministerium" in page and "Geheime Runde" not in page
    assert f"/termine/?herausgeber={issuer.slug}" in issuer_page
    assert "/feeds/termine/themen/kultur.ics" in topic_page


def test_a_public_appointment_makes_its_issuer_and_topic_public(issuer, make_appointment):
    from contacts.models import Organisation

    topic = Topic.objects.create(name="Kultur", slug="kultur")
    later = timezone.now() + timedelta(hours=2)
    appointment = make_appointment("bald", go_live_at=later, first_published_at=later)
    appointment.topics.add(topic)
    assert issuer not in Organisation.objects.public() and topic not in Topic.objects.public()
    with time_machine.travel(later + timedelta(seconds=1)):
        assert issuer in Organisation.objects.public() and topic in Topic.objects.public()


def test_sitemap_lists_public_appointments_only(client, make_appointment):
    make_appointment("oeffentlich")
    later = timezone.now() + timedelta(hours=2)
    make_appointment("gesperrt", go_live_at=later, first_published_at=later)
    make_appointment("entwurf", live=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-appointments.xml" in index
    section = client.get("/sitemap-appointments.xml").content.decode()
    assert "/termine/oeffentlich/" in section
    assert "gesperrt" not in section and "entwurf" not in section


@pytest.mark.parametrize(
    "url",
    [
        "/termine/",
        "/herausgeber/{issuer}/",
        "/themen/kultur/",
        "/feeds/termine.rss",
        "/feeds/termine/themen/kultur.atom",
        "/sitemap-appointments.xml",
    ],
)
def test_appointment_pages_and_feeds_do_not_query_per_appointment(
    client, issuer, make_appointment, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.budgets import MAX_QUERIES
    from tests.helpers import as_at_first_request

    topic = Topic.objects.create(name="Kultur", slug="kultur")
    url = url.format(issuer=issuer.slug)

    def grow(count, start):
        for number in range(start, start + count):
            make_appointment(f"termin-{number}").topics.add(topic)

    def queries():
        as_at_first_request()  # nothing kept from the request before
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    grow(1, 0)
    with_one = queries()
    grow(19, 1)
    assert queries() == with_one <= MAX_QUERIES


# --- admin history and versions -----------------------------------------------------------------


def test_admin_history_tells_every_step_in_order_and_versions_compare(
    client, officer, lead, issuer, django_user_model
):
    appointment = write_draft(officer, issuer)
    appointment.venue = "Neues Rathaus"
    editing.save_edit(appointment, officer, lambda a: a.save())
    workflow.take(appointment.pk, "submit", officer, comment="Bitte prüfen")
    appointment.refresh_from_db()
    workflow.take(appointment.pk, "publish_now", lead, version=appointment.version)
    later = appointment.starts_at + timedelta(days=1)
    workflow.take(appointment.pk, "postpone", lead, data={"starts_at": later}, comment="Regen")

    client.force_login(lead)
    history_url = reverse("admin:appointments_appointment_history", args=[appointment.pk])
    page = client.get(history_url).content.decode()
    steps = ["Bitte prüfen", "Regen"]
    assert all(step in page for step in steps)
    assert page.index("Bitte prüfen") < page.index("Regen")
    assert "Neues Rathaus" in page  # the diff of the save
    versions_url = reverse("admin:appointments_appointment_revisions", args=[appointment.pk])
    compared = client.get(versions_url, {"old": 1, "new": 2}).content.decode()
    assert "Neues Rathaus" in compared
    assert client.get(versions_url, {"old": 1, "new": 99}).status_code == 404
    # Staff without the appointments' permissions see neither.
    client.force_login(django_user_model.objects.create_user("nur-staff", is_staff=True))
    assert client.get(history_url).status_code == 403
    assert client.get(versions_url).status_code == 403


def published(officer, lead, issuer):
    """An appointment written by the officer and published by the lead (version 1 is live)."""
    appointment = write_draft(officer, issuer, venue="Altes Rathaus")
    workflow.take(appointment.pk, "submit", officer)
    workflow.take(appointment.pk, "publish_now", lead, version=appointment.version)
    appointment.refresh_from_db()
    return appointment


def restore_url(appointment, number):
    return reverse("admin:appointments_appointment_restore", args=[appointment.pk, number])


def test_restoring_a_version_of_a_live_appointment_asks_first_and_is_a_visible_change(
    client, officer, lead, issuer
):
    appointment = published(officer, lead, issuer)
    appointment.venue = "Neues Rathaus"
    editing.save_edit(
        appointment, lead, lambda a: a.save(), change_note="Neuer Ort.", confirmed=True
    )
    appointment.refresh_from_db()
    assert appointment.version == 2 and appointment.sequence == 1
    client.force_login(lead)
    versions = client.get(
        reverse("admin:appointments_appointment_revisions", args=[appointment.pk])
    ).content.decode()
    assert restore_url(appointment, 1) in versions

    page = client.get(restore_url(appointment, 1)).content.decode()
    assert "<del>Neues</del>" in page and "<ins>Altes</ins>" in page
    assert 'name="change_note"' in page
    # Without a public change note nothing is restored.
    response = client.post(restore_url(appointment, 1), {"opened_version": 2, "confirm": "on"})
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.venue == "Neues Rathaus" and appointment.version == 2

    response = client.post(
        restore_url(appointment, 1),
        {"opened_version": 2, "change_note": "Doch im Alten Rathaus.", "confirm": "on"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.venue == "Altes Rathaus" and appointment.version == 3
    assert appointment.revisions.get(number=3).restored_from == 1
    assert appointment.sequence == 2  # calendars see the change
    assert list(appointment.notices.values_list("note", flat=True)) == [
        "Neuer Ort.",
        "Doch im Alten Rathaus.",
    ]
    assert appointment.events.filter(action="restore", version=3).exists()
    assert "Doch im Alten Rathaus." in client.get(appointment.get_absolute_url()).content.decode()


def test_restoring_a_scheduled_appointment_voids_its_approval(officer, lead, issuer):
    from appointments import revisions

    appointment = write_draft(officer, issuer, venue="Altes Rathaus")
    appointment.venue = "Neues Rathaus"
    editing.save_edit(appointment, officer, lambda a: a.save())
    workflow.take(appointment.pk, "submit", officer)
    go_live = timezone.now() + timedelta(hours=1)
    workflow.take(appointment.pk, "approve", lead, version=2, go_live_at=go_live)
    appointment.refresh_from_db()
    first = appointment.revisions.get(number=1)
    restored = revisions.restore(appointment, first, officer, opened_version=2, confirmed=True)
    assert restored.voided_approval
    appointment.refresh_from_db()
    assert appointment.venue == "Altes Rathaus" and appointment.state == State.IN_REVIEW
    assert appointment.topics.count() == 0 and appointment.issuer == issuer


def test_a_version_saved_before_snapshots_held_ids_is_compared_but_never_restored(
    client, officer, lead, issuer
):
    appointment = published(officer, lead, issuer)
    appointment.revisions.create(
        number=0, snapshot={"title": "Alt", "time": "01.01.2020 10:00", "topics": ["Kultur"]}
    )
    client.force_login(lead)
    assert client.get(restore_url(appointment, 0)).status_code == 404
    versions_url = reverse("admin:appointments_appointment_revisions", args=[appointment.pk])
    compared = client.get(versions_url, {"old": 0, "new": 1}).content.decode()
    assert "<del>Alt</del>" in compared and restore_url(appointment, 0) not in compared


def test_postponing_is_a_version_whose_change_the_history_shows(officer, lead, issuer, client):
    appointment = published(officer, lead, issuer)
    later = (appointment.starts_at + timedelta(days=2)).replace(second=0, microsecond=0)
    workflow.take(appointment.pk, "postpone", lead, data={"starts_at": later})
    appointment.refresh_from_db()
    assert appointment.revisions.filter(number=appointment.version).exists()
    client.force_login(lead)
    history_page = client.get(
        reverse("admin:appointments_appointment_history", args=[appointment.pk])
    ).content.decode()
    assert f"<ins>{timezone.localtime(later):%d.%m.%Y}</ins>" in history_page


def test_staff_preview_shows_an_unpublished_appointment_with_the_public_page(
    client, officer, issuer, django_user_model
):
    appointment = write_draft(officer, issuer, venue="Altes Rathaus")
    preview_url = reverse("admin:appointments_appointment_preview", args=[appointment.pk])
    assert client.get(appointment.get_absolute_url()).status_code == 404
    assert client.get(preview_url).status_code == 302  # to the login
    client.force_login(officer)
    response = client.get(preview_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "preview-banner" in page and "Ortstermin Baustelle" in page and "Altes Rathaus" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    change_page = client.get(
        reverse("admin:appointments_appointment_change", args=[appointment.pk])
    ).content.decode()
    assert preview_url in change_page
    client.force_login(django_user_model.objects.create_user("nur-staff", is_staff=True))
    assert client.get(preview_url).status_code == 403
    # The public page never carries the preview banner.
    client.logout()
    assert client.get(appointment.get_absolute_url()).status_code == 404


def test_publish_due_catches_up_releases_and_appointments_alike(make_appointment, lead, issuer):
    from io import StringIO

    from newsroom.go_live import publish_due
    from releases.models import Release
    from releases.models import State as ReleaseState

    appointment = make_appointment()
    hour_ago = timezone.now() - timedelta(hours=1)
    release = Release.objects.create(
        issuer=issuer,
        title="Meldung",
        slug="meldung",
        state=ReleaseState.APPROVED,
        go_live_at=hour_ago,
        first_published_at=hour_ago,
    )
    out = StringIO()
    call_command("publish_due", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert f"due: {appointment.pk} {appointment.title} (appointment)" in listed
    assert f"due: {release.pk} Meldung (release)" in listed
    assert publish_due.call() == 2  # the task form, for a scheduler
    appointment.refresh_from_db()
    release.refresh_from_db()
    assert appointment.go_live_handled_at and release.go_live_handled_at
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert "Nothing is due" in out.getvalue()


def test_a_change_of_plan_goes_to_its_followers_and_applicants_only(
    lead, issuer, make_appointment, django_capture_on_commit_callbacks
):
    from alerts.models import Subscriber
    from contacts.models import Organisation

    kultur = Topic.objects.create(name="Kultur", slug="kultur")
    sport = Topic.objects.create(name="Sport", slug="sport")
    other = Organisation.objects.create(name="Anderes Amt", slug="anderes-amt")
    appointment = make_appointment(go_live_handled_at=timezone.now())
    appointment.topics.add(kultur)
    follower("alles@example.org")
    follower("kultur@example.org", topics=[kultur])
    follower("haus@example.org", issuers=[issuer])
    follower("sport@example.org", topics=[sport])
    follower("anderes-amt@example.org", issuers=[other])
    follower("nur-meldungen@example.org", releases=True, appointments=False)
    follower("pausiert@example.org").__class__.objects.filter(email="pausiert@example.org").update(
        is_paused=True
    )
    Subscriber.objects.create(email="unbestaetigt@example.org", wants_appointments=True)
    for name, status, confirmed in [
        ("akkreditiert", ApplicationStatus.ACCEPTED, True),
        ("wartend", ApplicationStatus.WAITING_LIST, True),
        ("abgelehnt", ApplicationStatus.DECLINED, True),
        ("unbestaetigt-presse", ApplicationStatus.PENDING, False),
    ]:
        Accreditation.objects.create(
            appointment=appointment,
            name=name,
            outlet="Zeitung",
            email=f"{name}@presse.example",
            consent_text="ja",
            status=status,
            confirmed_at=timezone.now() if confirmed else None,
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(
            appointment.pk, "move", lead, data={"venue": "Messehalle 3"}, comment="Mehr Platz."
        )
    told = sorted(to for message in mail.outbox for to in message.to)
    assert told == [
        "akkreditiert@presse.example",
        "alles@example.org",
        "haus@example.org",
        "kultur@example.org",
        "wartend@presse.example",
    ]
    assert all("Messehalle 3" in message.body for message in mail.outbox)


def test_the_admin_form_asks_for_a_note_and_a_confirmation_to_change_a_live_appointment(
    officer, lead, issuer
):
    from appointments.admin import AppointmentForm

    appointment = published(officer, lead, issuer)
    start = timezone.localtime(appointment.starts_at)
    data = {
        "issuer": issuer.pk,
        "title": appointment.title,
        "slug": appointment.slug,
        "kind": appointment.kind,
        "starts_at_0": start.date().isoformat(),
        "starts_at_1": start.strftime("%H:%M"),
        "venue": "Neues Rathaus",
        "retention_days": 30,
        "opened_version": appointment.version,
    }
    form = AppointmentForm(data, instance=appointment)
    assert not form.is_valid()
    assert set(form.errors) == {"change_note", "confirm"}
    form = AppointmentForm(
        {**data, "change_note": "Neuer Ort.", "confirm": "on"}, instance=appointment
    )
    assert form.is_valid(), form.errors


def test_a_form_opened_before_someone_elses_save_keeps_the_input_and_shows_their_change(
    officer, issuer
):
    from appointments.admin import AppointmentForm

    appointment = write_draft(officer, issuer, venue="Altes Rathaus")
    opened = Appointment.objects.get(pk=appointment.pk)
    appointment.venue = "Neues Rathaus"
    editing.save_edit(appointment, officer, lambda a: a.save())
    start = timezone.localtime(opened.starts_at)
    data = {
        "issuer": issuer.pk,
        "title": "Ortstermin am Fluss",
        "slug": opened.slug,
        "kind": opened.kind,
        "starts_at_0": start.date().isoformat(),
        "starts_at_1": start.strftime("%H:%M"),
        "venue": "Altes Rathaus",
        "retention_days": 30,
        "opened_version": 1,
    }
    form = AppointmentForm(data, instance=Appointment.objects.get(pk=appointment.pk))
    assert not form.is_valid()
    (problem,) = form.non_field_errors()
    assert "officer" in problem and "<ins>Neues</ins>" in problem
    assert form.data["title"] == "Ortstermin am Fluss"  # the input is kept
    assert form.data["opened_version"] == 2  # saving again is deliberate
    appointment.refresh_from_db()
    assert appointment.title == "Ortstermin Baustelle" and appointment.version == 2


def test_home_shows_a_correction_of_its_next_appointments_at_once(client, lead, make_appointment):
    appointment = make_appointment("kommt", title="Pressekonferenz Kreativwirtschaft")
    assert "Pressekonferenz Kreativwirtschaft" in client.get("/").content.decode()
    appointment.title = "Pressekonferenz Digitalwirtschaft"
    editing.save_edit(
        appointment, lead, lambda a: a.save(), confirmed=True, change_note="Neuer Titel."
    )
    page = client.get("/").content.decode()
    assert "Pressekonferenz Digitalwirtschaft" in page
    assert "Pressekonferenz Kreativwirtschaft" not in page


def test_home_keeps_its_next_appointments_between_changes(client, make_appointment):
    make_appointment("kommt")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert "/termine/kommt/" in client.get("/").content.decode()
    assert not [q for q in queries.captured_queries if "appointments_appointment" in q["sql"]]


@pytest.mark.parametrize("cache_pages", [False, True])
def test_an_appointment_of_yesterday_leaves_the_upcoming_ones_at_midnight(
    client, make_appointment, settings, cache_pages
):
    """Nothing is written at midnight: the pages kept and cached during the day end then."""
    settings.NEWSROOM_CACHE_PAGES = cache_pages
    evening = timezone.localtime().replace(hour=20, minute=0, second=0, microsecond=0)
    evening += timedelta(days=1)
    make_appointment("abends", starts_at=evening, ends_at=evening + timedelta(hours=1))
    midnight = timezone.localtime(evening + timedelta(hours=4)).replace(hour=0, minute=0)
    with time_machine.travel(midnight - timedelta(seconds=1), tick=False):
        assert "/termine/abends/" in client.get("/").content.decode()
        assert "/termine/abends/" in client.get("/termine/").content.decode()
    with time_machine.travel(midnight, tick=False):
        assert "/termine/abends/" not in client.get("/").content.decode()
        assert "/termine/abends/" not in client.get("/termine/").content.decode()
        assert "/termine/abends/" in client.get("/termine/archiv/").content.decode()
