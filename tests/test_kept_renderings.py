"""Kept renderings (newsroom.cache.kept): a public release page is rendered once per version and
language, read again for one query, and shown anew after every kind of change it shows.

The page cache is off here (tests/settings.py), as in the benchmark's cold runs: what these tests
see is the kept rendering alone.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Organisation
from releases import views, workflow
from releases.models import PreviewLink, Release, State, Topic
from tests import budgets


def read(client, url, **headers) -> tuple[str, int]:
    """The page at `url` and the number of queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


@pytest.fixture
def release(make_release, contact, make_publication, series):
    release = make_release("kept", title="Eine gehaltene Mitteilung", contacts=[contact])
    release.topics.add(Topic.objects.create(name="Wirtschaft", slug="wirtschaft"))
    release.publications.add(make_publication("heft", title="Ein Heft", series=series))
    return release


def test_a_release_page_read_again_costs_one_query(client, release):
    first, built = read(client, release.get_absolute_url())
    again, kept = read(client, release.get_absolute_url())
    assert (built, kept) == (budgets.RELEASE_PAGE, budgets.RELEASE_PAGE_KEPT)
    assert again == first


def test_the_kept_page_outlives_a_go_live_elsewhere(client, release, make_release):
    go_live = timezone.now() + timedelta(minutes=5)
    make_release("spaeter", go_live_at=go_live, first_published_at=go_live)
    read(client, release.get_absolute_url())
    with time_machine.travel(go_live + timedelta(seconds=1)):
        assert read(client, "/pressemitteilungen/spaeter/")[1] == budgets.RELEASE_PAGE
        assert read(client, release.get_absolute_url())[1] == budgets.RELEASE_PAGE_KEPT


def test_a_visitor_with_a_session_is_given_a_page_built_afresh(client, release, officer):
    read(client, release.get_absolute_url())
    # A change that bypasses every signal purges nothing: anonymous visitors keep the old page.
    Topic.objects.filter(slug="wirtschaft").update(name="Ökonomie")
    assert "Wirtschaft</a>" in read(client, release.get_absolute_url())[0]
    client.force_login(officer)
    page, queries = read(client, release.get_absolute_url())
    assert "Ökonomie</a>" in page
    assert queries > budgets.RELEASE_PAGE_KEPT


def test_a_renamed_topic_shows_at_once(client, release):
    read(client, release.get_absolute_url())
    topic = Topic.objects.get(slug="wirtschaft")
    topic.name = "Ökonomie"
    topic.save()
    page = read(client, release.get_absolute_url())[0]
    assert "Ökonomie</a>" in page and "Wirtschaft</a>" not in page


def test_a_changed_contact_shows_at_once(client, release, contact):
    read(client, release.get_absolute_url())
    contact.phone = "+49 351 999"
    contact.save()
    assert "+49 351 999" in read(client, release.get_absolute_url())[0]


def test_a_changed_issuer_shows_at_once(client, release, issuer):
    read(client, release.get_absolute_url())
    issuer.street_address = "Neue Straße 9"
    issuer.save()
    assert "Neue Straße 9" in read(client, release.get_absolute_url())[0]


def test_a_changed_publication_and_series_show_at_once(client, release, series):
    read(client, release.get_absolute_url())
    publication = release.publications.get()
    publication.title = "Ein neues Heft"
    publication.save()
    series.title = "Brennpunkt"
    series.save()
    page = read(client, release.get_absolute_url())[0]
    assert "Ein neues Heft" in page and "Brennpunkt" in page


def test_an_edit_and_a_correction_show_at_once(client, release, lead):
    read(client, release.get_absolute_url())
    release.title = "Ein neuer Titel"
    release.save()
    assert "Ein neuer Titel" in read(client, release.get_absolute_url())[0]
    workflow.take(release.pk, "correct", lead, comment="Die Zahl war falsch.")
    assert "Die Zahl war falsch." in read(client, release.get_absolute_url())[0]


def test_a_withdrawal_shows_at_once(client, release, lead):
    read(client, release.get_absolute_url())
    workflow.take(release.pk, "withdraw", lead, comment="Falsche Zahlen.", confirmed=True)
    page = read(client, release.get_absolute_url())[0]
    assert "Falsche Zahlen." in page and "notice--withdrawn" in page


