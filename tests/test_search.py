"""Search finds what a German journalist types, the same on SQLite and PostgreSQL.

The table of queries and expected hits below runs on whichever database the suite runs on;
CI runs the suite on both (`.ci/run`).
"""

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import django.contrib.admin as admin_static
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.models import Release, Topic
from releases.search import FTS_TABLE, best_first, fold, search, snippet, variants

# slug -> (title, lead, body)
RELEASES = {
    "werkstatt": (
        "Kreativwirtschaft für die industrielle Wertschöpfung nutzen",
        "Die StrategieWerkstatt bringt Kultur und Industrie zusammen.",
        "<p>Gemeinsam entstehen neue Ideen.</p>",
    ),
    "preis": (
        "Innovationspreis verliehen",
        "Ausgezeichnet wird eine Innovation aus der Lausitz.",
        "<p>Der Preis ist mit 10.000 Euro dotiert.</p>",
    ),
    "gruendung": (
        "Gründerzentrum eröffnet",
        "Junge Unternehmen finden Büros und Beratung.",
        "<p>Die Straße zum Zentrum ist ausgeschildert.</p>",
    ),
    "schule": (
        "Mehr Stellen an Schulen",
        "Das Land stellt zusätzliche Lehrkräfte ein.",
        "<p>Bewerbungen sind ab sofort möglich.</p>",
    ),
    "verkehr": (
        "Brücke über die Elbe saniert",
        "Der Verkehr rollt wieder.",
        "<p>Die Bauarbeiten dauerten ein Jahr.</p>",
    ),
}

# What a journalist types -> the releases it must find (in any order), on both databases.
QUERIES = [
    ("Wertschöpfung", {"werkstatt"}),
    ("WERTSCHÖPFUNG", {"werkstatt"}),
    ("wertschopfung", {"werkstatt"}),
    ("Wertschoepfung", {"werkstatt"}),
    ("Innovationen", {"preis"}),
    ("Innovation", {"preis"}),
    ("Unternehmens", {"gruendung"}),
    ("unternehmen", {"gruendung"}),
    ("Lehrkraft", {"schule"}),
    ("LEHRKRÄFTE", {"schule"}),
    ("Lehrkraefte", {"schule"}),
    ("Strasse", {"gruendung"}),
    ("STRASSE", {"gruendung"}),
    ("Gruenderzentrum", {"gruendung"}),
    ("Brücken", {"verkehr"}),
    ("Brucke Elbe", {"verkehr"}),
    ("Wertschöpfung und Industrie", {"werkstatt"}),
    ("Wertschöpfung Lehrkräfte", set()),
    ("Tunnel", set()),
    ("und", set()),
    # Operators and column filters are words, not syntax: "or" and "title" must occur too.
    ('"Wertschöpfung" OR title:*', set()),
    ("Wertschöpfung*", {"werkstatt"}),
    ("-- ; DROP TABLE", set()),
]


@pytest.fixture
def searchable(make_release):
    for slug, (title, lead, body) in RELEASES.items():
        make_release(slug, title=title, lead=lead, body=body)
    # Not live: never found, whatever it contains.
    make_release(
        "entwurf",
        live=False,
        title="Wertschöpfung, Innovationen, Unternehmen und Lehrkräfte im Entwurf",
    )
    future = timezone.now() + timedelta(days=1)
    make_release(
        "sperrfrist",
        title="Wertschöpfung unter Sperrfrist",
        lead="Innovation, Unternehmen, Lehrkräfte.",
        go_live_at=future,
        first_published_at=future,
    )


def ranked(matches) -> list[str]:
    """The slugs of what `search` found, best first."""
    slugs = dict(Release.objects.values_list("pk", "slug"))
    return [slugs[pk] for pk in best_first(matches)]


def found(query: str) -> set[str]:
    return set(search(Release.objects.live(), query).values_list("slug", flat=True))


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_query_finds_the_same_releases_on_every_database(searchable, query, expected):
    assert found(query) == expected


