"""What a subscriber's feed reader sees: valid RSS 2.0 and Atom feeds of live releases and of
publications, with permanent ids, full text, enclosures, embargo, withdrawal and corrections,
answered cheaply when nothing changed; and how pages and people find the feeds."""

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from contacts.models import Organisation
from newsroom.cache import content_changed
from publications.models import Series
from releases import feeds
from releases.feeds import feed_links
from releases.models import Correction, Release, State, Topic
from tests import budgets
from tests.helpers import start_new_generation

ALL = "/feeds/pressemitteilungen"
TOPIC = "/feeds/themen/wirtschaft"
ISSUER = "/feeds/herausgeber/mfb"
PUBLICATIONS = "/feeds/publikationen"
SERIES = "/feeds/publikationen/schlaglicht"

FORMATS = ["rss", "atom"]
RELEASE_FEEDS = [f"{feed}.{suffix}" for feed in (ALL, TOPIC, ISSUER) for suffix in FORMATS]
PUBLICATION_FEEDS = [f"{feed}.{suffix}" for feed in (PUBLICATIONS, SERIES) for suffix in FORMATS]
# (request header, response header): the two validators of a conditional GET.
VALIDATORS = [("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified")]

PUBLISHED = datetime(2016, 11, 13, 9, 30, tzinfo=UTC)


def parse(response):
    assert response.status_code == 200, response.status_code
    # Raw values: feedparser must not make URLs absolute or clean markup on our behalf.
    return feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)


def titles(response) -> list[str]:
    return [entry.title for entry in parse(response).entries]


# Topic, issuer and series are marked public here, so that their feeds answer before any
# release: this module tests the feeds' own rules; tests/test_taxonomy.py tests when a topic,
# issuer or series becomes public.
@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Wirtschaft", slug="wirtschaft", always_public=True)


@pytest.fixture
def issuer(issuer):
    issuer.always_public = True
    issuer.save()
    return issuer


@pytest.fixture
def series(series):
    series.always_public = True
    series.save()
    return series


@pytest.fixture
def filed(make_release, topic):
    """Make a release that every release feed covers: filed under the topic, from the issuer."""

    def make(slug="mitteilung", **fields):
        release = make_release(slug, **fields)
        release.topics.add(topic)
        return release

    return make


def withdraw(release, when=None):
    # As the workflow does it: a conditional update, which leaves `updated_at` alone, and then
    # the purge of what the release showed.
    Release.objects.filter(pk=release.pk).update(
        state=State.WITHDRAWN, withdrawn_at=when or timezone.now(), withdrawal_reason="Falsch."
    )
    release.refresh_from_db()
    content_changed(release)


# Validity and encoding


@pytest.mark.parametrize("url", RELEASE_FEEDS + PUBLICATION_FEEDS)
def test_every_feed_is_well_formed(client, url, filed, make_publication, series):
    release = filed(title="Grüße & <Straße>", background="<p>Hinter „grund“</p>")
    release.publications.add(make_publication(series=series))
    Correction.objects.create(release=release, note="Tippfehler behoben.")

    assert parse(client.get(url)).bozo == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_site")
class TestOnTheDemo:
    """The demo content is loaded once for these tests (tests/conftest.py, `demo_site`)."""

    @pytest.mark.parametrize(
        "url",
        [
            f"/feeds/{path}.{suffix}"
            for path in (
                "pressemitteilungen",
                "themen/wirtschaft",
                "herausgeber/smwa",
                "publikationen",
                "publikationen/schlaglicht",
            )
            for suffix in FORMATS
        ],
    )
    def test_feeds_of_the_demo_content_are_well_formed_and_full(self, client, url):
        feed = parse(client.get(url))
        assert (feed.bozo, bool(feed.entries)) == (0, True)


@pytest.mark.parametrize(
    ("suffix", "version", "content_type"),
    [("rss", "rss20", "application/rss+xml"), ("atom", "atom10", "application/atom+xml")],
)
def test_feeds_are_rss_2_and_atom_1_in_utf_8(client, filed, suffix, version, content_type):
    filed()
    response = client.get(f"{ALL}.{suffix}")
    assert parse(response).version == version
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"