def test_a_document_appears_at_its_own_date_with_no_write(client, release, make_publication):
    due = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    release.publications.add(make_publication("spaeter", title="Kommt später", published_at=due))
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert "Kommt später" not in read(client, release.get_absolute_url())[0]
        assert read(client, release.get_absolute_url())[1] == budgets.RELEASE_PAGE_KEPT
    with time_machine.travel(due, tick=False):
        assert "Kommt später" in read(client, release.get_absolute_url())[0]


def test_a_document_made_public_early_by_an_edit_shows_at_once(client, release, make_publication):
    later = timezone.now() + timedelta(days=2)
    document = make_publication("spaeter", title="Kommt später", published_at=later)
    release.publications.add(document)
    assert "Kommt später" not in read(client, release.get_absolute_url())[0]
    document.published_at = timezone.now() - timedelta(minutes=1)
    document.save()
    assert "Kommt später" in read(client, release.get_absolute_url())[0]


def test_previews_neither_fill_nor_use_the_public_rendering(
    client, make_release, contact, lead, officer
):
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    release = make_release(
        "sperre", title="Unter Sperrfrist", go_live_at=go_live, first_published_at=go_live
    )
    link = PreviewLink.objects.create(release=release, label="Zeitung", created_by=lead)
    staff_preview = reverse("admin:releases_release_preview", args=[release.pk])
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "preview-banner" in read(client, link.get_absolute_url())[0]
        assert client.get(release.get_absolute_url()).status_code == 404
    client.force_login(officer)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "preview-banner" in read(client, staff_preview)[0]
    client.logout()
    with time_machine.travel(go_live, tick=False):
        page, queries = read(client, release.get_absolute_url())
        assert queries == budgets.RELEASE_PAGE  # built afresh: no preview filled it
        assert "preview-banner" not in page and "noindex" not in page
        # ...and a preview is never the kept public page.
        assert "preview-banner" in read(client, link.get_absolute_url())[0]
        client.force_login(officer)
        assert "preview-banner" in read(client, staff_preview)[0]


def test_each_language_has_its_own_rendering(client, release):
    german_url = release.get_absolute_url()
    english_url = "/en" + german_url
    german = read(client, german_url)[0]
    english = read(client, english_url)[0]
    assert "Pressemitteilung" in german and '<html lang="de">' in german
    assert '<html lang="en">' in english and "Press release" in english
    assert read(client, english_url) == (english, budgets.RELEASE_PAGE_KEPT)
    assert read(client, german_url) == (german, budgets.RELEASE_PAGE_KEPT)


def test_each_host_has_its_own_rendering(client, release):
    url = release.get_absolute_url()
    assert f'href="http://localhost{url}"' in read(client, url, HTTP_HOST="localhost")[0]
    assert f'href="http://127.0.0.1{url}"' in read(client, url, HTTP_HOST="127.0.0.1")[0]


def test_a_change_of_unknown_reach_drops_every_kept_page(client, release):
    from newsroom.cache import content_changed

    read(client, release.get_absolute_url())
    Release.objects.filter(pk=release.pk).update(title="Still geändert")
    content_changed()
    assert "Still geändert" in read(client, release.get_absolute_url())[0]


def test_a_kept_page_whose_version_is_gone_is_built_again(client, release):
    read(client, release.get_absolute_url())
    # Not through save(): only the version tells (a write that forgot to purge).
    Release.objects.filter(pk=release.pk).update(title="Neu", version=release.version + 1)
    assert "Neu</h1>" in read(client, release.get_absolute_url())[0]


# Lists: their totals and the topics and issuers to filter by are kept per content change and
# go-live second; a search counts only so far.


def test_a_list_read_again_costs_its_ids_and_versions_alone(client, make_release):
    make_release("eins")
    first, built = read(client, "/pressemitteilungen/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/pressemitteilungen/").content.decode()
    assert (built, len(queries)) == (budgets.RELEASE_LIST, budgets.RELEASE_LIST_KEPT)
    assert again == first
    # The total is kept: the archive is not counted again.
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_home_page_read_again_keeps_its_topics(client, make_release):
    make_release("eins").topics.add(Topic.objects.create(name="Wirtschaft", slug="wirtschaft"))
    first, built = read(client, "/")
    again, kept = read(client, "/")
    assert (built, kept) == (budgets.HOME, budgets.HOME_KEPT)
    assert again == first and "Wirtschaft" in again