def test_the_search_page_shows_the_hits(client, searchable):
    page = client.get("/pressemitteilungen/", {"q": "Lehrkraft"}).content.decode()
    titles = re.findall(r'class="teaser__title"><a href="[^"]+">([^<]+)</a>', page)
    assert titles == ["Mehr Stellen an Schulen"]
    assert "zusätzliche <mark>Lehrkräfte</mark> ein." in page


def test_a_hit_is_the_kept_teaser_with_the_snippet_for_its_lead(client, searchable):
    """The list's teaser is rendered once and kept; a search shows it with its snippet in place
    of the lead, and the list after the search shows the lead again."""
    lead = Release.objects.get(slug="schule").lead
    listed = client.get("/pressemitteilungen/").content.decode()
    assert lead in listed
    response = client.get("/pressemitteilungen/", {"q": "Lehrkraft"})
    assert "includes/release_teaser.html" not in [t.name for t in response.templates]
    page = response.content.decode()
    teaser = re.search(r'<article class="teaser">.*?</article>', page, re.DOTALL)[0]
    assert '<p class="teaser__lead">' in teaser and "<mark>Lehrkräfte</mark>" in teaser
    assert lead not in teaser and teaser.count("teaser__lead") == 1
    assert 'href="/pressemitteilungen/schule/"' in teaser  # the rest of the kept teaser
    assert "<mark>" not in client.get("/pressemitteilungen/").content.decode()


def test_a_teaser_first_rendered_for_a_search_is_kept_with_its_lead(client, searchable):
    """The search's snippet goes into the page, not into the teaser kept for every list."""
    lead = Release.objects.get(slug="schule").lead
    searched = client.get("/pressemitteilungen/", {"q": "Lehrkraft"}).content.decode()
    assert "<mark>Lehrkräfte</mark>" in searched and lead not in searched
    for url in ["/pressemitteilungen/", "/"]:
        page = client.get(url).content.decode()
        assert "<mark>" not in page and lead in page, url


def test_a_search_reads_its_hits_text_once(client, searchable):
    """For the snippets; teasers not kept yet are loaded without it."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/pressemitteilungen/", {"q": "Lehrkraft"}).content.decode()
    assert "<mark>Lehrkräfte</mark>" in page
    loads = [q for q in queries.captured_queries if '"releases_release"."body"' in q["sql"]]
    assert len(loads) == 1


def test_words_at_a_paragraph_end_and_entities_are_words(client, make_release):
    """The last word of a paragraph was indexed joined to the next one ("BrückenNeue"), and
    the snippet showed "&amp;" as text."""
    make_release(
        "absatz",
        title="Bauvorhaben",
        lead="",
        body="<p>Die Firma Müller &amp; Söhne saniert Brücken</p><p>Neue Wege entstehen.</p>",
    )
    assert found("Brücken") == found("Neue") == {"absatz"}
    assert found("amp") == set()
    page = client.get("/pressemitteilungen/", {"q": "Brücken"}).content.decode()
    assert "Müller &amp; Söhne saniert <mark>Brücken</mark> Neue Wege entstehen." in page


# The vector as a column of the rows read (not as a function's argument, nor in a WHERE).
SELECTS_THE_VECTOR = re.compile(
    r'(SELECT|,) ("releases_release"|translation)\."search_vector"(,| FROM)'
)


@pytest.mark.parametrize(
    "url",
    [
        "/pressemitteilungen/?q=Lehrkraft",
        "/en/pressemitteilungen/?q=Lehrkraft",
        "/en/pressemitteilungen/",
        "/pressemitteilungen/schule/",
        "/feeds/pressemitteilungen.atom",
        "/pressemitteilungen/",
    ],
)
def test_public_pages_never_load_the_search_vector(client, searchable, url):
    """Only the database reads it (a release's, or its translation's on an English page); it
    is kilobytes a release, kept in the row on PostgreSQL."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert [q["sql"] for q in queries.captured_queries if 'FROM "releases_release"' in q["sql"]]
    assert not [q["sql"] for q in queries.captured_queries if SELECTS_THE_VECTOR.search(q["sql"])]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage")
