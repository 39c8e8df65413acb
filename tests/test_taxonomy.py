"""Taxonomy follows content: a topic, issuer or series is named on public pages, feeds pages,
feeds, sitemaps and forms only once it has public content, or once a press lead marks it public.

The story: a new agency ("Geheimamt") prepares its first release, filed under a new topic
("Geheimthema"), with a new press contact and a document in a new series ("Geheimreihe"). Until
that release goes live, none of these names is public anywhere.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from alerts.models import Subscriber
from contacts.models import Contact, Organisation
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases.models import Release, ReleaseContact, State, Topic
from releases.roles import PORTAL_ADMINISTRATORS
from tests.conftest import role

TOPIC, ISSUER, SERIES = "Geheimthema", "Geheimamt", "Geheimreihe"

# (page, what on it would name the secret topic, issuer or series)
LISTINGS = [
    ("/", TOPIC),
    ("/pressemitteilungen/", TOPIC),
    ("/pressemitteilungen/", ISSUER),
    ("/feeds/", TOPIC),
    ("/feeds/", ISSUER),
    ("/feeds/", SERIES),
    ("/benachrichtigungen/", TOPIC),
    ("/benachrichtigungen/", ISSUER),
    ("/kontakte/", ISSUER),
    ("/sitemap-topics.xml", "/themen/geheimthema/"),
    ("/sitemap-issuers.xml", "/herausgeber/geheimamt/"),
    ("/sitemap-series.xml", "/publikationen/reihe/geheimreihe/"),
]

# Pages and feeds of their own, and the vCard that names the agency.
OWN_PAGES = [
    "/themen/geheimthema/",
    "/feeds/themen/geheimthema.rss",
    "/feeds/themen/geheimthema.atom",
    "/herausgeber/geheimamt/",
    "/feeds/herausgeber/geheimamt.rss",
    "/feeds/herausgeber/geheimamt.atom",
    "/publikationen/reihe/geheimreihe/",
    "/feeds/publikationen/geheimreihe.rss",
    "/feeds/publikationen/geheimreihe.atom",
    "/kontakte/gerda-geheim.vcf",
]

STATES = ["embargoed", "draft"]


def make_document(slug, issuer, series=None, published_at=None):
    publication = Publication(
        slug=slug,
        title="Ein Bericht",
        issuer=issuer,
        series=series,
        published_at=published_at or timezone.now() - timedelta(days=1),
    )
    publication.file = ContentFile(build_pdf("Ein Bericht", ["Seite eins"]), name="a.pdf")
    publication.save()
    return publication


@pytest.fixture
def curator(lead):
    """A press lead who is also a portal administrator, as topics are the portal's to curate
    (tests/test_offices.py); issuers and series are their offices' leads' to mark."""
    lead.groups.add(role(PORTAL_ADMINISTRATORS))
    return lead


@pytest.fixture
def agency(db):
    return Organisation.objects.create(name=ISSUER, slug="geheimamt")


@pytest.fixture
def secret(make_release, agency):
    """Make the agency's first release, embargoed for a day or a draft, with everything new."""

    def make(state):
        go_live = timezone.now() + timedelta(days=1)
        timing = {"state": State.APPROVED, "go_live_at": go_live, "first_published_at": go_live}
        release = make_release(
            "erste-mitteilung",
            issuer=agency,
            live=False,
            **(timing if state == "embargoed" else {}),
        )
        release.topics.add(Topic.objects.create(name=TOPIC, slug="geheimthema"))
        contact = Contact.objects.create(
            organisation=agency, name="Gerda Geheim", slug="gerda-geheim"
        )
        ReleaseContact.objects.create(release=release, contact=contact, order=0)
        reihe = Series.objects.create(title=SERIES, slug="geheimreihe")
        release.publications.add(make_document("geheimbericht", agency, series=reihe))
        return release

    return make


@pytest.fixture
def a_live_release(make_release):
    """Another issuer's live release, so that every list has something to show."""
    return make_release("oeffentlich", title="Eine öffentliche Mitteilung")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Before their release is public


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("url", "name"), LISTINGS)
def test_an_unpublished_releases_topic_issuer_and_series_are_named_nowhere(
    client, secret, a_live_release, state, url, name
):
    secret(state)
    assert name not in page(client, url)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("url", OWN_PAGES)
