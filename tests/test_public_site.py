"""The public newsroom for journalists: list, filters, search, topic and issuer pages, directory,
library, sitemap, metadata, and bad input that never becomes a 500."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contacts.models import Contact, Organisation
from releases.models import Correction, Release, State, Topic
from tests import budgets

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=name, slug=slug)
        for name, slug in [("Verkehr", "verkehr"), ("Kultur", "kultur")]
    }


@pytest.fixture
def other_issuer(db):
    return Organisation.objects.create(name="Landesamt für Beispiele", short_name="LfB", slug="lfb")


@pytest.fixture
def archive(make_release, topics, issuer, other_issuer):
    """Four live releases over two years, two issuers and two topics, plus hidden ones."""

    def at(year, month, day):
        return datetime(year, month, day, 10, tzinfo=BERLIN)

    specs = [
        ("bahn", "Neue Bahnlinie eröffnet", issuer, ["verkehr"], at(2025, 3, 4)),
        ("museum", "Museum zeigt Kunst aus Sachsen", issuer, ["kultur"], at(2025, 7, 9)),
        ("bruecke", "Brücke über die Elbe saniert", other_issuer, ["verkehr"], at(2026, 1, 15)),
        ("theater", "Theaterpreis für junge Unternehmen", other_issuer, ["kultur"], at(2026, 2, 1)),
    ]
    made = {}
    for slug, title, who, topic_slugs, when in specs:
        release = make_release(
            slug,
            title=title,
            issuer=who,
            go_live_at=when,
            first_published_at=when,
            lead=f"Vorspann zu {title}.",
            body=f"<p>Text über {title}, mit Details.</p>",
        )
        release.topics.set([topics[t] for t in topic_slugs])
        made[slug] = release
    make_release("entwurf", title="Geheimer Entwurf Bahnlinie", live=False)
    future = timezone.now() + timedelta(days=3)
    make_release(
        "sperre", title="Gesperrte Bahnlinie", go_live_at=future, first_published_at=future
    )
    return made


def titles(response) -> list[str]:
    return re.findall(
        r'class="teaser__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_list_shows_live_releases_newest_first(client, archive):
    assert titles(client.get("/pressemitteilungen/")) == [
        "Theaterpreis für junge Unternehmen",
        "Brücke über die Elbe saniert",
        "Museum zeigt Kunst aus Sachsen",
        "Neue Bahnlinie eröffnet",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thema=verkehr", ["Brücke über die Elbe saniert", "Neue Bahnlinie eröffnet"]),
        ("herausgeber=lfb", ["Theaterpreis für junge Unternehmen", "Brücke über die Elbe saniert"]),
        ("jahr=2025", ["Museum zeigt Kunst aus Sachsen", "Neue Bahnlinie eröffnet"]),
        ("jahr=2025&monat=7", ["Museum zeigt Kunst aus Sachsen"]),
        (
            "von=2025-07-01&bis=2026-01-31",
            ["Brücke über die Elbe saniert", "Museum zeigt Kunst aus Sachsen"],
        ),
        ("thema=verkehr&herausgeber=lfb", ["Brücke über die Elbe saniert"]),
        ("thema=kultur&jahr=2026", ["Theaterpreis für junge Unternehmen"]),
        ("thema=kultur&herausgeber=mfb&jahr=2026", []),
    ],
)
def test_filters_alone_and_combined(client, archive, query, expected):
    assert titles(client.get(f"/pressemitteilungen/?{query}")) == expected


def test_search_finds_words_in_title_lead_and_body_of_live_releases_only(client, archive):
    found = titles(client.get("/pressemitteilungen/?q=Bahnlinie"))
    assert found == ["Neue Bahnlinie eröffnet"]
    assert titles(client.get("/pressemitteilungen/?q=Details")) != []


def test_search_marks_the_words_found(client, archive):
    page = client.get("/pressemitteilungen/?q=Museum").content.decode()
    assert "<mark>Museum</mark>" in page


def test_search_uses_german_stemming(client, make_release):
    make_release("stamm", title="Förderung", lead="Hilfe des Unternehmens für die Region.")
    assert titles(client.get("/pressemitteilungen/?q=Unternehmen")) == ["Förderung"]


def test_search_ranks_title_above_body(client, make_release):
    make_release("im-text", title="Allgemeines", body="<p>Hier geht es auch um Brücken.</p>")
    make_release("im-titel", title="Brücken werden saniert")
    assert titles(client.get("/pressemitteilungen/?q=Brücken")) == [
        "Brücken werden saniert",
        "Allgemeines",
    ]


def test_pagination_keeps_the_filters(client, make_release, topics):
    for number in range(25):
        release = make_release(f"r{number}", title=f"Mitteilung {number}")
        release.topics.add(topics["kultur"])
    page = client.get("/pressemitteilungen/?thema=kultur").content.decode()
    assert 'href="?thema=kultur&amp;seite=2"' in page
    second = client.get("/pressemitteilungen/?thema=kultur&seite=2")
    assert len(titles(second)) == 5


@pytest.mark.parametrize(
    "query",
    [
        "seite=abc",
        "seite=999999",
        "seite=-1",
    ],
)
def test_bad_page_numbers_are_404(client, archive, query):
    assert client.get(f"/pressemitteilungen/?{query}").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("von=2026-02-30", "gültiges Datum"),
        ("jahr=abc", "ganze Zahl"),
        ("monat=13", "gültige Auswahl"),
        ("monat=3", "Wählen Sie ein Jahr"),
        ("thema=gibt-es-nicht", "Dieses Thema gibt es nicht."),
        ("herausgeber=gibt-es-nicht", "Diesen Herausgeber gibt es nicht."),
        ("q=" + "x" * 2000, "höchstens 200 Zeichen"),
        ("von=2026-02-01&bis=2026-01-01", "vor dem Anfangsdatum"),
    ],
)
def test_bad_filters_get_the_page_with_a_clear_message(client, archive, query, message):
    response = client.get(f"/pressemitteilungen/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert titles(response) == []


def test_topic_page_lists_its_releases_and_unknown_topic_is_404(client, archive):
    response = client.get("/themen/kultur/")
    assert titles(response) == [
        "Theaterpreis für junge Unternehmen",
        "Museum zeigt Kunst aus Sachsen",
    ]
    assert "<h1>Kultur</h1>" in response.content.decode()
    assert client.get("/themen/gibt-es-nicht/").status_code == 404


def test_issuer_page_shows_its_releases_contacts_and_address(client, archive, contact, issuer):
    page = client.get(f"/herausgeber/{issuer.slug}/")
    assert titles(page) == ["Museum zeigt Kunst aus Sachsen", "Neue Bahnlinie eröffnet"]
    html = page.content.decode()
    assert contact.name in html and "Musterstraße 1" in html
    assert client.get("/herausgeber/gibt-es-nicht/").status_code == 404


def test_contacts_directory_groups_active_contacts_by_issuer(client, contact, issuer, other_issuer):
    # Issuers without public content are named only when marked public (tests/test_taxonomy.py).
    Organisation.objects.update(always_public=True)
    Contact.objects.create(organisation=other_issuer, name="Max Beispiel", slug="max")
    Contact.objects.create(organisation=issuer, name="Alte Kollegin", slug="alt", is_active=False)
    page = client.get("/kontakte/").content.decode()
    assert page.index(other_issuer.name) < page.index("Max Beispiel")
    assert page.index(issuer.name) < page.index(contact.name)
    assert "Alte Kollegin" not in page
    assert contact.get_vcard_url() in page


def test_publications_library_by_series_with_type_and_size(client, make_publication, series):
    make_publication("heft-1", title="Heft eins", series=series)
    make_publication("lose", title="Einzelstück")
    make_publication("bald", title="Kommt bald", published_at=timezone.now() + timedelta(days=1))
    page = client.get("/publikationen/").content.decode()
    assert page.index("Schlaglicht") < page.index("Heft eins") < page.index("Einzelstück")
    assert "Kommt bald" not in page
    assert "(PDF, " in page
    series_page = client.get("/publikationen/reihe/schlaglicht/").content.decode()
    assert "Heft eins" in series_page and "Einzelstück" not in series_page
    assert client.get("/publikationen/reihe/gibt-es-nicht/").status_code == 404


def test_sitemap_lists_only_live_releases_with_lastmod(client, archive):
    Correction.objects.create(
        release=archive["bahn"],
        note="Korrigiert",
        created_at=datetime(2025, 3, 6, 9, tzinfo=BERLIN),
    )
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert "/sitemap-releases.xml" in sections
    xml = "".join(client.get(section).content.decode() for section in sections)
    assert "/pressemitteilungen/bahn/" in xml and "/pressemitteilungen/theater/" in xml
    assert "entwurf" not in xml and "sperre" not in xml
    assert "<lastmod>2025-03-06</lastmod>" in xml
    assert "/themen/verkehr/" in xml and "/herausgeber/lfb/" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_previews_out(client, db):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /vorschau/" in text


def test_release_page_has_news_article_json_ld_opengraph_and_canonical(client, archive, issuer):
    release = archive["museum"]
    Correction.objects.create(release=release, note="Datum korrigiert")
    html = client.get(release.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == release.title
    assert data["datePublished"].startswith("2025-07-09T10:00:00")
    assert data["dateModified"] > data["datePublished"]
    assert data["publisher"]["name"] == issuer.name
    assert data["author"]["name"] == issuer.name
    assert '<meta property="og:title" content="Museum zeigt Kunst aus Sachsen">' in html
    assert f'<link rel="canonical" href="http://testserver{release.get_absolute_url()}">' in html


def test_json_ld_cannot_break_out_of_its_script(client, make_release):
    release = make_release(title="</script><script>alert(1)</script>")
    html = client.get(release.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html


def test_a_changed_slug_redirects_permanently(client, archive):
    release = archive["bahn"]
    release.slug = "neue-bahnlinie"
    release.save()
    response = client.get("/pressemitteilungen/bahn/")
    assert response.status_code == 301
    assert response["Location"] == "/pressemitteilungen/neue-bahnlinie/"


def test_an_old_slug_of_an_unpublished_release_is_404(client, make_release):
    release = make_release("alt", live=False)
    release.slug = "neu"
    release.save()
    assert client.get("/pressemitteilungen/alt/").status_code == 404


def test_every_page_is_reachable_from_home_by_links(client, archive, contact, make_publication):
    make_publication()
    home = client.get("/").content.decode()
    for path in [
        "/pressemitteilungen/",
        "/kontakte/",
        "/publikationen/",
        "/themen/verkehr/",
        "/herausgeber/lfb/",
        archive["theater"].get_absolute_url(),
    ]:
        assert f'href="{path}"' in home, path


def test_english_pages_format_dates_the_english_way(client, archive):
    release = archive["museum"]
    german = client.get(release.get_absolute_url()).content.decode()
    english = client.get("/en" + release.get_absolute_url()).content.decode()
    assert "09.07.2025" in german
    # British English, as the page declares (og:locale en_GB), not the American 07/09/2025.
    assert "09/07/2025" in english and "07/09/2025" not in english
    # The interface is English (the release has topics, so their label shows).
    assert "Topics:" in english and "Themen:" not in english
    assert "Themen:" in german


def test_list_page_uses_a_constant_number_of_queries(
    client, make_release, topics, django_assert_num_queries
):
    make_release("eins").topics.add(topics["kultur"])
    with django_assert_num_queries(budgets.RELEASE_LIST):
        client.get("/pressemitteilungen/")
    for number in range(30):
        make_release(f"n{number}").topics.add(topics["kultur"])
    with django_assert_num_queries(budgets.RELEASE_LIST):
        client.get("/pressemitteilungen/")


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW])
def test_unpublished_releases_are_never_found(client, make_release, state):
    make_release("x", live=False, state=state, title="Verborgene Nachricht")
    assert titles(client.get("/pressemitteilungen/?q=Verborgene")) == []
    assert "Verborgene" not in client.get("/sitemap-releases.xml").content.decode()
    assert Release.objects.live().count() == 0


def test_language_switcher_links_this_page_in_the_other_language(client, archive):
    german = client.get("/pressemitteilungen/?thema=kultur").content.decode()
    english_list = "/en/pressemitteilungen/?thema=kultur"
    assert f'<a href="{english_list}" hreflang="en" lang="en">English</a>' in german
    # A release page reads no parameter: its rendering, kept for everyone, carries none.
    path = archive["museum"].get_absolute_url()
    german = client.get(path + "?x=1").content.decode()
    assert f'<a href="/en{path}" hreflang="en" lang="en">English</a>' in german
    english = client.get("/en/kontakte/").content.decode()
    assert '<a href="/kontakte/" hreflang="de" lang="de">Deutsch</a>' in english
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/kontakte/">' in english


def test_month_filter_offers_month_names_and_a_refused_year_stays_visible(client, archive):
    page = client.get("/pressemitteilungen/?jahr=zwanzig").content.decode()
    assert '<option value="7">Juli</option>' in page
    assert 'value="zwanzig"' in page