@pytest.mark.django_db
def test_the_search_vectors_are_kept_in_their_rows():
    """Storage MAIN: a vector is compressed or moved out only if its row could not hold it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'search_vector' AND attrelid IN "
            "('releases_release'::regclass, 'releases_releasetranslation'::regclass)"
        )
        assert dict(cursor.fetchall()) == {
            "releases_release": "m",
            "releases_releasetranslation": "m",
        }


def test_an_edit_is_found_at_once_and_the_old_words_no_more(searchable):
    release = Release.objects.get(slug="verkehr")
    release.lead = "Die Umleitung über Meißen entfällt."
    release.save()
    assert found("Meissen") == {"verkehr"}
    assert found("rollt") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's vector is in the row")
def test_a_deleted_draft_leaves_nothing_in_the_index(make_release):
    draft = make_release("weg", live=False, title="Einmalige Wortschöpfung")
    pk = draft.pk
    draft.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608
        assert cursor.fetchone() == (0,)


def test_a_release_going_live_is_found_without_another_save(searchable, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert found("Sperrfrist") == {"sperrfrist"}


def test_title_ranks_above_text(make_release):
    make_release("im-text", title="Allgemeines", body="<p>Hier geht es auch um Brücken.</p>")
    make_release("im-titel", title="Brücken werden saniert")
    assert ranked(search(Release.objects.live(), "brucken")) == ["im-titel", "im-text"]


# SQLite's statistics (sqlite_stat1) of the benchmark's archive of 10,000 releases.
ARCHIVE_STATISTICS = {
    "release_live_newest": "10000 10000 1 1 1",
    "release_withdrawn": "10000 10000 10000",
    "release_issuer": "10000 1667 1667 1",
    "releases_release_state_d65a3833": "10000 10000",
    "releases_release_issuer_id_e7dfde18": "10000 1667",
    "releases_release_created_by_id_871d2043": "10000 10000",
    "releases_release_last_edited_by_id_0a999b4e": "10000 10000",
    "releases_release_go_live_at_c7686df5": "10000 1",
    "releases_release_first_published_at_aa8ef5dd": "10000 1",
    "sqlite_autoindex_releases_release_1": "10000 1",
    "sqlite_autoindex_releases_release_2": "10000 1",
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_search_walks_the_list_index_newest_first_on_sqlite(make_release, language):
    """SQLite read every match by its id and sorted them all: for a common word, 25 ms of a
    37 ms search of 10,000 releases."""
    make_release("brucken", title="Brücken")
    ranks = search(Release.objects.live(), "Brücken", language).values_list("pk", "rank")
    sql, params = ranks.query.sql_with_params()
    with connection.cursor() as cursor:
        # The plan for 10,000 releases, all approved (as the benchmark's archive has them).
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'releases_release'")
        for index, counts in ARCHIVE_STATISTICS.items():
            cursor.execute(
                "INSERT INTO sqlite_stat1 VALUES ('releases_release', %s, %s)", [index, counts]
            )
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("DELETE FROM sqlite_stat1")  # the next tests plan without them
        cursor.execute("ANALYZE sqlite_schema")
    assert "COVERING INDEX release_live_newest" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("language", ["de", "en"])
def test_hits_rank_by_how_often_the_words_occur_not_how_close_they_stand(make_release, language):
    """As FTS5's bm25 ranks, on both databases. PostgreSQL's rank of all the words weighed the
    distance between each pair of them in every match: two thirds of a broad search's time."""
    filler = " ".join(["Verkehr"] * 20)
    make_release("nah", title="Allgemeines", body=f"<p>Brücken in Sachsen. {filler}</p>")
    make_release(
        "oft",
        title="Allgemeines",
        body=f"<p>Brücken, Brücken, Brücken. {filler} Sachsen, Sachsen, Sachsen.</p>",
    )
    found = search(Release.objects.live(), "Brücken Sachsen", language)
    assert ranked(found) == ["oft", "nah"]


