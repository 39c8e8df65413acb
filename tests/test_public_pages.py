"""What a journalist sees: the home page, the release page with every part of the seed, 404s."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from releases.management.commands.demo import SEED_SLUG
from releases.models import Release, State
from tests import budgets
from tests.helpers import as_at_first_request


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def test_home_lists_live_releases_newest_first(client, make_release):
    make_release("alt", title="Die ältere", first_published_at=timezone.now() - timedelta(days=2))
    make_release("neu", title="Die neuere")
    make_release("entwurf", title="Ein Entwurf", live=False)

    page = client.get("/").content.decode()

    assert page.index("Die neuere") < page.index("Die ältere")
    assert "Ein Entwurf" not in page


def test_home_is_german_by_default_and_english_under_en(client, make_release):
    make_release()
    assert "Aktuelle Pressemitteilungen" in client.get("/").content.decode()
    english = client.get("/en/", headers={"accept-language": "de"}).content.decode()
    assert "Latest press releases" in english
    assert '<html lang="en">' in english


def test_home_ignores_the_browser_language(client, make_release):
    make_release()
    page = client.get("/", headers={"accept-language": "en-US,en"}).content.decode()
    assert "Aktuelle Pressemitteilungen" in page


def test_seed_release_page_shows_every_part_of_the_seed(client, demo):
    response = client.get(f"/pressemitteilungen/{SEED_SLUG}/")
    page = response.content.decode()

    assert response.status_code == 200
    expected = [
        # header: kind, issuer, date in German format, title
        "Medieninformation",
        "Sächsisches Staatsministerium für Wirtschaft, Arbeit und Verkehr",
        "13.11.2016",
        "<h1>StrategieWerkstatt: Kreativwirtschaft für die industrielle Wertschöpfung nutzen</h1>",
        # lead and body, with the quotation as a block quote with attribution
        "Innovation braucht Kreativität.",
        "Globale Trends wie die Digitalisierung",
        "<blockquote>",
        "<cite>Martin Dulig",
        # background
        '<h2 id="background-heading">Hintergrund</h2>',
        "Mit der Durchführung der StrategieWerkstatt wurde die",
        # contact box: name, direct line, fax, e-mail with its footnote
        "Ihr Ansprechpartner",
        "Jens Jungmann",
        "Durchwahl",
        "+49 351 564 80600",
        "+49 351 564 80680",
        "mailto:presse@smwa.sachsen.de",
        'href="#legal-notice"',
        # issuer block: address, directions, legal notice
        "Hausanschrift",
        "Wilhelm-Buck-Straße 2",
        "01097 Dresden",
        "Haltestelle Carolaplatz",
        "Kein Zugang für verschlüsselte elektronische Dokumente",
        # the linked Schlaglicht publication, with type and size
        "Schlaglicht: Impulse der Kultur- und Kreativwirtschaft",
        "/publikationen/schlaglicht-impulse-kreativwirtschaft/download/",
        "(PDF, ",
        # the link in the text and under "Links"
        'href="https://www.industrie.sachsen.de/strategiewerkstatt.html"',
    ]
    missing = [part for part in expected if part not in page]
    assert not missing


def test_download_size_shown_matches_the_file(client, demo):
    release = Release.objects.get(slug=SEED_SLUG)
    publication = release.publications.get()
    page = client.get(release.get_absolute_url()).content.decode()
    with translation.override("de"):
        size = filesizeformat(publication.file_size)
    assert publication.file_size == publication.file.size > 0
    assert f"(PDF, {size}, 1 Seite)" in page


def test_unknown_release_is_404(client, db):
    assert client.get("/pressemitteilungen/gibt-es-nicht/").status_code == 404


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW])
def test_unpublished_release_is_404(client, make_release, state):
    release = make_release(live=False, state=state)
    assert client.get(release.get_absolute_url()).status_code == 404


def test_release_is_hidden_one_second_before_go_live_and_shown_at_it(client, make_release):
    go_live = timezone.now() + timedelta(days=1)
    release = make_release(go_live_at=go_live, first_published_at=go_live)

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 404
        assert release.title not in client.get("/").content.decode()
    with time_machine.travel(go_live, tick=False):
        assert client.get(release.get_absolute_url()).status_code == 200
        assert release.title in client.get("/").content.decode()


def test_withdrawn_release_shows_the_reason_and_leaves_the_home_page(client, make_release):
    release = make_release(
        state=State.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Die Zahlen waren falsch.",
        title="Zurückgezogene Mitteilung",
    )
    page = client.get(release.get_absolute_url()).content.decode()
    assert "wurde am" in page and "zurückgezogen" in page
    assert "Die Zahlen waren falsch." in page
    assert "Zurückgezogene Mitteilung</a>" not in client.get("/").content.decode()


def test_embargoed_publication_is_not_listed_on_a_live_release(
    client, make_release, make_publication
):
    release = make_release()
    release.publications.add(
        make_publication(
            "spaeter", title="Kommt später", published_at=timezone.now() + timedelta(days=1)
        )
    )
    assert "Kommt später" not in client.get(release.get_absolute_url()).content.decode()


def test_release_page_query_count_does_not_grow_with_attachments(
    client, make_release, make_publication, contact, django_assert_num_queries
):
    from releases.models import ReleaseLink, Topic

    release = make_release(contacts=[contact])
    release.publications.add(make_publication())
    with django_assert_num_queries(budgets.RELEASE_PAGE):
        client.get(release.get_absolute_url())

    for number in range(5):
        release.topics.add(Topic.objects.create(name=f"T{number}", slug=f"t{number}"))
        release.publications.add(make_publication(f"p{number}"))
        ReleaseLink.objects.create(release=release, title=f"L{number}", url="https://e.org/")
    with django_assert_num_queries(budgets.RELEASE_PAGE):
        client.get(release.get_absolute_url())


def test_home_query_count_is_constant(client, make_release, django_assert_num_queries):
    make_release("eins")
    with django_assert_num_queries(budgets.HOME):
        client.get("/")
    for number in range(12):
        make_release(f"r{number}")
    as_at_first_request()  # nothing kept: the next appointments are read again too
    with django_assert_num_queries(budgets.HOME):
        client.get("/")