def test_home_is_kept_until_a_release_is_published_or_goes_live(client, make_release, officer):
    make_release("eins", title="Die erste Mitteilung")
    read(client, "/?utm=1")
    # A change that bypasses every signal purges nothing: visitors keep the kept page, which
    # copied no parameter into its links.
    Release.objects.filter(slug="eins").update(title="Still geändert")
    again, queries = read(client, "/")
    assert "Die erste Mitteilung" in again and queries == 0 and "utm" not in again
    # Staff are given a page built afresh (of the teasers kept per version).
    client.force_login(officer)
    assert "releases/home.html" in [template.name for template in client.get("/").templates]
    client.logout()
    # Another office's release shows nothing home showed: the list's key is what purges home.
    other = Organisation.objects.create(name="Staatskanzlei", slug="sk")
    make_release("zwei", title="Die zweite Mitteilung", issuer=other)
    assert "Die zweite Mitteilung" in read(client, "/")[0]
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release(
        "drei", title="Die dritte Mitteilung", go_live_at=go_live, first_published_at=go_live
    )
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Die dritte Mitteilung" not in read(client, "/")[0]
    with time_machine.travel(go_live, tick=False):
        assert "Die dritte Mitteilung" in read(client, "/")[0]


def topic_list(page: str) -> str:
    start = page.index('<section class="topic-list"')
    return page[start : page.index("</section>", start)]


def test_the_home_topic_list_is_rendered_once_and_follows_a_rename(client, make_release):
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    make_release("eins").topics.add(topic)
    first = client.get("/")
    assert "releases/home_topics.html" in [t.name for t in first.templates]
    again = client.get("/")
    assert "releases/home_topics.html" not in [t.name for t in again.templates]
    assert 'href="/themen/wirtschaft/">Wirtschaft<' in topic_list(again.content.decode())
    english = topic_list(client.get("/en/").content.decode())
    assert 'href="/en/themen/wirtschaft/"' in english and "Topics" in english
    topic.name = "Wirtschaft und Arbeit"
    topic.save()
    assert ">Wirtschaft und Arbeit<" in topic_list(client.get("/").content.decode())


def count_heading(page: str) -> str:
    start = page.index('<h2 id="results-heading">')
    return " ".join(page[start : page.index("</h2>", start)].split()[2:])