@pytest.mark.parametrize("query", ["und der die", "the", "the and of", "und"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_search_of_stop_words_only_finds_nothing(client, searchable, query, language):
    """In German, in English or in both (SQLite read the stand-in for "no words" as an
    unterminated string on English pages: a 500)."""
    assert best_first(search(Release.objects.live(), query, language)) == []
    prefix = "" if language == "de" else f"/{language}"
    page = client.get(f"{prefix}/pressemitteilungen/", {"q": query})
    assert page.status_code == 200 and not page.context["page"].object_list


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_common_word_ranks_only_its_newest_matches(make_release, language):
    """Ranking every release with a common word took seconds on PostgreSQL: the newest matches
    are ranked, one more than the result pages show."""
    now = timezone.now()
    # The oldest has the word in its title (it would rank first), the others in the text.
    for age, slug in enumerate(["neu", "mittel", "alt", "aelter"]):
        published = now - timedelta(days=age + 1)
        make_release(
            slug,
            title="Allgemeines",
            body="<p>Es geht um Brücken.</p>",
            go_live_at=published,
            first_published_at=published,
        )
    published = now - timedelta(days=30)
    make_release("titel", title="Brücken", go_live_at=published, first_published_at=published)
    found = search(Release.objects.live(), "brucken", language, up_to=3)
    assert ranked(found) == ["neu", "mittel", "alt"]  # equal ranks: newest first


def test_snippet_marks_the_folded_and_stemmed_words(make_release):
    release = make_release(
        "s", title="T", lead="Mehr Lehrkräfte für die Wertschöpfung & <Schulen>."
    )
    marked = snippet(release.localized, "lehrkraft WERTSCHOEPFUNG")
    assert marked == (
        "Mehr <mark>Lehrkräfte</mark> für die <mark>Wertschöpfung</mark> &amp; &lt;Schulen&gt;."
    )


def test_snippet_falls_back_to_the_text_around_the_hit(make_release):
    body = "<p>" + " ".join(["Füllwort"] * 40) + " Innovationen aus Sachsen.</p>"
    release = make_release("s", title="T", lead="Ein Vorspann.", body=body)
    assert "<mark>Innovationen</mark> aus Sachsen." in snippet(release.localized, "Innovation")


def test_folding_of_documents_and_queries():
    assert variants("Wertschöpfung") == ["wertschoepfung", "wertschopfung"]
    assert variants("Straße") == ["strasse"]
    assert variants("Café") == ["cafe"]
    assert fold("WERTSCHÖPFUNG") == "wertschoepfung"
    # "ö" typed as "o" and a combining diaeresis is still an umlaut.
    assert fold("Scho\u0308pfung") == "schoepfung"


# --- filters and the search box ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [("jahr=abc", "jahr"), ("von=2026-05-01&bis=2026-01-01", "bis"), ("von=kaputt", "von")],
)
def test_a_bad_filter_is_named_beside_its_field_and_above_the_form(
    client, searchable, query, field
):
    html = client.get(f"/pressemitteilungen/?{query}").content.decode()
    field_input = re.search(rf'<input [^>]*name="{field}"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in field_input
    assert f'aria-describedby="id_{field}_error"' in field_input
    # The message follows the field, and the summary at the top of the form links to it.
    after = html[html.index(field_input) :]
    assert re.match(
        rf'\s*<p class="field-error" id="id_{field}_error">[^<]+</p>', after[len(field_input) :]
    )
    assert f'<li><a href="#id_{field}">' in html
    assert (
        "Correct the marked entries above to see press releases." in html or "Korrigieren" in html
    )


@pytest.mark.parametrize(
    "address", ["/", "/pressemitteilungen/", "/kontakte/", "/en/", "/impressum/"]
)
def test_every_page_has_a_labelled_search_box_in_its_header(client, searchable, address):
    html = client.get(address).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    prefix = "/en" if address.startswith("/en/") else ""
    form = re.search(r'<form class="site-search" role="search"[^>]*>', header)[0]
    assert f'action="{prefix}/pressemitteilungen/"' in form
    assert '<label for="site-search-q"' in header
    assert '<input type="search" id="site-search-q" name="q"' in header


def test_the_header_search_finds_folded_words(client, searchable):
    response = client.get("/pressemitteilungen/", {"q": "WERTSCHOEPFUNG"})
    assert (
        "Kreativwirtschaft für die industrielle Wertschöpfung nutzen" in response.content.decode()
    )


# --- slugs and duplicates in the admin -------------------------------------------------------

URLIFY = Path(admin_static.__file__).parent / "static/admin/js/urlify.js"
GERMAN_SLUG = Path(settings.BASE_DIR) / "newsroom/static/newsroom/admin/german_slug.js"


def slug_in_admin(title: str) -> str:
    """What the admin's prepopulated slug becomes: Django's urlify.js, then ours, in Node."""
    script = (
        "globalThis.window = globalThis;\n"
        + URLIFY.read_text()
        + GERMAN_SLUG.read_text()
        + f"\nprocess.stdout.write(window.URLify({json.dumps(title)}, 120, false));"
    )
    return subprocess.run(  # noqa: S603
        [shutil.which("node") or "node", "-e", script], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the admin script")
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Kreativwirtschaft für die industrielle Wertschöpfung",
            "kreativwirtschaft-fuer-die-industrielle-wertschoepfung",
        ),
        ("Größere Straßen über Äcker", "groessere-strassen-ueber-aecker"),
        ("Scho\u0308ne Grüße", "schoene-gruesse"),
        ("Café im Museum", "cafe-im-museum"),
    ],
)
def test_admin_slug_transliterates_german(title, slug):
    assert slug_in_admin(title) == slug