def test_their_pages_feeds_and_vcard_answer_404(client, secret, state, url):
    secret(state)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("field", "slug"), [("thema", "geheimthema"), ("herausgeber", "geheimamt")]
)
def test_filtering_the_list_by_them_is_refused_like_a_made_up_name(client, secret, field, slug):
    secret("embargoed")
    made_up = client.get(f"/pressemitteilungen/?{field}=gibt-es-nicht")
    response = client.get(f"/pressemitteilungen/?{field}={slug}")
    assert response.status_code == 200
    assert response.context["form"].errors == made_up.context["form"].errors != {}


# At the go-live second


def test_filtering_by_them_works_from_the_go_live_second(client, secret):
    release = secret("embargoed")
    with time_machine.travel(release.go_live_at, tick=False):
        response = client.get("/pressemitteilungen/?thema=geheimthema&herausgeber=geheimamt")
    assert response.context["form"].errors == {}
    assert [item.pk for item in response.context["page"].object_list] == [release.pk]


@pytest.mark.parametrize(("url", "name"), LISTINGS)
def test_they_are_named_from_the_go_live_second(client, secret, a_live_release, url, name):
    release = secret("embargoed")
    with time_machine.travel(release.go_live_at - timedelta(seconds=1), tick=False):
        assert name not in page(client, url)
    with time_machine.travel(release.go_live_at, tick=False):
        assert name in page(client, url)


