"""The page cache: anonymous pages come from it, staff and previews never; every publication,
correction and withdrawal shows at once; a scheduled release appears at its second."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases import workflow
from releases.models import PreviewLink, State, Topic


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_CACHE_PAGES = True


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    return response, len(context)


def test_a_second_anonymous_request_needs_no_database(client, make_release):
    release = make_release(title="Zwischengespeichert")
    first, cold = queries_for(client, release.get_absolute_url())
    second, warm = queries_for(client, release.get_absolute_url())
    assert cold > 0 and warm == 0
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pressemitteilungen/",
        "/kontakte/",
        "/publikationen/",
        "/feeds/",
        "/feeds/pressemitteilungen.rss",
        "/feeds/pressemitteilungen.atom",
        "/sitemap.xml",
    ],
)
def test_every_public_page_and_feed_is_cached(client, make_release, url):
    make_release()
    queries_for(client, url)
    assert queries_for(client, url)[1] == 0


def test_staff_are_never_served_from_or_stored_in_the_cache(client, officer, make_release):
    release = make_release()
    client.force_login(officer)
    response, staff_queries = queries_for(client, release.get_absolute_url())
    assert staff_queries > 0 and "private" in response["Cache-Control"]
    assert queries_for(client, release.get_absolute_url())[1] > 0
    client.logout()
    client.cookies.clear()
    # The staff request stored nothing: the first anonymous request is a cold one.
    assert queries_for(client, release.get_absolute_url())[1] > 0


def test_a_made_up_session_cookie_does_not_pass_the_cache(client, make_release):
    """Sending any `sessionid` must not make every page uncached: only a session that exists."""
    release = make_release()
    queries_for(client, release.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "madeup" * 6
    response, queries = queries_for(client, release.get_absolute_url())
    assert response.status_code == 200
    assert queries == 1  # looking the session up, nothing else
    assert "private" not in response["Cache-Control"]


def test_preview_links_are_never_cached(client, make_release, lead):
    future = timezone.now() + timedelta(days=1)
    release = make_release(go_live_at=future, first_published_at=future)
    link = PreviewLink.objects.create(release=release, label="Zeitung", created_by=lead)
    for _ in range(2):
        response = client.get(link.get_absolute_url())
        assert "no-store" in response["Cache-Control"]
    assert link.accesses.count() == 2


def test_publishing_shows_at_once(client, make_release, lead, officer):
    client.get("/")
    release = make_release(
        "neu", title="Frisch freigegeben", live=False, state=State.IN_REVIEW, last_edited_by=officer
    )
    assert "Frisch freigegeben" not in client.get("/").content.decode()
    workflow.take(release.pk, "publish_now", lead, version=release.version)
    assert "Frisch freigegeben" in client.get("/").content.decode()


def test_a_correction_shows_at_once(client, make_release, lead):
    release = make_release()
    client.get(release.get_absolute_url())
    workflow.take(release.pk, "correct", lead, comment="Die Uhrzeit war falsch.")
    assert "Die Uhrzeit war falsch." in client.get(release.get_absolute_url()).content.decode()
    assert (
        "Die Uhrzeit war falsch." in client.get("/feeds/pressemitteilungen.atom").content.decode()
    )


def test_a_withdrawal_leaves_lists_and_feeds_at_once(client, make_release, lead):
    release = make_release(title="Bald zurückgezogen")
    for url in ["/", "/feeds/pressemitteilungen.rss"]:
        assert "Bald zurückgezogen" in client.get(url).content.decode()
    workflow.take(release.pk, "withdraw", lead, comment="Falsche Zahlen.", confirmed=True)
    for url in ["/", "/feeds/pressemitteilungen.rss"]:
        assert "Bald zurückgezogen" not in client.get(url).content.decode()


def test_an_admin_edit_of_a_live_release_shows_at_once(client, make_release):
    release = make_release(title="Alter Titel")
    client.get(release.get_absolute_url())
    release.title = "Neuer Titel"
    release.save()
    assert "Neuer Titel" in client.get(release.get_absolute_url()).content.decode()


def test_a_scheduled_release_appears_at_its_second_with_caching_on(client, make_release):
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    release = make_release(title="Unter Sperrfrist", go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Unter Sperrfrist" not in client.get("/").content.decode()
        assert (
            "Unter Sperrfrist" not in client.get("/feeds/pressemitteilungen.rss").content.decode()
        )
        assert client.get(release.get_absolute_url()).status_code == 404
    with time_machine.travel(go_live, tick=False):
        assert "Unter Sperrfrist" in client.get("/").content.decode()
        assert "Unter Sperrfrist" in client.get("/feeds/pressemitteilungen.rss").content.decode()
        assert client.get(release.get_absolute_url()).status_code == 200


def test_pages_answer_conditional_requests_with_304(client, make_release):
    release = make_release()
    response = client.get(release.get_absolute_url())
    etag = response["ETag"]
    again = client.get(release.get_absolute_url(), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the Redis path runs where REDIS_URL is set (CI)"
)
def test_the_redis_path_is_the_one_in_use():
    from newsroom.redis_cache import RedisCache

    assert isinstance(caches["default"], RedisCache)
    caches["default"].set("newsroom:probe", "ok", 5)
    assert caches["default"].get("newsroom:probe") == "ok"


def test_a_redis_cache_builds_one_client_per_pool_not_one_per_operation(settings):
    """A cold page reads the cache eight or more times; a new redis.Redis for each cost 0.2 ms."""
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    from newsroom.redis_cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/0;redis://127.0.0.1:6379/1", {})
    assert isinstance(cache, DjangoRedisCache)
    client = cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client(write=True) is client.get_client(write=True)
    # The pool decides: a replica is read with its own client.
    assert client.get_client("a") is not client.get_client(write=True)


@pytest.mark.parametrize("url", ["/", "/pressemitteilungen/", "/en/kontakte/", "/feeds/"])
def test_cached_pages_hold_no_visitor_specific_token(client, make_release, url):
    make_release()
    response = client.get(url)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize("cache_pages", [True, False])
def test_feeds_leave_in_one_piece(client, make_release, settings, cache_pages):
    """A feed is written in thousands of small pieces; sent as such, it is 20 times slower."""
    settings.NEWSROOM_CACHE_PAGES = cache_pages
    for number in range(3):
        make_release(f"r{number}")
    for _ in range(2):
        response = client.get("/feeds/pressemitteilungen.atom")
        assert len(response._container) == 1


def test_a_page_is_hashed_once_when_it_is_stored(rf, db):
    """Cache hits then cost no hashing of the body for their ETag."""
    from django.http import HttpResponse

    from newsroom.cache import cache as page_cache
    from newsroom.cache import current_generation, page_key, public_cache

    view = public_cache(lambda request: HttpResponse("Eine Seite"))
    request = rf.get("/irgendwo/")
    view(request)
    stored = page_cache().get(page_key(request, current_generation().name))
    assert stored["ETag"]


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Wirtschaft", slug="wirtschaft")


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys of the pages the page cache stores, and the timeout of every key it writes."""
    from newsroom.cache import cache as page_cache

    store, written = page_cache(), []
    for method in ["set", "add", "set_many"]:
        original = getattr(store, method)

        def spy(key, *args, original=original, **kwargs):
            timeout = kwargs.get("timeout", args[1] if len(args) > 1 else "default")
            written.append((key, timeout))
            return original(key, *args, **kwargs)

        monkeypatch.setattr(store, method, spy)
    return written