def test_a_kept_total_follows_a_publication_and_a_go_live_second(client, make_release, lead):
    make_release("eins")
    assert count_heading(read(client, "/pressemitteilungen/")[0]) == "1 Mitteilung"
    make_release("zwei")
    assert count_heading(read(client, "/pressemitteilungen/")[0]) == "2 Mitteilungen"
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release("drei", go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert count_heading(read(client, "/pressemitteilungen/")[0]) == "2 Mitteilungen"
    with time_machine.travel(go_live, tick=False):
        assert count_heading(read(client, "/pressemitteilungen/")[0]) == "3 Mitteilungen"


def test_a_kept_page_of_the_list_follows_a_publication_a_withdrawal_and_a_go_live_second(
    client, make_release, lead
):
    """A page's rows are kept with the total, as long and no longer. Each change is read twice:
    the first read after it counts the total with the rows, the second reads the rows kept."""

    def titles() -> set[str]:
        pages = [read(client, "/pressemitteilungen/")[0] for _ in range(2)]
        shown = [set(re.findall(r">(\w+ Mitteilung)</a>", page)) for page in pages]
        assert shown[0] == shown[1]
        return shown[0]

    make_release("eins", title="Erste Mitteilung")
    assert titles() == {"Erste Mitteilung"}
    assert read(client, "/pressemitteilungen/")[1] == 0
    zwei = make_release("zwei", title="Zweite Mitteilung")
    assert titles() == {"Erste Mitteilung", "Zweite Mitteilung"}
    workflow.take(zwei.pk, "withdraw", lead, comment="Falsche Zahlen.", confirmed=True)
    assert titles() == {"Erste Mitteilung"}
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release("drei", title="Dritte Mitteilung", go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert titles() == {"Erste Mitteilung"}
    with time_machine.travel(go_live, tick=False):
        assert titles() == {"Erste Mitteilung", "Dritte Mitteilung"}


def test_a_deployment_that_reads_more_of_a_row_does_not_read_the_rows_kept_before(
    client, make_release, settings, monkeypatch
):
    """A page's rows have the shape the code reads; the next deployment keeps its own (it
    answered 500 until the next public change)."""
    make_release("eins", title="Erste Mitteilung")
    for _ in range(2):  # the second read keeps the rows
        read(client, "/pressemitteilungen/")
    settings.NEWSROOM_RELEASE = "the-next-one"
    monkeypatch.setattr(views, "TEASER_FIELDS", (*views.TEASER_FIELDS, "slug"))
    assert "Erste Mitteilung" in read(client, "/pressemitteilungen/")[0]


def test_a_topic_is_offered_from_the_second_its_first_release_goes_live(client, make_release):
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release("eins")
    release = make_release("zwei", go_live_at=go_live, first_published_at=go_live)
    release.topics.add(Topic.objects.create(name="Geheimthema", slug="geheim"))
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Geheimthema" not in read(client, "/pressemitteilungen/")[0]
        assert "Geheimthema" not in read(client, "/")[0]
        refused = read(client, "/pressemitteilungen/?thema=geheim")[0]
        assert "Dieses Thema gibt es nicht." in refused or "no such topic" in refused.lower()
    with time_machine.travel(go_live, tick=False):
        offered = read(client, "/pressemitteilungen/")[0]
        assert '<option value="geheim">Geheimthema</option>' in offered
        assert "Geheimthema" in read(client, "/")[0]
        chosen = read(client, "/pressemitteilungen/?thema=geheim")[0]
        assert count_heading(chosen) == "1 Mitteilung"


def is_search(sql: str) -> bool:
    """A query of the search index (SQLite's FTS5 table, PostgreSQL's search vector)."""
    return "releases_release_search" in sql or "@@" in sql


def test_a_broad_search_counts_only_so_far(client, make_release, monkeypatch):
    from releases import views

    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 3)
    for number in range(5):
        make_release(f"r{number}", title=f"Hochwasser an der Elbe {number}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/pressemitteilungen/?q=Hochwasser")
    page = response.content.decode()
    assert "More than 3 results" in page
    assert "Narrow the search to see further results." in page
    # Three of the five are listed, and the count stopped at the fourth.
    assert page.count('href="/en/pressemitteilungen/r') == 3
    # One query found the ranked ids and stopped at the fourth; none counted.
    searched = [q["sql"] for q in queries.captured_queries if is_search(q["sql"])]
    assert len(searched) == 1 and "LIMIT 4" in searched[0]
    # One pass: the releases are read once, each checked and ranked as it is read.
    assert searched[0].count('FROM "releases_release"') == 1
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_search_repeated_or_paged_is_not_searched_again(client, make_release, monkeypatch):
    from releases import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(5):
        make_release(f"r{number}", title=f"Hochwasser an der Elbe {number}")
    first = read(client, "/pressemitteilungen/?q=Hochwasser")[0]
    assert count_heading(first) == "5 Mitteilungen gefunden"
    for url in ("/pressemitteilungen/?q=Hochwasser", "/pressemitteilungen/?q=Hochwasser&seite=3"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert not [q for q in queries.captured_queries if is_search(q["sql"])]
    assert page.count('href="/pressemitteilungen/r') == 1


def test_a_kept_search_is_kept_per_language(client, make_release):
    """On an English page a release is found by its English translation too."""
    release = make_release("flut", title="Hochwasser an der Elbe")
    release.translations.create(
        language="en", title="Floods on the Elbe", lead="The lead.", body="<p>Text.</p>"
    )
    german = read(client, "/pressemitteilungen/?q=Floods")[0]
    assert count_heading(german) == "0 Mitteilungen gefunden"
    english = read(client, "/en/pressemitteilungen/?q=Floods")[0]
    assert "1 release found" in english and 'href="/en/pressemitteilungen/flut/"' in english


def test_a_kept_search_follows_a_publication_and_a_go_live_second(client, make_release):
    make_release("eins", title="Hochwasser an der Elbe")
    assert count_heading(read(client, "/pressemitteilungen/?q=Hochwasser")[0]) == (
        "1 Mitteilung gefunden"
    )
    make_release("zwei", title="Wieder Hochwasser")
    assert count_heading(read(client, "/pressemitteilungen/?q=Hochwasser")[0]) == (
        "2 Mitteilungen gefunden"
    )
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release("drei", title="Hochwasser vorbei", go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        page = read(client, "/pressemitteilungen/?q=Hochwasser")[0]
        assert count_heading(page) == "2 Mitteilungen gefunden"
    with time_machine.travel(go_live, tick=False):
        page = read(client, "/pressemitteilungen/?q=Hochwasser")[0]
        assert count_heading(page) == "3 Mitteilungen gefunden"


def test_a_narrow_search_counts_exactly(client, make_release):
    make_release("eins", title="Hochwasser an der Elbe")
    make_release("zwei", title="Neue Brücke")
    page = read(client, "/pressemitteilungen/?q=Hochwasser")[0]
    assert count_heading(page) == "1 Mitteilung gefunden"


def test_a_deployment_with_other_templates_does_not_read_older_renderings(tmp_path, settings):
    from newsroom.cache import deployment_fingerprint

    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>Alt</p>")
    deployment_fingerprint.cache_clear()
    try:
        before = deployment_fingerprint()
        template.write_text("<p>Neu</p>")  # same size; a build may keep the times too
        deployment_fingerprint.cache_clear()
        assert deployment_fingerprint() != before
    finally:
        deployment_fingerprint.cache_clear()


def listed_slugs(page: str) -> list[str]:
    return re.findall(r'href="/pressemitteilungen/(r\d\d)/"', page)


def test_deep_pages_start_after_the_page_before_them(client, make_release, monkeypatch):
    from releases import views

    monkeypatch.setattr(views, "KEYSET_FROM", views.PAGE_SIZE)  # from page 2 on
    base = timezone.now() - timedelta(days=1)
    for number in range(45):
        # Pairs share their publication second: the order falls back to go-live, then id.
        published = base - timedelta(minutes=number // 2)
        make_release(f"r{number:02}", first_published_at=published, go_live_at=published)
    newest_first = list(Release.objects.live().newest_first().values_list("slug", flat=True))
    assert listed_slugs(read(client, "/pressemitteilungen/?seite=2")[0]) == newest_first[20:40]
    for number in (2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/pressemitteilungen/?seite={number}").content.decode()
        assert listed_slugs(page) == newest_first[(number - 1) * 20 : number * 20]
        assert not [q for q in queries.captured_queries if "OFFSET" in q["sql"]]
    # A release published meanwhile moves every page by one: the kept rows are dropped.
    make_release("r99")
    newest_first.insert(0, "r99")
    assert listed_slugs(read(client, "/pressemitteilungen/?seite=2")[0]) == newest_first[20:40]


@pytest.mark.parametrize("number", ["999999999999999999999", "99999999", "-1", "2", "zwei"])
def test_a_page_beyond_the_list_is_a_404_before_the_total_is_known(client, make_release, number):
    make_release("eins")
    assert client.get(f"/pressemitteilungen/?seite={number}").status_code == 404


def test_a_release_page_that_would_hold_a_csrf_token_is_never_kept(client, release, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured
    from django.middleware.csrf import get_token

    from releases import views

    original = views.page_context

    def with_a_token(request, release, **options):
        get_token(request)  # as a form with {% csrf_token %} would
        return original(request, release, **options)

    monkeypatch.setattr(views, "page_context", with_a_token)
    with pytest.raises(ImproperlyConfigured):
        client.get(release.get_absolute_url())


def test_a_new_code_version_renders_release_pages_afresh(client, release, settings):
    settings.NEWSROOM_RELEASE = "2026-11-27.1"
    read(client, release.get_absolute_url())
    Release.objects.filter(pk=release.pk).update(title="Mit neuem Code")  # purges nothing
    settings.NEWSROOM_RELEASE = "2026-11-27.2"
    assert "Mit neuem Code" in read(client, release.get_absolute_url())[0]


def test_the_filter_form_is_rendered_once_per_language_choices_and_query(
    client, make_release, monkeypatch
):
    from releases import filters

    make_release("eins").topics.add(Topic.objects.create(name="Wirtschaft", slug="wirtschaft"))
    monkeypatch.setattr(filters, "_rendered_fields", {})
    rendered = []
    render = filters.render_to_string
    monkeypatch.setattr(
        filters, "render_to_string", lambda *a, **k: rendered.append(a[0]) or render(*a, **k)
    )
    first = read(client, "/pressemitteilungen/")[0]
    assert read(client, "/pressemitteilungen/")[0] == first
    assert read(client, "/pressemitteilungen/?seite=1")[0].count('value="wirtschaft"') == 1
    assert len(rendered) == 2  # once unbound, once bound without a filter
    # A chosen filter or a search shows as chosen, rendered once for what was asked.
    chosen = read(client, "/pressemitteilungen/?thema=wirtschaft")[0]
    assert '<option value="wirtschaft" selected>Wirtschaft</option>' in chosen
    assert read(client, "/pressemitteilungen/?thema=wirtschaft")[0] == chosen
    assert len(rendered) == 3
    searched = read(client, "/pressemitteilungen/?q=Hafen&thema=wirtschaft")[0]
    assert 'value="Hafen"' in searched and 'wirtschaft" selected' in searched
    read(client, "/pressemitteilungen/?q=Hafen&thema=wirtschaft")
    assert len(rendered) == 4
    assert 'value="Hafenbahn"' in read(client, "/pressemitteilungen/?q=Hafenbahn")[0]
    assert len(rendered) == 5
    # Other words with the same filters: the same rendering, with these words in it.
    assert 'value="Hafenkran"' in read(client, "/pressemitteilungen/?q=Hafenkran")[0]
    assert len(rendered) == 5
    # A new topic in use is a new set of choices: rendered again, and offered.
    make_release("zwei").topics.add(Topic.objects.create(name="Kultur", slug="kultur"))
    assert '<option value="kultur">Kultur</option>' in read(client, "/pressemitteilungen/")[0]
    assert len(rendered) == 6
    # English labels are their own rendering.
    assert "All topics" in read(client, "/en/pressemitteilungen/")[0]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "Hafen"},
        {"q": 'Kräne & "Schiffe" <am> Kai  '},
        {"q": "\ue000words\ue000 und mehr"},
        {"q": "Hafen", "thema": "wirtschaft", "jahr": "2016"},
        {"q": "Hafen", "jahr": "zwanzig"},
        {"q": "x" * 201},
        {"q": ""},
        {"q": ["Hafen", "Kai"]},
    ],
)
def test_a_search_form_rendered_for_other_words_is_the_form_rendered_for_these(
    rf, make_release, query
):
    """The fields are rendered once per filters with a stand-in for the words: with the words
    put in its place, they are what rendering them for these words gives."""
    from django.template.loader import render_to_string

    from releases.filters import ReleaseFilterForm

    make_release("eins").topics.add(Topic.objects.create(name="Wirtschaft", slug="wirtschaft"))
    ReleaseFilterForm(rf.get("/", {**query, "q": "Andere Wörter"}).GET).rendered_fields()
    form = ReleaseFilterForm(rf.get("/", query).GET)
    form.is_valid()
    direct = render_to_string("includes/filter_fields.html", {"form": form})
    assert form.rendered_fields() == direct


def test_a_request_reads_the_generation_once(client, make_release, monkeypatch):
    from newsroom import cache

    make_release("eins").topics.add(Topic.objects.create(name="Wirtschaft", slug="wirtschaft"))
    lookups = []
    lookup = cache._lookup
    monkeypatch.setattr(cache, "_lookup", lambda *a: lookups.append(a) or lookup(*a))
    # The total, the topics and the issuers are each kept in the generation; it is read once.
    read(client, "/pressemitteilungen/")
    assert len(lookups) == 1
    read(client, "/pressemitteilungen/")
    assert len(lookups) == 2


# --- the page frame and the home page's parts ---------------------------------------------------


class CountingDict(dict):
    """The frame's renderings, noting (name, language, view) of each one made."""

    def __init__(self):
        super().__init__()
        self.made = []

    def __setitem__(self, key, value):
        self.made.append(key[:3])
        super().__setitem__(key, value)


@pytest.fixture
def frames(monkeypatch):
    from newsroom.templatetags import frame

    made = CountingDict()
    monkeypatch.setattr(frame, "_rendered", made)
    return made


def header(page: str) -> str:
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def footer(page: str) -> str:
    return page[page.index('<footer class="site-footer">') : page.index("</footer>")]


def test_the_page_frame_is_rendered_once_per_language_and_view(client, make_release, frames):
    make_release("eins")
    for url in ["/", "/", "/pressemitteilungen/", "/pressemitteilungen/?seite=1", "/en/", "/en/"]:
        read(client, url)
    assert frames.made == [
        ("header", "de", "releases:home"),
        ("footer", "de", "releases:home"),
        ("header", "de", "releases:list"),
        ("footer", "de", "releases:list"),
        ("header", "en", "releases:home"),
        ("footer", "en", "releases:home"),
    ]


def test_the_kept_frame_marks_its_own_page_and_follows_the_portal_settings(
    client, make_release, frames
):
    from tests.test_portal import rename_portal

    make_release("eins")
    home, listing = read(client, "/")[0], read(client, "/pressemitteilungen/")[0]
    assert 'aria-current="page"' not in header(home)
    assert '<a href="/pressemitteilungen/" aria-current="page">' in header(listing)
    assert '<a href="/en/pressemitteilungen/" aria-current="page">' in header(
        read(client, "/en/pressemitteilungen/")[0]
    )

    rename_portal("Medienservice Sachsen")
    again = read(client, "/")[0]
    assert "Medienservice Sachsen" in header(again) and "Medienservice Sachsen" in footer(again)
    assert header(again).replace("Medienservice Sachsen", "Newsroom") == header(home)


def test_the_language_links_follow_the_page_they_are_on(client, make_release):
    url = make_release("eins").get_absolute_url()
    for _ in range(2):  # the second time from what the process keeps
        page = read(client, url)[0]
        assert '<a href="/en/pressemitteilungen/eins/" hreflang="en" lang="en">' in page
        english = read(client, "/en/")[0]
        assert '<a href="/" hreflang="de" lang="de">' in english


def test_a_value_kept_around_another_ends_when_the_inner_one_does(db):
    """A kept value that reads another kept value (a feed's state, its document) ends at the
    second the inner one ends, whether the inner one was computed or read."""
    from newsroom.cache import changes_at, kept

    soon = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    computed = []

    def inner():
        changes_at(soon)
        return "inner"

    def outer():
        computed.append("outer")
        return kept("test:inner", inner) + " and outer"

    kept("test:inner", inner)
    assert kept("test:outer", outer) == "inner and outer"  # the inner value was read
    assert kept("test:outer", outer) and computed == ["outer"]
    with time_machine.travel(soon, tick=False):
        kept("test:outer", outer)
    assert computed == ["outer", "outer"]


@pytest.mark.parametrize("described", ["before the save", "after the save"])
@pytest.mark.parametrize(
    "url", ["/publikationen/", "/feeds/publikationen.rss", "/herausgeber/mfb/"]
)
def test_a_document_appears_at_its_own_date_on_cached_pages_and_feeds(
    client, make_publication, settings, described, url
):
    """A document's own date changes pages with no write: no cached page or kept feed outlives
    it, whether the content generation was described before the document was saved (its save
    ends the generation early) or after (the description names its date)."""
    from tests.helpers import start_new_generation

    settings.NEWSROOM_CACHE_PAGES = True
    make_publication("alt", title="Der alte Bericht")
    soon = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    if described == "after the save":
        client.get(url)
    make_publication("neu", title="Der neue Bericht", published_at=soon)
    if described == "after the save":
        start_new_generation()
    page = client.get(url).content.decode()
    assert "Der alte Bericht" in page and "Der neue Bericht" not in page
    with time_machine.travel(soon, tick=False):
        assert "Der neue Bericht" in client.get(url).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index-only scan")
def test_a_lists_ids_and_total_are_read_from_the_index_alone(client, make_release):
    """After a publication the total is counted again: over every live release's row it took
    0.7 s for 100,000; from the list index, which carries the version, 50 ms."""
    for number in range(3):
        make_release(f"r{number}", title=f"Mitteilung {number}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/pressemitteilungen/").status_code == 200
    (counting,) = [q["sql"] for q in queries.captured_queries if " OVER " in q["sql"]]
    with connection.cursor() as cursor:
        # A few rows would be read whole anyway: the plan for a large archive is asked for. With
        # so few rows, sorting them after reading another index may look as cheap as reading
        # them in order (as the statistics of the moment have it); for 100,000 it is not. Every
        # kind of sort is ruled out, the incremental one after another index's order too.
        cursor.execute("ANALYZE releases_release")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN {counting}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Only Scan using release_live_newest" in plan, plan


@pytest.mark.parametrize(
    "change",
    [
        {"state": State.DRAFT},
        {"go_live_at": timezone.now() + timedelta(days=1)},
        {"slug": "umbenannt"},
    ],
    ids=["taken-back", "embargoed-again", "moved"],
)
def test_a_kept_page_whose_release_left_the_public_or_its_address_is_not_served(
    client, release, change
):
    url = release.get_absolute_url()
    read(client, url)
    # Not through save(): nothing is purged, and the version stays.
    Release.objects.filter(pk=release.pk).update(**change)
    assert client.get(url).status_code == 404


@pytest.fixture
def cache_reads(monkeypatch):
    """The reads of the shared cache (each a round trip to Redis in production): names asked."""
    from newsroom.cache import cache

    store, reads, inside = cache(), [], []
    for method in ["get", "get_many"]:
        original = getattr(store, method)

        def counted(key, *args, original=original, **kwargs):
            if not inside:  # a backend's get_many may call its own get
                reads.append(key)
            inside.append(key)
            try:
                return original(key, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(store, method, counted)
    return reads


def test_a_list_read_again_asks_the_shared_cache_once_per_kind_of_value(
    client, make_release, cache_reads
):
    """The generation; the filters' choices (topics and issuers in one value) and their keys;
    the total and its key; the page's rows (kept with the total: no query); the teasers and
    their keys; the portal's settings. Every key's token is read once in a request (each value
    shows EVERYTHING; teasers share issuers and topics)."""
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    for number in range(3):
        make_release(f"r-{number}").topics.add(topic)
    read(client, "/pressemitteilungen/")
    read(client, "/pressemitteilungen/")  # the first read counted the total with the rows
    cache_reads.clear()
    assert read(client, "/pressemitteilungen/")[1] == 0
    assert len(cache_reads) == 9, cache_reads
    tokens = [name for names in cache_reads if isinstance(names, list) for name in names]
    tokens = [name for name in tokens if ":key:" in name]
    assert len(tokens) == len(set(tokens)), tokens


def test_a_purge_within_a_request_is_seen_by_what_the_request_reads_next(db):
    from newsroom.cache import kept, one_generation, purge

    with one_generation():
        kept("newsroom:test:value", lambda: "eins", keys=["release:1"])
        assert kept("newsroom:test:value", lambda: "nie") == "eins"
        purge(["release:1"])
        assert kept("newsroom:test:value", lambda: "zwei") == "zwei"


def purge_in_another_worker(keys):
    """A purge made by another process meanwhile: this request cannot forget what it read."""
    import threading

    from newsroom.cache import purge

    worker = threading.Thread(target=purge, args=(list(keys),))
    worker.start()
    worker.join()


def test_a_purge_elsewhere_after_a_token_was_read_is_seen_by_what_is_computed_next(db):
    """A request that read a token, then computes a value around the value it names: a purge
    from another worker in between must not let the old inner value be stored as fresh."""
    from newsroom.cache import kept, one_generation

    data = {"name": "alt"}

    def inner():
        return kept("newsroom:test:inner", lambda: data["name"], keys=["topic:1"])

    with one_generation():
        inner()
    with one_generation():
        inner()  # the request has read topic:1's token
        data["name"] = "neu"
        purge_in_another_worker(["topic:1"])
        assert kept("newsroom:test:outer", lambda: inner().upper()) == "NEU"
    with one_generation():
        assert kept("newsroom:test:outer", lambda: "nie") == "NEU"


def test_home_shows_a_topic_renamed_by_another_worker_while_it_was_built(
    client, make_release, monkeypatch
):
    from newsroom import cache
    from newsroom.cache import purge, touched_keys

    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    make_release("r").topics.add(topic)
    assert "Wirtschaft" in read(client, "/")[0]
    purge(["list:releases"])  # a publication elsewhere: home is built again
    count, renamed = cache._purge_count, []

    def rename_meanwhile(store):
        if not renamed:  # home's teasers were checked; the rename lands before home is built
            renamed.append(topic)
            Topic.objects.filter(pk=topic.pk).update(name="Ökonomie")
            topic.refresh_from_db()
            purge_in_another_worker(touched_keys(topic))
        return count(store)

    monkeypatch.setattr(cache, "_purge_count", rename_meanwhile)
    read(client, "/")
    monkeypatch.setattr(cache, "_purge_count", count)
    page = read(client, "/")[0]
    assert "Ökonomie" in page and "Wirtschaft" not in page