@pytest.mark.parametrize("url", OWN_PAGES)
def test_their_pages_and_feeds_answer_from_the_go_live_second(client, secret, url):
    release = secret("embargoed")
    with time_machine.travel(release.go_live_at - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
    with time_machine.travel(release.go_live_at, tick=False):
        assert client.get(url).status_code == 200


# Marked public by a press lead


def change_data(obj) -> dict:
    """The admin change form of a topic, issuer or series, with "always public" ticked."""
    if isinstance(obj, Topic):
        return {"name": obj.name, "slug": obj.slug, "always_public": "on"}
    if isinstance(obj, Series):
        return {
            "title": obj.title,
            "slug": obj.slug,
            "always_public": "on",
            "publications-TOTAL_FORMS": "0",
            "publications-INITIAL_FORMS": "0",
        }
    return {
        "name": obj.name,
        "slug": obj.slug,
        "always_public": "on",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        # The press office's members (shown to portal administrators).
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }


def secret_objects() -> dict:
    return {
        TOPIC: Topic.objects.get(slug="geheimthema"),
        ISSUER: Organisation.objects.get(slug="geheimamt"),
        SERIES: Series.objects.get(slug="geheimreihe"),
    }


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize(("url", "name"), LISTINGS)
def test_a_lead_marking_them_public_names_them_before_any_release(
    client, secret, a_live_release, curator, url, name
):
    secret("draft")
    client.force_login(curator)
    for obj in secret_objects().values():
        response = client.post(change_url(obj), change_data(obj))
        assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    assert name in page(client, url)


@pytest.mark.parametrize("name", [TOPIC, ISSUER, SERIES])
def test_a_lead_marks_one_public_and_its_page_answers(client, secret, curator, name):
    secret("draft")
    obj = secret_objects()[name]
    client.force_login(curator)
    assert client.post(change_url(obj), change_data(obj)).status_code == 302
    client.logout()

    own = {
        TOPIC: "/themen/geheimthema/",
        ISSUER: "/herausgeber/geheimamt/",
        SERIES: "/publikationen/reihe/geheimreihe/",
    }
    assert {url: client.get(url).status_code for url in own.values()} == {
        url: 200 if which == name else 404 for which, url in own.items()
    }


@pytest.mark.parametrize("name", [TOPIC, ISSUER, SERIES])
def test_an_officer_cannot_mark_them_public(client, secret, officer, name):
    secret("draft")
    obj = secret_objects()[name]
    client.force_login(officer)

    assert client.post(change_url(obj), change_data(obj)).status_code == 403
    obj.refresh_from_db()
    assert not obj.always_public


def test_the_box_is_labelled_and_explained_on_every_change_form(client, secret, curator):
    secret("draft")
    client.force_login(curator)
    with translation.override("de"):
        field = Topic._meta.get_field("always_public")
        label, help_text = str(field.verbose_name), str(field.help_text)
    for obj in secret_objects().values():
        content = page(client, change_url(obj))
        assert 'name="always_public"' in content
        assert escape(label[:1].upper() + label[1:]) in content and escape(help_text) in content


# What else counts as public content


def test_an_issuer_with_a_live_release_and_nothing_else_is_named(client, agency, make_release):
    make_release("erste-mitteilung", issuer=agency)
    assert ISSUER in page(client, "/feeds/")
    assert client.get("/herausgeber/geheimamt/").status_code == 200


def test_an_issuer_with_a_public_publication_is_named(client, agency):
    make_document("bericht-des-amts", agency)
    assert ISSUER in page(client, "/feeds/")
    assert client.get("/herausgeber/geheimamt/").status_code == 200


def test_a_series_with_a_standalone_public_publication_is_named(client, agency):
    make_document("heft-1", agency, series=Series.objects.create(title=SERIES, slug="geheimreihe"))
    assert SERIES in page(client, "/feeds/")
    assert client.get("/publikationen/reihe/geheimreihe/").status_code == 200


def test_a_series_whose_only_publication_is_not_yet_dated_stays_unnamed(client, agency):
    reihe = Series.objects.create(title=SERIES, slug="geheimreihe")
    make_document("heft-1", agency, series=reihe, published_at=timezone.now() + timedelta(days=1))
    assert SERIES not in page(client, "/feeds/")


def test_an_agency_whose_contact_speaks_on_a_live_release_is_in_the_directory(
    client, a_live_release, agency
):
    # The release's contact box links the contact's vCard, which names the agency.
    contact = Contact.objects.create(organisation=agency, name="Gerda Geheim", slug="gerda-geheim")
    assert ISSUER not in page(client, "/kontakte/")
    ReleaseContact.objects.create(release=a_live_release, contact=contact, order=0)
    assert ISSUER in page(client, "/kontakte/")
    assert client.get(contact.get_vcard_url()).status_code == 200


def test_a_withdrawn_release_no_longer_makes_its_topic_public(client, secret):
    release = secret("embargoed")
    Release.objects.filter(pk=release.pk).update(
        state=State.WITHDRAWN, go_live_at=timezone.now() - timedelta(hours=1)
    )
    assert TOPIC not in page(client, "/feeds/")


# The alerts form


def test_a_subscriber_keeps_a_topic_that_is_no_longer_public(client, secret, a_live_release):
    secret("draft")
    topic = Topic.objects.get(slug="geheimthema")
    agency = Organisation.objects.get(slug="geheimamt")
    subscriber = Subscriber.objects.create(email="jana@example.org", confirmed_at=timezone.now())
    subscriber.topics.set([topic])
    subscriber.issuers.set([agency])
    url = reverse("alerts:manage", args=[subscriber.token])

    assert TOPIC in page(client, url) and ISSUER in page(client, url)
    response = client.post(
        url, {"topics": [topic.pk], "issuers": [agency.pk], "frequency": "daily"}
    )

    assert response.status_code == 302
    assert list(subscriber.topics.all()) == [topic]
    assert list(subscriber.issuers.all()) == [agency]


def test_a_new_visitor_cannot_choose_a_topic_that_is_not_public(client, secret):
    secret("embargoed")
    topic = Topic.objects.get(slug="geheimthema")
    response = client.post(
        reverse("alerts:subscribe"),
        {
            "email": "jana@example.org",
            "frequency": "immediate",
            "consent": "on",
            "topics": [topic.pk],
        },
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert TOPIC not in response.content.decode()


# The demo


def test_the_demo_names_its_topics_issuers_and_series(client, db):
    call_command("demo", stdout=io.StringIO())
    assert set(Topic.objects.public()) == set(Topic.objects.all())
    assert set(Organisation.objects.public()) == set(Organisation.objects.all())
    assert set(Series.objects.public()) == set(Series.objects.all())
    assert "Schlaglicht" in page(client, "/feeds/")