def pages_in(written):
    return {key for key, _ in written if str(key).startswith("newsroom:page:")}


def test_unknown_parameters_neither_make_entries_nor_pass_the_cache(
    client, make_release, stored_pages
):
    make_release(title="Eine Mitteilung")
    first, _ = queries_for(client, "/pressemitteilungen/")
    for number in range(30):
        response, queries = queries_for(client, f"/pressemitteilungen/?utm={number}")
        assert queries == 0
        assert response.content == first.content
    assert len(pages_in(stored_pages)) == 1


def test_a_page_asked_for_with_an_unknown_parameter_does_not_carry_it(client, make_release):
    for number in range(25):  # two pages
        make_release(f"r{number}")
    page = client.get("/pressemitteilungen/?utm_source=mail&seite=1").content.decode()
    assert "utm_source" not in page
    assert page == client.get("/pressemitteilungen/?seite=1").content.decode()


@pytest.mark.parametrize("parameter", ["q", "thema", "herausgeber", "jahr", "monat", "von", "bis"])
def test_every_filter_parameter_gets_its_own_page(client, make_release, stored_pages, parameter):
    """The cache keys on the German parameters the filter form reads (releases/filters.py)."""
    make_release(title="Eine Mitteilung")
    unfiltered, _ = queries_for(client, "/pressemitteilungen/")
    assert "Eine Mitteilung" in unfiltered.content.decode()
    # Not a topic, issuer, year, month or date, nor a word of the release: a page of its own.
    filtered, _ = queries_for(client, f"/pressemitteilungen/?{parameter}=x")
    assert "Eine Mitteilung" not in filtered.content.decode()
    assert len(pages_in(stored_pages)) == 2


def test_the_order_of_parameters_does_not_matter(client, make_release, topic, stored_pages):
    make_release(title="Zum Thema").topics.add(topic)
    first, cold = queries_for(client, f"/pressemitteilungen/?thema={topic.slug}&jahr=2016")
    second, warm = queries_for(client, f"/pressemitteilungen/?jahr=2016&thema={topic.slug}")
    assert cold > 0 and warm == 0
    assert second.content == first.content
    assert len(pages_in(stored_pages)) == 1


def test_a_real_filter_still_gets_its_own_page(client, make_release, topic, stored_pages):
    make_release("mit", title="Zum Thema").topics.add(topic)
    make_release("ohne", title="Ohne Thema")
    assert "Ohne Thema" in client.get("/pressemitteilungen/").content.decode()
    filtered, queries = queries_for(client, f"/pressemitteilungen/?thema={topic.slug}")
    assert queries > 0
    assert "Zum Thema" in filtered.content.decode()
    assert "Ohne Thema" not in filtered.content.decode()
    assert len(pages_in(stored_pages)) == 2


def test_every_key_the_page_cache_writes_expires(client, make_release, stored_pages):
    release = make_release()
    client.get(release.get_absolute_url())
    release.save()  # a new generation
    client.get("/")
    assert stored_pages
    assert all(timeout is not None for _, timeout in stored_pages), stored_pages
