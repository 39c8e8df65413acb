"""One portal, many press offices (issue 14): the portal's own settings, office-named feeds and
joint releases of several issuers."""

import json
import re
from datetime import timedelta

import feedparser
import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscriber
from alerts.recipients import covers
from appointments.models import Appointment
from appointments.models import State as AppointmentState
from contacts.models import Organisation
from newsroom import site
from newsroom.models import FooterLink, SiteSettings
from releases import revisions
from releases.models import Release, State
from tests.helpers import change_url, release_post_data


def rename_portal(name: str, **fields) -> SiteSettings:
    row = SiteSettings.objects.get(pk=1)
    row.name = name
    for field, value in fields.items():
        setattr(row, field, value)
    row.save()
    return row


@pytest.fixture
def second_office(db):
    return Organisation.objects.create(
        name="Sächsisches Staatsministerium für Kultus",
        short_name="SMK",
        slug="smk",
        legal_notice="Zugang für signierte Dokumente nur über das Portal.",
    )


# --- the portal's own settings ----------------------------------------------------------------


def test_header_footer_and_titles_carry_the_portal_name_from_its_settings(client, db):
    row = rename_portal("Medienservice Sachsen")
    FooterLink.objects.create(site=row, label="Portal des Freistaats", url="https://sachsen.de/")
    page = client.get("/").content.decode()
    assert '<a class="site-name" href="/">Medienservice Sachsen</a>' in page
    assert "<title>Pressemitteilungen – Medienservice Sachsen</title>" in page
    assert '<li><a href="https://sachsen.de/">Portal des Freistaats</a></li>' in page


def test_the_portal_logo_shows_in_the_header(client, db):
    from tests.test_admin import png_bytes

    rename_portal("Medienservice", logo=SimpleUploadedFile("logo.png", png_bytes(), "image/png"))
    page = client.get("/").content.decode()
    assert re.search(r'<img class="site-logo" src="/media/site/logo[^"]*\.png"', page)


def test_the_settings_cost_no_query_once_read(db, django_assert_num_queries):
    rename_portal("Medienservice")
    with django_assert_num_queries(2):  # read again after the change: the row and its links
        assert site.current().name == "Medienservice"
    with django_assert_num_queries(0):
        assert site.current().name == "Medienservice"


@override_settings(NEWSROOM_CACHE_PAGES=True)
def test_a_settings_change_shows_on_the_next_request_with_the_page_cache_on(
    client, make_release
):
    release = make_release()
    pages = ["/", release.get_absolute_url(), "/feeds/pressemitteilungen.rss"]
    for url in pages:
        assert "Newsroom" in client.get(url).content.decode()

    rename_portal("Medienservice Sachsen")

    for url in pages:
        content = client.get(url).content.decode()
        assert "Medienservice Sachsen" in content, url