@pytest.mark.parametrize(
    "address",
    ["releases/release", "releases/topic", "publications/series", "publications/publication"],
)
def test_the_admins_with_slugs_load_the_script_after_urlify(admin_client, address):
    html = admin_client.get(f"/admin/{address}/add/").content.decode()
    assert html.index("admin/js/urlify.js") < html.index("newsroom/admin/german_slug.js")


def test_a_topic_with_a_title_already_used_is_saved_with_a_warning(admin_client):
    first = admin_client.post(
        "/admin/releases/topic/add/", {"name": "Wirtschaft", "slug": "wirtschaft"}
    )
    assert first.status_code == 302
    assert "same title" not in admin_client.get(first["Location"]).content.decode()
    response = admin_client.post(
        "/admin/releases/topic/add/", {"name": "wirtschaft", "slug": "wirtschaft-2"}, follow=True
    )
    assert Topic.objects.count() == 2
    messages = [str(message) for message in response.context["messages"]]
    warnings = [m for m in messages if "an earlier entry" in m or "früherer Eintrag" in m]
    assert len(warnings) == 1


# --- what browsers and search engines find ---------------------------------------------------


def test_favicon_ico_leads_to_an_icon_and_pages_link_one(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("newsroom/favicon.ico")
    assert (Path(settings.BASE_DIR) / "newsroom/static/newsroom/favicon.ico").read_bytes()[:4] == (
        b"\x00\x00\x01\x00"  # an ICO file's header
    )
    assert (
        '<link rel="icon" href="/static/newsroom/favicon.svg"' in client.get("/").content.decode()
    )


@pytest.mark.parametrize(
    "address",
    ["/", "/pressemitteilungen/", "/kontakte/", "/publikationen/", "/feeds/", "/impressum/"],
)
def test_list_pages_have_one_meta_description_of_their_own(client, searchable, address):
    html = client.get(address).content.decode()
    descriptions = re.findall(r'<meta name="description" content="([^"]+)">', html)
    assert len(descriptions) == 1
    assert descriptions[0].strip()


def test_release_page_has_twitter_card_tags_beside_open_graph(client, searchable):
    html = client.get("/pressemitteilungen/schule/").content.decode()
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Mehr Stellen an Schulen">' in html
    assert (
        '<meta name="twitter:description" content="Das Land stellt zusätzliche Lehrkräfte ein.">'
        in html
    )
    assert re.findall(r'<meta name="description" content="([^"]+)">', html) == [
        "Das Land stellt zusätzliche Lehrkräfte ein."
    ]