@pytest.mark.parametrize("suffix", FORMATS)
def test_umlauts_and_sharp_s_arrive_as_utf_8(client, filed, suffix):
    filed(title="Grüße aus der Straße")
    response = client.get(f"{ALL}.{suffix}")
    assert "Grüße aus der Straße".encode() in response.content
    assert titles(response) == ["Grüße aus der Straße"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_ampersands_angle_brackets_and_quotes_in_titles_survive(client, filed, suffix):
    title = "Bund & Länder <einig>: \"sofort\" und 'gemeinsam'"
    filed(title=title)
    assert titles(client.get(f"{ALL}.{suffix}")) == [title]


@pytest.mark.parametrize("suffix", FORMATS)
def test_control_characters_never_reach_the_feed(client, filed, topic, suffix):
    release = filed()
    # Imports and bulk updates bypass the model's cleaning.
    Release.objects.filter(pk=release.pk).update(title="Eins\x0bZwei", lead="Vor\x1fspann")
    Topic.objects.filter(pk=topic.pk).update(name="Wirt\x07schaft")

    feed = parse(client.get(f"{ALL}.{suffix}"))
    assert feed.bozo == 0
    assert feed.entries[0].title == "EinsZwei"


# Which items, in which order


@pytest.mark.parametrize("url", RELEASE_FEEDS)
def test_release_feeds_list_live_releases_newest_first(client, filed, url):
    now = timezone.now()
    for slug, title, days in [("b", "Mittlere", 2), ("a", "Älteste", 3), ("c", "Neueste", 1)]:
        filed(slug, title=title, first_published_at=now - timedelta(days=days))
    filed("entwurf", title="Entwurf", live=False)
    filed("geplant", title="Geplant", state=State.APPROVED, go_live_at=now + timedelta(hours=1))

    assert titles(client.get(url)) == ["Neueste", "Mittlere", "Älteste"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_topic_feed_leaves_out_releases_on_other_topics(client, filed, make_release, suffix):
    filed("drin", title="Zum Thema")
    make_release("draussen", title="Ohne Thema")
    assert titles(client.get(f"{TOPIC}.{suffix}")) == ["Zum Thema"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_issuer_feed_leaves_out_other_issuers(client, filed, suffix):
    other = Organisation.objects.create(name="Andere Behörde", slug="andere")
    filed("unsere", title="Von uns")
    filed("fremde", title="Von anderen", issuer=other)
    assert titles(client.get(f"{ISSUER}.{suffix}")) == ["Von uns"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_feed_holds_the_20_newest_releases(client, filed, suffix):
    now = timezone.now()
    for number in range(21):
        filed(f"r{number}", title=f"Nr. {number}", first_published_at=now - timedelta(days=number))

    listed = titles(client.get(f"{ALL}.{suffix}"))
    assert listed == [f"Nr. {number}" for number in range(20)]


# Embargo, withdrawal, corrections


@pytest.mark.parametrize("url", RELEASE_FEEDS)
def test_scheduled_release_is_absent_from_every_feed_until_its_go_live_second(client, filed, url):
    go_live = timezone.now() + timedelta(days=1)
    filed(title="Unter Sperrfrist", go_live_at=go_live, first_published_at=go_live)

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Unter Sperrfrist" not in titles(client.get(url))


@pytest.mark.parametrize("url", RELEASE_FEEDS)
def test_scheduled_release_enters_every_feed_at_its_go_live_second(client, filed, url):
    go_live = timezone.now() + timedelta(days=1)
    filed(title="Unter Sperrfrist", go_live_at=go_live, first_published_at=go_live)

    with time_machine.travel(go_live, tick=False):
        assert titles(client.get(url)) == ["Unter Sperrfrist"]


@pytest.mark.parametrize("url", RELEASE_FEEDS)
def test_withdrawn_release_leaves_the_feeds(client, filed, url):
    filed("bleibt", title="Bleibt")
    withdraw(filed("geht", title="Wird zurückgezogen"))
    assert titles(client.get(url)) == ["Bleibt"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_item_id_is_the_release_uuid(client, filed, suffix):
    release = filed()
    entry = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    assert entry.id == f"urn:uuid:{release.uuid}"


def test_rss_guid_does_not_pretend_to_be_a_link(client, filed):
    filed()
    assert parse(client.get(f"{ALL}.rss")).entries[0].guidislink is False


@pytest.mark.parametrize("suffix", FORMATS)
def test_item_id_stays_when_title_and_slug_are_corrected(client, filed, suffix):
    release = filed("erste-fassung", title="Erste Fassung")
    before = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    release.title, release.slug = "Berichtigte Fassung", "berichtigte-fassung"
    release.save()

    after = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    assert after.link == "http://testserver/pressemitteilungen/berichtigte-fassung/"
    assert after.id == before.id


def test_rss_dates_are_rfc_822(client, filed):
    filed(go_live_at=PUBLISHED, first_published_at=PUBLISHED)
    assert parse(client.get(f"{ALL}.rss")).entries[0].published == "Sun, 13 Nov 2016 09:30:00 +0000"


def test_atom_dates_are_rfc_3339_and_updated_is_the_first_publication(client, filed):
    filed(go_live_at=PUBLISHED, first_published_at=PUBLISHED)
    entry = parse(client.get(f"{ALL}.atom")).entries[0]
    assert (entry.published, entry.updated) == (
        "2016-11-13T09:30:00+00:00",
        "2016-11-13T09:30:00+00:00",
    )


def test_a_correction_updates_atom_updated_and_keeps_the_id(client, filed):
    release = filed(go_live_at=PUBLISHED, first_published_at=PUBLISHED)
    before = parse(client.get(f"{ALL}.atom")).entries[0]
    Correction.objects.create(
        release=release, note="Datum berichtigt.", created_at=PUBLISHED + timedelta(days=2)
    )
    Correction.objects.create(
        release=release, note="Name berichtigt.", created_at=PUBLISHED + timedelta(days=1)
    )

    after = parse(client.get(f"{ALL}.atom")).entries[0]
    assert (after.id, after.published, after.updated) == (
        before.id,
        "2016-11-13T09:30:00+00:00",
        "2016-11-15T09:30:00+00:00",
    )


# What an item says


@pytest.mark.parametrize("suffix", FORMATS)
def test_summary_is_the_lead(client, filed, suffix):
    filed(lead="Zahlen & <Fakten> zum Haushalt.")
    entry = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    assert entry.summary == escape("Zahlen & <Fakten> zum Haushalt.")


@pytest.mark.parametrize("suffix", FORMATS)
def test_content_is_the_full_text_with_every_url_made_absolute(client, filed, suffix):
    filed(
        "haushalt",
        body='<p>Siehe <a href="/pressemitteilungen/vorher/">vorher</a>.</p>'
        '<p><img src="/media/releases/grafik.png" alt="Grafik"></p>',
        background='<p>Mehr im <a href="anhang/">Anhang</a> und <a href="#zahlen">unten</a>.</p>',
    )
    content = parse(client.get(f"{ALL}.{suffix}")).entries[0].content[0].value

    assert re.findall(r'(?:href|src)="([^"]*)"', content) == [
        "http://testserver/pressemitteilungen/vorher/",
        "http://testserver/media/releases/grafik.png",
        "http://testserver/pressemitteilungen/haushalt/anhang/",
        "http://testserver/pressemitteilungen/haushalt/#zahlen",
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_content_carries_lead_body_and_background_as_stored(client, filed, suffix):
    release = filed(
        lead="Der Vorspann.",
        body='<p>Text mit <a href="https://www.sachsen.de/">Link</a>.</p>'
        "<blockquote><p>„Ein Zitat.“</p><cite>Martin Dulig</cite></blockquote>"
        "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        background="<p>Zum <strong>Hintergrund</strong>.</p>",
    )
    release.refresh_from_db()
    content = parse(client.get(f"{ALL}.{suffix}")).entries[0].content[0].value

    assert content.startswith(
        f"<p>Der Vorspann.</p>{release.body}<h2>Hintergrund</h2>{release.background}"
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_content_lists_the_public_corrections(client, filed, suffix):
    release = filed()
    Correction.objects.create(release=release, note="Zahl berichtigt.", created_at=PUBLISHED)
    content = parse(client.get(f"{ALL}.{suffix}")).entries[0].content[0].value
    assert "<h2>Korrekturen</h2><ul><li>13.11.2016: Zahl berichtigt.</li></ul>" in content


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_topic_is_a_category(client, filed, suffix):
    filed().topics.add(Topic.objects.create(name="Arbeit", slug="arbeit"))
    entry = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    assert [tag.term for tag in entry.tags] == ["Arbeit", "Wirtschaft"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_issuer_is_the_author(client, filed, suffix):
    filed()
    assert parse(client.get(f"{ALL}.{suffix}")).entries[0].author == "Ministerium für Beispiele"


@pytest.mark.parametrize("suffix", FORMATS)
def test_link_is_the_canonical_release_page(client, filed, suffix):
    filed("haushalt")
    entry = parse(client.get(f"{ALL}.{suffix}")).entries[0]
    assert entry.link == "http://testserver/pressemitteilungen/haushalt/"


def enclosures(response) -> list[tuple[str, str, str]]:
    entry = parse(response).entries[0]
    return [(item.href, item.length, item.type) for item in entry.enclosures]


def test_rss_item_encloses_its_first_public_publication(client, filed, make_publication):
    now = timezone.now()
    release = filed()
    newer = make_publication("neuer", published_at=now - timedelta(hours=2))
    older = make_publication("aelter", published_at=now - timedelta(days=2))
    release.publications.add(older, newer)

    assert enclosures(client.get(f"{ALL}.rss")) == [
        (
            "http://testserver/publikationen/neuer/download/",
            str(newer.file_size),
            "application/pdf",
        )
    ]


def test_atom_entry_links_every_public_publication_as_an_enclosure(client, filed, make_publication):
    now = timezone.now()
    release = filed()
    newer = make_publication("neuer", published_at=now - timedelta(hours=2))
    older = make_publication("aelter", published_at=now - timedelta(days=2))
    release.publications.add(older, newer)

    assert enclosures(client.get(f"{ALL}.atom")) == [
        (f"http://testserver/publikationen/{p.slug}/download/", str(p.file_size), p.mime_type)
        for p in (newer, older)
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_publication_not_yet_public_is_not_enclosed(client, filed, make_publication, suffix):
    release = filed()
    release.publications.add(
        make_publication("spaeter", published_at=timezone.now() + timedelta(days=1))
    )
    assert enclosures(client.get(f"{ALL}.{suffix}")) == []


def test_enclosure_length_is_the_exact_file_size(client, filed, make_publication):
    publication = make_publication()
    filed().publications.add(publication)
    download = client.get(f"/publikationen/{publication.slug}/download/")

    assert enclosures(client.get(f"{ALL}.rss"))[0][1] == str(len(b"".join(download)))


# The feeds as a whole


@pytest.mark.parametrize(
    ("url", "title"),
    [
        # Feeds across the portal carry its name, an office's feed the office's.
        (f"{ALL}.rss", "Pressemitteilungen – Newsroom"),
        (f"{TOPIC}.atom", "Pressemitteilungen – Thema Wirtschaft – Newsroom"),
        (f"{ISSUER}.rss", "Pressemitteilungen – Ministerium für Beispiele"),
        (f"{PUBLICATIONS}.atom", "Publikationen – Newsroom"),
        (f"{SERIES}.rss", "Publikationen – Reihe Schlaglicht – Newsroom"),
    ],
)
def test_feeds_are_titled_in_german_whatever_the_browser_asks(
    client, topic, issuer, series, url, title
):
    response = client.get(url, headers={"accept-language": "en"})
    assert parse(response).feed.title == title


@pytest.mark.parametrize("url", RELEASE_FEEDS + PUBLICATION_FEEDS)
def test_feeds_declare_their_own_address(client, topic, issuer, series, url):
    links = parse(client.get(url)).feed.links
    assert {"rel": "self", "href": f"http://testserver{url}"} in [
        {"rel": link.rel, "href": link.href} for link in links
    ]


@pytest.mark.parametrize("url", [f"{ALL}.rss", f"{ALL}.atom", f"{SERIES}.atom"])
def test_feeds_declare_the_websub_hub_when_one_is_set(client, series, settings, url):
    settings.NEWSROOM_WEBSUB_HUB = "https://hub.example.org/"
    links = parse(client.get(url)).feed.links
    assert [link.href for link in links if link.rel == "hub"] == ["https://hub.example.org/"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_feeds_declare_no_hub_when_none_is_set(client, db, suffix):
    links = parse(client.get(f"{ALL}.{suffix}")).feed.links
    assert [link.href for link in links if link.rel == "hub"] == []


@pytest.mark.parametrize(
    "url",
    [
        f"/feeds/{kind}/gibt-es-nicht.{suffix}"
        for kind in ("themen", "herausgeber", "publikationen")
        for suffix in FORMATS
    ],
)
def test_unknown_topic_issuer_or_series_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_feeds_only_answer_get_and_head(client, db):
    assert client.post(f"{ALL}.rss").status_code == 405


# Conditional GET


@pytest.mark.parametrize("url", RELEASE_FEEDS + PUBLICATION_FEEDS)
def test_feeds_carry_both_validators(client, filed, make_publication, series, url):
    filed().publications.add(make_publication(series=series))
    response = client.get(url)
    assert response.has_header("ETag") and response.has_header("Last-Modified")


def test_feeds_may_be_cached_for_a_minute_at_most(client, db):
    cache_control = client.get(f"{ALL}.atom")["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control)[1])
    assert "public" in cache_control and 0 < max_age <= 60


# Queries a 304 costs: the validators only (and the topic, issuer or series it is about).
VALIDATOR_QUERIES = [(f"/feeds/{url}", n) for url, n in budgets.FEED_NOT_MODIFIED.items()]
NEW_GENERATION_QUERIES = [(f"/feeds/{url}", n) for url, n in budgets.FEED_NEW_GENERATION.items()]


@pytest.mark.parametrize(("request_header", "response_header"), VALIDATORS)
@pytest.mark.parametrize(("url", "queries"), VALIDATOR_QUERIES)
def test_unchanged_feed_is_answered_304_without_rendering(
    client,
    filed,
    make_publication,
    series,
    django_assert_num_queries,
    url,
    queries,
    request_header,
    response_header,
):
    filed().publications.add(make_publication(series=series))
    validator = client.get(url)[response_header]

    with django_assert_num_queries(queries):
        response = client.get(url, headers={request_header: validator})
    assert (response.status_code, response.content) == (304, b"")


def test_a_new_deployment_gives_a_feed_a_new_etag(client, filed, settings):
    filed()
    settings.NEWSROOM_RELEASE = "2026.11.1"
    before = client.get(f"{ALL}.rss")["ETag"]
    settings.NEWSROOM_RELEASE = "2026.11.2"
    response = client.get(f"{ALL}.rss", headers={"If-None-Match": before})
    assert response.status_code == 200 and response["ETag"] != before


def test_a_304_repeats_the_validators_and_the_cache_lifetime(client, filed):
    filed()
    first = client.get(f"{ALL}.rss")
    again = client.get(f"{ALL}.rss", headers={"If-None-Match": first["ETag"]})
    headers = ("ETag", "Last-Modified", "Cache-Control")
    assert [again[name] for name in headers] == [first[name] for name in headers]


@pytest.fixture
def validator_before(client):
    """Fetch a feed and return the validator a reader would send next time."""

    def fetch(url, response_header):
        return client.get(url)[response_header]

    return fetch


@pytest.mark.parametrize(("request_header", "response_header"), VALIDATORS)
def test_validators_change_when_a_scheduled_release_goes_live(
    client, filed, validator_before, request_header, response_header
):
    now = timezone.now()
    filed("frueher", first_published_at=now - timedelta(days=1))
    go_live = now + timedelta(hours=1)
    filed("geplant", state=State.APPROVED, go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        validator = validator_before(f"{ALL}.rss", response_header)

    with time_machine.travel(go_live, tick=False):
        response = client.get(f"{ALL}.rss", headers={request_header: validator})
    assert response.status_code == 200


@pytest.mark.parametrize(("request_header", "response_header"), VALIDATORS)
def test_validators_change_when_a_release_is_withdrawn(
    client, filed, validator_before, request_header, response_header
):
    filed("bleibt")
    going = filed("geht")
    validator = validator_before(f"{ALL}.atom", response_header)

    withdraw(going, when=timezone.now() + timedelta(minutes=1))
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        response = client.get(f"{ALL}.atom", headers={request_header: validator})
    assert response.status_code == 200


@pytest.mark.parametrize(("request_header", "response_header"), VALIDATORS)
def test_validators_change_when_a_correction_is_added(
    client, filed, validator_before, request_header, response_header
):
    release = filed()
    validator = validator_before(f"{TOPIC}.atom", response_header)

    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        Correction.objects.create(release=release, note="Zahl berichtigt.")
        response = client.get(f"{TOPIC}.atom", headers={request_header: validator})
    assert response.status_code == 200


@pytest.mark.parametrize(("request_header", "response_header"), VALIDATORS)
def test_validators_change_when_an_attached_publication_becomes_public(
    client, filed, make_publication, validator_before, request_header, response_header
):
    comes_out = timezone.now() + timedelta(hours=1)
    filed().publications.add(make_publication(published_at=comes_out))
    validator = validator_before(f"{ALL}.rss", response_header)

    with time_machine.travel(comes_out, tick=False):
        response = client.get(f"{ALL}.rss", headers={request_header: validator})
    assert response.status_code == 200


# Queries: a constant number however many items a feed holds

RELEASE_FEED_QUERIES = [
    (f"/feeds/{url}", n)
    for url, n in budgets.FEED_RENDERING.items()
    if url.startswith(("pressemitteilungen", "themen", "herausgeber"))
]


@pytest.mark.parametrize("items", [1, 50])
@pytest.mark.parametrize(("url", "queries"), RELEASE_FEED_QUERIES)
def test_release_feed_renders_in_a_constant_number_of_queries(
    client, filed, make_publication, django_assert_num_queries, url, queries, items
):
    publication = make_publication()
    for number in range(items):
        release = filed(f"r{number}")
        release.publications.add(publication)
        Correction.objects.create(release=release, note="Berichtigt.")

    with django_assert_num_queries(queries):
        client.get(url)


PUBLICATION_FEED_QUERIES = [
    (f"/feeds/{url}", n)
    for url, n in budgets.FEED_RENDERING.items()
    if url.startswith("publikationen")
]


@pytest.mark.parametrize("items", [1, 50])
@pytest.mark.parametrize(("url", "queries"), PUBLICATION_FEED_QUERIES)
def test_publication_feed_renders_in_a_constant_number_of_queries(
    client, make_publication, series, django_assert_num_queries, url, queries, items
):
    for number in range(items):
        make_publication(f"p{number}", series=series)

    with django_assert_num_queries(queries):
        client.get(url)


# Kept item renderings: each item's full text is rendered once per release version, language
# and address, and kept until what it shows changes (releases/feeds.py, `attach_contents`).


@pytest.fixture
def renderings(monkeypatch):
    """The releases whose full text was rendered (not read from what was kept)."""
    rendered = []
    original = feeds.full_text

    def counting(release):
        rendered.append(release.slug)
        return original(release)

    monkeypatch.setattr(feeds, "full_text", counting)
    return rendered


def test_an_items_full_text_is_rendered_once_and_kept(client, filed, renderings):
    for number in range(3):
        filed(f"r{number}")
    client.get(f"{ALL}.rss")
    assert sorted(renderings) == ["r0", "r1", "r2"]

    for url in (f"{ALL}.rss", f"{ALL}.atom", f"{TOPIC}.rss"):
        client.get(url)
    assert len(renderings) == 3


def test_a_kept_item_is_shown_until_the_release_changes_version(client, filed):
    release = filed(body="<p>Erste Fassung.</p>")
    assert "Erste Fassung." in client.get(f"{ALL}.atom").content.decode()

    # A change behind the feed's back (no purge, same version): the kept rendering stands,
    # in a new generation too.
    Release.objects.filter(pk=release.pk).update(body="<p>Zweite Fassung.</p>")
    start_new_generation()
    assert "Erste Fassung." in client.get(f"{ALL}.atom").content.decode()

    # A new version, as every save makes one: with a new time of its last edit. Still behind
    # the feed's back, so a new content generation is what asks for the feed's state again.
    Release.objects.filter(pk=release.pk).update(
        version=release.version + 1, updated_at=timezone.now()
    )
    start_new_generation()
    content = client.get(f"{ALL}.atom").content.decode()
    assert ("Zweite Fassung." in content, "Erste Fassung." in content) == (True, False)


def test_a_kept_item_is_dropped_when_a_correction_is_added(client, filed):
    release = filed()
    client.get(f"{ALL}.rss")
    Correction.objects.create(release=release, note="Zahl berichtigt.")
    assert "Zahl berichtigt." in client.get(f"{ALL}.rss").content.decode()


def test_kept_items_are_kept_per_language(client, filed):
    release = filed(body="<p>Deutscher Text.</p>")
    release.translations.create(
        language="en", title="A release", lead="The lead.", body="<p>English text.</p>"
    )
    assert "Deutscher Text." in client.get(f"{ALL}.atom").content.decode()
    assert "English text." in client.get(f"/en{ALL}.atom").content.decode()
    assert "Deutscher Text." in client.get(f"{ALL}.atom").content.decode()


@pytest.mark.parametrize(
    ("url", "queries"), [(url, dict(VALIDATOR_QUERIES)[url]) for url, _ in RELEASE_FEED_QUERIES]
)
def test_a_feed_read_again_costs_no_validator_query(
    client, filed, make_publication, django_assert_num_queries, url, queries
):
    """What a feed shows is kept for the content generation: a reader after the first costs
    what a 304 costs, the topic or issuer of the address at most."""
    for number in range(5):
        release = filed(f"r{number}")
        release.publications.add(make_publication(f"p{number}"))
    first = client.get(url)

    with django_assert_num_queries(queries):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content


@pytest.mark.parametrize(("url", "queries"), NEW_GENERATION_QUERIES)
def test_a_new_generation_asks_for_the_validators_and_keeps_the_document(
    client, filed, make_publication, series, django_assert_num_queries, url, queries
):
    """A go-live second elsewhere starts a new generation: the feed's validators come from the
    database again, and the document they name is still the one kept."""
    release = filed()
    release.publications.add(make_publication(series=series))
    first = client.get(url)
    start_new_generation()

    with django_assert_num_queries(queries):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_kept_feed_follows_a_rename_of_what_its_etag_does_not_name(client, filed, issuer):
    """The issuer's name is in every item, not in the feed's state: its purge ends the kept
    document (the kept items alone would not have)."""
    filed("r1")
    assert "<name>Ministerium für Beispiele</name>" in client.get(f"{ALL}.atom").content.decode()
    issuer.name = "Ministerium für Gegenbeispiele"
    issuer.save()
    feed = client.get(f"{ALL}.atom").content.decode()
    assert "<name>Ministerium für Gegenbeispiele</name>" in feed
    assert "Ministerium für Beispiele" not in feed


# Publication feeds


@pytest.mark.parametrize("suffix", FORMATS)
def test_publication_feed_lists_public_publications_newest_first(client, make_publication, suffix):
    now = timezone.now()
    make_publication("alt", title="Älterer Bericht", published_at=now - timedelta(days=3))
    make_publication("neu", title="Neuer Bericht", published_at=now - timedelta(days=1))
    make_publication("bald", title="Kommender Bericht", published_at=now + timedelta(days=1))

    assert titles(client.get(f"{PUBLICATIONS}.{suffix}")) == ["Neuer Bericht", "Älterer Bericht"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_series_feed_holds_only_its_series(client, make_publication, series, suffix):
    make_publication("in-reihe", title="In der Reihe", series=series)
    make_publication("einzeln", title="Einzeln")
    assert titles(client.get(f"{SERIES}.{suffix}")) == ["In der Reihe"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_publication_item_encloses_its_file(client, make_publication, suffix):
    publication = make_publication("bericht")
    assert enclosures(client.get(f"{PUBLICATIONS}.{suffix}")) == [
        (
            "http://testserver/publikationen/bericht/download/",
            str(publication.file_size),
            "application/pdf",
        )
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_publication_id_stays_when_title_and_slug_change(client, make_publication, suffix):
    publication = make_publication("erster-name", title="Erster Name")
    before = parse(client.get(f"{PUBLICATIONS}.{suffix}")).entries[0].id
    publication.title, publication.slug = "Zweiter Name", "zweiter"
    publication.save()

    after = parse(client.get(f"{PUBLICATIONS}.{suffix}")).entries[0]
    assert (after.title, after.id) == ("Zweiter Name", before)


def test_publication_ids_differ_between_publications(client, make_publication):
    make_publication("eins")
    make_publication("zwei")
    ids = [entry.id for entry in parse(client.get(f"{PUBLICATIONS}.atom")).entries]
    assert len(set(ids)) == 2


# Autodiscovery and the feeds page


def test_every_page_links_the_feeds_of_all_releases(client, db):
    page = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Pressemitteilungen – Newsroom (RSS)" '
        'href="/feeds/pressemitteilungen.rss">' in page
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Pressemitteilungen – Newsroom (Atom)" '
        'href="/feeds/pressemitteilungen.atom">' in page
    )


def test_default_links_are_what_feed_links_gives(rf, db):
    with translation.override("de"):
        default = render_to_string("includes/feed_links.html", request=rf.get("/"))
        given = render_to_string("includes/feed_links.html", {"feed_links": feed_links()})
    assert default.split() == given.split()


def test_a_topic_page_links_its_topics_feeds(topic):
    with translation.override("de"):
        head = render_to_string("includes/feed_links.html", {"feed_links": feed_links(topic=topic)})
    assert re.findall(
        r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', head
    ) == [
        (
            "application/rss+xml",
            "Pressemitteilungen – Thema Wirtschaft – Newsroom (RSS)",
            f"{TOPIC}.rss",
        ),
        (
            "application/atom+xml",
            "Pressemitteilungen – Thema Wirtschaft – Newsroom (Atom)",
            f"{TOPIC}.atom",
        ),
    ]


def test_an_issuer_page_links_its_issuers_feeds(issuer):
    title = "Pressemitteilungen – Ministerium für Beispiele"
    with translation.override("de"):
        links = feed_links(issuer=issuer)
    assert links == [
        (f"{title} (RSS)", f"{ISSUER}.rss", "application/rss+xml"),
        (f"{title} (Atom)", f"{ISSUER}.atom", "application/atom+xml"),
    ]


@pytest.mark.parametrize("which", ["all", "topic", "issuer"])
def test_feed_links_lead_to_feeds_of_their_type(client, topic, issuer, which):
    links = {
        "all": feed_links(),
        "topic": feed_links(topic=topic),
        "issuer": feed_links(issuer=issuer),
    }[which]
    served = [client.get(link.url)["Content-Type"].split(";")[0] for link in links]
    assert served == [link.mime_type for link in links]


def test_feed_link_titles_follow_the_page_language(topic):
    with translation.override("en"):
        title = feed_links(topic=topic)[0].title
    assert title == "Press releases – topic Wirtschaft – Newsroom (RSS)"


def test_every_page_links_the_feeds_page(client, db):
    assert 'href="/feeds/"' in client.get("/").content.decode()


def test_feeds_page_gives_the_address_of_every_feed(client, topic, issuer, series):
    page = client.get("/feeds/").content.decode()
    addresses = [
        f"http://testserver{feed}.{suffix}"
        for feed in (ALL, TOPIC, ISSUER, PUBLICATIONS, SERIES)
        for suffix in FORMATS
    ]
    assert [address for address in addresses if f">{address}</a>" not in page] == []


def test_feeds_page_names_topics_issuers_and_series(client, topic, issuer, series):
    page = client.get("/feeds/").content.decode()
    assert [
        name
        for name in (
            "<dt>Wirtschaft</dt>",
            "<dt>Ministerium für Beispiele</dt>",
            "<dt>Schlaglicht</dt>",
        )
        if name not in page
    ] == []


def test_feeds_page_is_german_by_default(client, db):
    assert "Feeds: unsere Meldungen in Ihrem Feedreader" in client.get("/feeds/").content.decode()


def test_feeds_page_is_english_under_en(client, db):
    assert "Feeds: our news in your feed reader" in client.get("/en/feeds/").content.decode()


def test_feeds_page_query_count_is_constant(
    client, django_assert_num_queries, topic, issuer, series
):
    for number in range(5):
        Topic.objects.create(name=f"Thema {number}", slug=f"thema-{number}")
        Series.objects.create(title=f"Reihe {number}", slug=f"reihe-{number}")
    with django_assert_num_queries(budgets.FEEDS_PAGE):
        client.get("/feeds/")


@pytest.mark.parametrize("suffix", FORMATS)
def test_renaming_a_topic_changes_the_feeds_validator(client, filed, topic, suffix):
    filed()
    url = f"/feeds/themen/{topic.slug}.{suffix}"
    etag = client.get(url)["ETag"]
    topic.name = "Neuer Themenname"
    topic.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Neuer Themenname" in response.content.decode()