@override_settings(NEWSROOM_CACHE_PAGES=True, NEWSROOM_EDGE_PURGE_URLS=["http://edge:6081/"])
def test_a_settings_change_purges_every_page_at_the_edge(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    purges = []

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        purges.append((request.full_url, request.method, request.headers["Xkey-purge"]))
        return Answer()

    monkeypatch.setattr("newsroom.edge.urllib.request.urlopen", urlopen)
    with django_capture_on_commit_callbacks(execute=True):
        rename_portal("Medienservice")
    assert ("http://edge:6081/", "PURGE", "all") in purges


def test_portal_administrators_edit_the_one_settings_row(client, superuser, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:newsroom_sitesettings_changelist")).status_code == 403
    client.force_login(superuser)
    response = client.get(reverse("admin:newsroom_sitesettings_changelist"))
    assert response.url == reverse("admin:newsroom_sitesettings_change", args=[1])
    response = client.post(
        reverse("admin:newsroom_sitesettings_change", args=[1]),
        {
            "name": "Medienservice",
            "footer_links-TOTAL_FORMS": "1",
            "footer_links-INITIAL_FORMS": "0",
            "footer_links-0-label": "Impressum des Landes",
            "footer_links-0-url": "https://example.org/impressum",
            "footer_links-0-order": "0",
        },
    )
    assert response.status_code == 302
    assert site.current().footer_links == (("Impressum des Landes", "https://example.org/impressum"),)
    assert client.get(reverse("admin:newsroom_sitesettings_add")).status_code == 403
    assert client.get(reverse("admin:newsroom_sitesettings_delete", args=[1])).status_code == 403


def test_mails_carry_the_portal_name(db, django_user_model):
    from accounts import emails

    rename_portal("Medienservice")
    user = django_user_model.objects.create_user("u", email="u@example.org")
    emails.security_change(user, "test")
    assert mail.outbox[0].subject.startswith("[Medienservice] ")


def test_an_installation_keeps_the_name_it_had_set(db, monkeypatch):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("newsroom.migrations.0002_site_settings")
    SiteSettings.objects.all().delete()
    monkeypatch.setenv("NEWSROOM_SITE_NAME", "Medienservice Sachsen")
    migration.create_the_row(apps, SimpleNamespace(connection=connection))
    assert SiteSettings.objects.get().name == "Medienservice Sachsen"


# --- feeds and pages named after their office ---------------------------------------------------


def feed_title(client, url) -> str:
    parsed = feedparser.parse(client.get(url).content)
    assert parsed.bozo == 0, url
    return parsed.feed.title


def test_two_offices_feeds_are_told_apart_by_their_titles(
    client, make_release, issuer, second_office
):
    make_release("eins")
    make_release("zwei", issuer=second_office)
    rename_portal("Medienservice Sachsen")
    assert feed_title(client, "/feeds/herausgeber/mfb.rss") == (
        "Pressemitteilungen – Ministerium für Beispiele"
    )
    assert feed_title(client, "/feeds/herausgeber/smk.atom") == (
        "Pressemitteilungen – Sächsisches Staatsministerium für Kultus"
    )
    assert feed_title(client, "/feeds/pressemitteilungen.rss") == (
        "Pressemitteilungen – Medienservice Sachsen"
    )
    assert feed_title(client, "/feeds/publikationen.rss") == "Publikationen – Medienservice Sachsen"


def test_appointment_feeds_and_calendars_carry_the_offices_name(client, issuer, second_office):
    now = timezone.now()
    for office in (issuer, second_office):
        Appointment.objects.create(
            issuer=office,
            slug=f"pk-{office.slug}",
            title="Pressekonferenz",
            starts_at=now + timedelta(days=3),
            state=AppointmentState.APPROVED,
            go_live_at=now - timedelta(hours=1),
            first_published_at=now - timedelta(hours=1),
        )
    rename_portal("Medienservice Sachsen")
    # The words before the name are German once the translations are merged.
    assert feed_title(client, "/feeds/termine/herausgeber/smk.rss").endswith(
        " – Sächsisches Staatsministerium für Kultus"
    )
    assert feed_title(client, "/feeds/termine.atom").endswith(" – Medienservice Sachsen")
    names = {
        url: str(icalendar.Calendar.from_ical(client.get(url).content)["X-WR-CALNAME"])
        for url in ("/feeds/termine/herausgeber/mfb.ics", "/feeds/termine.ics")
    }
    assert "Ministerium für Beispiele" in names["/feeds/termine/herausgeber/mfb.ics"]
    assert names["/feeds/termine.ics"].endswith(" – Medienservice Sachsen")


# --- joint releases -----------------------------------------------------------------------------


@pytest.fixture
def joint(make_release, second_office):
    """A joint release of the issuer (lead) and the second office, live an hour ago."""
    release = make_release("gemeinsam", title="Gemeinsame Medieninformation")
    release.co_issuers.add(second_office)
    return release


def test_a_joint_release_shows_every_issuer(client, joint, second_office):
    page = client.get(joint.get_absolute_url()).content.decode()
    assert 'href="/herausgeber/mfb/">Ministerium für Beispiele</a>' in page
    assert 'href="/herausgeber/smk/">Sächsisches Staatsministerium für Kultus</a>' in page
    # Both addresses and legal notices, each with its own anchor.
    assert 'id="legal-notice"' in page and 'id="legal-notice-smk"' in page
    assert (
        '<meta name="author" content="Ministerium für Beispiele, '
        'Sächsisches Staatsministerium für Kultus">'
    ) in page
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert [author["name"] for author in data["author"]] == [
        "Ministerium für Beispiele",
        "Sächsisches Staatsministerium für Kultus",
    ]
    assert data["publisher"]["name"] == "Ministerium für Beispiele"
    # Its page links the feeds of both offices.
    assert 'href="/feeds/herausgeber/smk.rss"' in page


def test_a_joint_release_is_on_both_issuer_pages_feeds_and_filters(client, joint):
    for url in (
        "/herausgeber/mfb/",
        "/herausgeber/smk/",
        "/pressemitteilungen/?herausgeber=smk",
    ):
        assert "Gemeinsame Medieninformation" in client.get(url).content.decode(), url
    for url in ("/feeds/herausgeber/mfb.rss", "/feeds/herausgeber/smk.atom"):
        titles = [entry.title for entry in feedparser.parse(client.get(url).content).entries]
        assert titles == ["Gemeinsame Medieninformation"], url


def test_another_offices_release_stays_off_an_issuer_page(client, make_release, second_office):
    make_release("nur-mfb", title="Nur das Beispielministerium")
    make_release("nur-smk", title="Nur das Kultusministerium", issuer=second_office)
    page = client.get("/herausgeber/smk/").content.decode()
    assert "Nur das Kultusministerium" in page
    assert "Nur das Beispielministerium" not in page


def test_a_scheduled_joint_release_reaches_the_co_issuer_at_its_second(
    client, make_release, issuer, second_office
):
    second = timezone.now() + timedelta(hours=2)
    release = make_release("sperrfrist", title="Gemeinsam unter Sperrfrist")
    Release.objects.filter(pk=release.pk).update(go_live_at=second, first_published_at=second)
    release.co_issuers.add(second_office)
    with time_machine.travel(second - timedelta(seconds=1), tick=False):
        assert client.get("/herausgeber/smk/").status_code == 404  # nothing public of it yet
        assert not Organisation.objects.public().filter(pk=second_office.pk).exists()
        assert client.get("/feeds/herausgeber/mfb.rss").status_code == 404
    with time_machine.travel(second, tick=False):
        assert "Gemeinsam unter Sperrfrist" in client.get("/herausgeber/smk/").content.decode()
        entries = feedparser.parse(client.get("/feeds/herausgeber/smk.rss").content).entries
        assert [entry.title for entry in entries] == ["Gemeinsam unter Sperrfrist"]


def test_a_co_issuer_of_a_live_release_is_public(client, joint, second_office):
    assert Organisation.objects.public().filter(pk=second_office.pk).exists()
    assert "/herausgeber/smk/" in client.get("/sitemap-issuers.xml").content.decode()
    Release.objects.filter(pk=joint.pk).update(state=State.IN_REVIEW)
    assert not Organisation.objects.public().filter(pk=second_office.pk).exists()


def test_subscribers_of_a_co_issuer_are_sent_the_joint_release(joint, second_office):
    follower = Subscriber.objects.create(email="smk@example.org")
    follower.issuers.add(second_office)
    stranger = Subscriber.objects.create(email="other@example.org")
    stranger.issuers.add(Organisation.objects.create(name="Andere", slug="andere"))
    assert list(Subscriber.objects.matching(joint)) == [follower]
    release = Release.objects.prefetch_related("co_issuers", "topics").get(pk=joint.pk)
    assert covers(follower, release) and not covers(stranger, release)


@override_settings(NEWSROOM_CACHE_PAGES=True)
def test_adding_a_co_issuer_to_a_live_release_reaches_its_cached_page(
    client, make_release, second_office
):
    make_release("andere", issuer=second_office, title="Eigene Mitteilung")
    release = make_release("spaeter-gemeinsam", title="Später gemeinsam")
    assert "Später gemeinsam" not in client.get("/herausgeber/smk/").content.decode()
    release.co_issuers.add(second_office)
    assert "Später gemeinsam" in client.get("/herausgeber/smk/").content.decode()


def test_co_issuers_are_part_of_every_version(client, superuser, make_release, second_office):
    release = make_release(live=False)
    revisions.record(release, superuser)
    client.force_login(superuser)
    response = client.post(
        change_url(release), release_post_data(release, co_issuers=[second_office.pk])
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert list(release.co_issuers.all()) == [second_office]
    newest, first = release.revisions.order_by("-number")[:2]
    assert newest.snapshot["co_issuers"] == [{"id": second_office.pk, "name": second_office.name}]
    changes = revisions.compare(first.snapshot, newest.snapshot)
    assert [change.field for change in changes] == ["co_issuers"]

    revisions.restore(release, first, superuser)
    assert list(release.co_issuers.all()) == []
    revisions.restore(release, newest, superuser)
    assert list(release.co_issuers.all()) == [second_office]


def test_a_co_issuer_added_after_publication_is_a_correction(
    client, superuser, make_release, second_office
):
    release = make_release()
    client.force_login(superuser)
    refused = client.post(
        change_url(release), release_post_data(release, co_issuers=[second_office.pk])
    )
    assert refused.status_code == 200  # a public change needs a change note and a confirmation
    assert not release.co_issuers.exists()
    client.post(
        change_url(release),
        release_post_data(
            release,
            co_issuers=[second_office.pk],
            change_note="Gemeinsam mit dem Kultusministerium.",
            confirm="on",
        ),
    )
    assert list(release.co_issuers.all()) == [second_office]
    assert release.corrections.get().note == "Gemeinsam mit dem Kultusministerium."


def test_the_lead_issuer_is_not_its_own_co_issuer(client, superuser, make_release, issuer):
    release = make_release(live=False)
    client.force_login(superuser)
    response = client.post(change_url(release), release_post_data(release, co_issuers=[issuer.pk]))
    assert response.status_code == 200
    assert "co_issuers" in response.context["adminform"].form.errors
    assert not release.co_issuers.exists()


@override_settings(NEWSROOM_CACHE_PAGES=True)
def test_a_renamed_co_issuer_shows_on_the_cached_joint_release_page(client, joint, second_office):
    assert "Kultusministerium Sachsen" not in client.get(joint.get_absolute_url()).content.decode()
    second_office.name = "Kultusministerium Sachsen"
    second_office.save()
    assert "Kultusministerium Sachsen" in client.get(joint.get_absolute_url()).content.decode()


def test_a_portal_administrator_may_edit_the_settings(client, django_user_model):
    from django.contrib.auth.models import Group

    from releases.roles import PORTAL_ADMINISTRATORS

    user = django_user_model.objects.create_user("portal", is_staff=True)
    user.groups.add(Group.objects.get(name=PORTAL_ADMINISTRATORS))
    client.force_login(user)
    response = client.get(reverse("admin:newsroom_sitesettings_change", args=[1]))
    assert response.status_code == 200
    assert 'name="footer_links-TOTAL_FORMS"' in response.content.decode()
