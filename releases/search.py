"""Full-text search over live releases, the same on PostgreSQL and SQLite.

Words are folded before either engine sees them, in the document and in the query: case,
"ß" to "ss", other accents dropped, and an umlaut indexed twice, as "ae" and as "a", so that
"Wertschöpfung", "WERTSCHÖPFUNG", "Wertschoepfung" and "wertschopfung" meet. A query's umlaut
is folded to "ae" (a typed "a" already matches the second form).

PostgreSQL: a stored search vector of the folded words (german configuration, so stemmed and
without stop words; weighted title > lead > body and background) with a GIN index, ranked.
SQLite: an FTS5 table (`releases_release_search`, created by a migration) of the folded words
stemmed in Python by the Snowball German stemmer, ranked by bm25; German stop words are left
out of the query, as PostgreSQL does. Elsewhere: every word must appear (icontains).

Translations (`ReleaseTranslation`) have an index of their own, in their language (English:
the english configuration on PostgreSQL, the Snowball English stemmer in a second FTS5 table,
`releases_translation_search`, on SQLite). A search on a page in another language finds a
release by its translation or by its German text; on a German page, by the German text only.

Both only ever search the queryset they are given, which public views take from
`Release.objects.live()`; `Release.save` and `ReleaseTranslation.save` keep the indexes current.
"""

import functools
import html
import operator
import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from newsroom.richtext import plain_text

CONFIG = "german"
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SNIPPET_WORDS = 30
# What a snippet is made of.
SNIPPET_FIELDS = ("lead", "body", "background")
# A common word is in most of the archive, and ranking every release that has it took seconds
# on PostgreSQL (100,000 releases). Only the newest matches are ranked: one more than the result
# pages ever show (views.SEARCH_COUNT_LIMIT), so a list still knows there are more.
RANKED_MATCHES = 1001
FTS_TABLE = "releases_release_search"
# bm25 weights of the FTS5 columns title, lead, text: a word in the title counts most.
FTS_WEIGHTS = (10.0, 4.0, 1.0)

WORD = re.compile(r"\w+")
UMLAUTS = re.compile("[äöü]")
AS_DIGRAPH = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
AS_VOWEL = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})

# Function words PostgreSQL's german configuration drops too (its list is longer; these are the
# ones people type). Without them, "Wertschöpfung und Innovation" finds the same on both.
_STOP_WORDS = """
    aber alle allem allen aller alles als also am an andere anderem anderen anderer anderes
    auch auf aus bei bin bis bist da damit dann das dein deine dem den der des desselben
    dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
    einer eines er es etwas euch euer eure hab habe haben hat hatte hatten hier hin hinter ich
    ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder
    jedes jene jetzt kann kein keine man manche mein meine mich mir mit muss musste nach nicht
    nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll sollte sondern sonst
    um und uns unser unter viel vom von vor war waren was weil welche welcher wenn werde
    werden wie wieder will wir wird wo wollen wollte zu zum zur zwar zwischen
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_local = threading.local()


# A language has far fewer words than an archive has occurrences of them: indexing a release
# stems some 500 words, a search page's snippets a few hundred, nearly all of them seen before.
@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    # Stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("german")
    return stemmer.stemWord(word)


def is_postgresql(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def _without_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _lower(word: str) -> str:
    # NFC first, so that an "ö" typed as "o" plus a combining diaeresis is an umlaut too.
    return unicodedata.normalize("NFC", word).casefold()  # casefold: "ß" -> "ss"


def variants(word: str) -> list[str]:
    """How a word of a document is indexed: folded, an umlaut both as "ae" and as "a"."""
    word = _lower(word)
    if not UMLAUTS.search(word):
        return [_without_accents(word)]
    return [
        _without_accents(word.translate(AS_DIGRAPH)),
        _without_accents(word.translate(AS_VOWEL)),
    ]


def fold(word: str) -> str:
    """How a word of a query is searched for: folded, an umlaut as "ae"."""
    return _without_accents(_lower(word).translate(AS_DIGRAPH))


def folded_text(text: str) -> str:
    return " ".join(variant for word in WORD.findall(text or "") for variant in variants(word))


def query_words(query: str) -> list[str]:
    return [fold(word) for word in WORD.findall(query[:MAX_QUERY_LENGTH])][:MAX_QUERY_WORDS]


def words(query: str) -> list[str]:
    """The words of a query as typed (for marking them in a snippet)."""
    return WORD.findall(query[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]


def stemmed_text(text: str) -> str:
    return " ".join(stem(word) for word in folded_text(text).split())


def _fields(release) -> tuple[str, str, str]:
    text = f"{plain_text(release.body)} {plain_text(release.background)}"
    return release.title or "", release.lead or "", text


def update_search_vector(release) -> None:
    """Index one release (its vector on PostgreSQL, its FTS5 row on SQLite)."""
    index_many([release], release._state.db or router.db_for_write(type(release)))


def index_many(releases, alias: str = "default") -> None:
    """Index `releases` (saved rows) with a few statements for all, not two per release: what
    imports and the benchmark's archive of 100,000 use."""
    releases = list(releases)
    if not releases:
        return
    connection = connections[alias]
    rows = [(release.pk, *_fields(release)) for release in releases]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(type(releases[0])._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} AS r SET search_vector = "  # noqa: S608 - fixed SQL
                    f"setweight(to_tsvector('{CONFIG}', v.title), 'A') "
                    f"|| setweight(to_tsvector('{CONFIG}', v.lead), 'B') "
                    f"|| setweight(to_tsvector('{CONFIG}', v.text), 'C') "
                    f"FROM (VALUES {values}) AS v(id, title, lead, text) WHERE r.id = v.id",
                    [
                        value
                        for pk, title, lead, text in chunk
                        for value in (pk, folded_text(title), folded_text(lead), folded_text(text))
                    ],
                )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608
                [(pk,) for pk, *_ in rows],
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, lead, text) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [
                    (pk, stemmed_text(title), stemmed_text(lead), stemmed_text(text))
                    for pk, title, lead, text in rows
                ],
            )


def remove_from_index(release) -> None:
    """Drop a deleted release's FTS5 row (PostgreSQL's vector goes with the row)."""
    alias = release._state.db or router.db_for_write(type(release))
    if connections[alias].vendor == "sqlite":
        with connections[alias].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [release.pk])  # noqa: S608


def create_fts_table(schema_editor) -> None:
    """The SQLite index (for the migration); the unicode61 tokenizer sees only stems."""
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
        "USING fts5(title, lead, text, tokenize = 'unicode61 remove_diacritics 2')"
    )


def _fts_match(terms: list[str]) -> str:
    # Each stem quoted: FTS5 reads it as one token, never as an operator or a column filter.
    stems = dict.fromkeys(stem(term) for term in terms)
    return " ".join('"{}"'.format(item.replace('"', '""')) for item in stems)


def _newest(queryset, matching, rank, up_to: int):
    """The newest `up_to` rows of `queryset` that meet `matching` (a condition), newest first,
    each with its `rank` (an expression; higher is better). One pass: each row's text is
    checked and ranked as it is read, and no more rows are read than are ranked."""
    newest = queryset.filter(matching).annotate(rank=rank)
    return newest.order_by("-first_published_at", "-go_live_at", "-pk")[:up_to]


def any_of(terms: list[str], config: str) -> SearchQuery:
    """`terms` as a query for any of them, to rank by. Every match has all of them; ranked as
    all of them, ts_rank weighs the distances between each pair of words in every release,
    three times the work of finding the matches (and ranked so, it ranks as FTS5's bm25 does:
    by where and how often the words occur)."""
    queries = (SearchQuery(term, config=config, search_type="plain") for term in terms)
    return functools.reduce(operator.or_, queries)


def _among(table: str, matching: str, params: list) -> RawSQL:
    """A condition that a release's id is among those `matching` (SQL) selects, on SQLite. The
    "+" keeps SQLite from reading every match by its id and sorting them all (for a common word
    some 8,000 of 10,000 rows): it walks the list index newest first instead and stops after
    the newest it needs."""
    sql = f'+"{table}"."id" IN ({matching})'
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


def best_first(matches) -> list[int]:
    """The ids of `matches` (what `search` found) by rank, best first; equal ranks stay newest
    first. A thousand rows sort in Python in well under a millisecond, where sorting them in
    the database would read each row's text a second time. They are read with a plain cursor:
    the ORM's conversion of each rank cost more than the database took to compute them."""
    if matches.query.is_empty():
        return []
    ranks = matches.values_list("pk", "rank")
    sql, params = ranks.query.get_compiler(ranks.db).as_sql()
    with connections[ranks.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # A reversed sort keeps equal ranks in their order (newest first).
    return [pk for pk, _ in sorted(rows, key=operator.itemgetter(1), reverse=True)]


def search(queryset, query: str, language: str | None = None, *, up_to: int = RANKED_MATCHES):
    """The newest `up_to` releases of `queryset` in which every word of `query` (or its
    stem) occurs, newest first, each with its `rank` (higher is better; `best_first` orders
    them by it).

    With a `language` other than German, a release is also found by its translation into it.
    """
    terms = query_words(query)
    if not terms:
        return queryset.none()
    if language and language_of(language) is not GERMAN:
        return _search_with_translation(queryset, query, terms, language, up_to)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        search_query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        rank = SearchRank(F("search_vector"), any_of(terms, CONFIG))
        return _newest(queryset, Q(search_vector=search_query), rank, up_to)
    if vendor == "sqlite":
        terms = [term for term in terms if term not in STOP_WORDS]
        if not terms:
            return queryset.none()
        match = _fts_match(terms)
        table = queryset.model._meta.db_table
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        matching = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        # Every match scored in one pass, then looked up per row: "LIMIT -1" keeps SQLite from
        # folding the scores into one FTS search per row (seconds for a broad query). bm25 is
        # lower for a better match: negated, it ranks as PostgreSQL's does.
        rank = (
            f"SELECT -scores.score FROM (SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) "  # noqa: S608
            f"AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1) AS scores "
            f'WHERE scores.id = "{table}"."id"'
        )
        # The query is a parameter; the SQL around it is fixed.
        matching = _among(table, matching, [match])
        return _newest(queryset, matching, RawSQL(rank, [match]), up_to)  # noqa: S611
    condition = Q()
    for term in words(query):
        condition &= (
            Q(title__icontains=term)
            | Q(lead__icontains=term)
            | Q(body__icontains=term)
            | Q(background__icontains=term)
        )
    return _newest(queryset, condition, Value(0.0, output_field=FloatField()), up_to)


def _stems_of(text: str) -> frozenset[str]:
    """The stems under which the words of `text` are indexed."""
    return frozenset().union(*(_word_stems(word) for word in WORD.findall(text)))


# Snippets look at every word of a page of texts; the words of an archive repeat.
@functools.lru_cache(maxsize=65_536)
def _word_stems(word: str) -> frozenset[str]:
    return frozenset(stem(variant) for variant in variants(word))


def _found_in(token: str, wanted: set[str]) -> bool:
    if token.isalnum():  # one word, as most are
        return bool(_word_stems(token) & wanted)
    return bool(_stems_of(token) & wanted)


def _mark(text: str, wanted: set[str]) -> str:
    """Escape `text` and wrap the words whose stems were searched for in <mark>. A word (\\w+)
    holds nothing to escape: only the text between the marks is escaped, in one piece."""
    out, position = [], 0
    for match in WORD.finditer(text):
        if _word_stems(match.group()) & wanted:
            out += [html.escape(text[position : match.start()]), f"<mark>{match.group()}</mark>"]
            position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _wanted(query: str) -> frozenset[str]:
    """The stems `query` finds (asked once for each of a page's twenty snippets)."""
    return frozenset(stem(term) for term in query_words(query))


def snippet(text, query: str):
    """A short, escaped excerpt of a release's `localized` text with the words found marked:
    the lead, or the text around the first word found when the lead has none. It stands in for
    the lead: an excerpt from a field in another language than the lead's (a translation's
    empty background shows the original's) says so in a `lang` of its own."""
    wanted = _wanted(query)
    excerpt = " ".join((text.lead or "").split()[: SNIPPET_WORDS * 2])
    field = "lead"
    if not any(_found_in(token, wanted) for token in excerpt.split()):
        for name in ("body", "background"):
            words = plain_text(getattr(text, name)).split()
            hit = next((i for i, token in enumerate(words) if _found_in(token, wanted)), None)
            if hit is not None:
                start = max(0, hit - SNIPPET_WORDS // 3)
                end = start + SNIPPET_WORDS
                excerpt = ("… " if start else "") + " ".join(words[start:end])
                excerpt += " …" if end < len(words) else ""
                field = name
                break
    marked = _mark(excerpt, wanted)
    language = text.language_of(field)
    if language != text.language_of("lead"):
        marked = f'<span lang="{html.escape(language)}">{marked}</span>'
    return mark_safe(marked)  # noqa: S308 - escaped before the marks went in


# Translations: their own index, in their own language.

TRANSLATION_FTS_TABLE = "releases_translation_search"
# What PostgreSQL's english configuration drops too (the words people type).
_ENGLISH_STOP_WORDS = """
    a about after all also an and any are as at be been but by can could do does for from had
    has have he her his how i if in into is it its more my no not of on or our she so than that
    the their them then there these they this those to up us was we were what when which who
    will with would you your
"""


@dataclass(frozen=True)
class Language:
    """How text in one language is indexed: the PostgreSQL configuration, the Snowball
    stemmer, and the stop words a query leaves out on SQLite."""

    config: str
    stemmer: str
    stop_words: frozenset


GERMAN = Language(CONFIG, "german", STOP_WORDS)
ENGLISH = Language("english", "english", frozenset(_ENGLISH_STOP_WORDS.split()))
LANGUAGES = {"de": GERMAN, "en": ENGLISH}


def language_of(code: str) -> Language:
    """By the primary subtag: "de-x-ls" (Leichte Sprache) is indexed as German."""
    return LANGUAGES.get(code.split("-")[0].lower(), GERMAN)


@functools.lru_cache(maxsize=65_536)
def stem_in(word: str, stemmer: str) -> str:
    if stemmer == GERMAN.stemmer:
        return stem(word)
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if stemmer not in stemmers:
        stemmers[stemmer] = snowballstemmer.stemmer(stemmer)
    return stemmers[stemmer].stemWord(word)


def _stemmed_in(text: str, stemmer: str) -> str:
    return " ".join(stem_in(word, stemmer) for word in folded_text(text).split())


def update_translation_index(translation) -> None:
    """Index one release translation in its own language."""
    from django.contrib.postgres.search import SearchVector

    alias = translation._state.db or router.db_for_write(type(translation))
    vendor = connections[alias].vendor
    language = language_of(translation.language)
    title, lead, text = _fields(translation)
    if vendor == "postgresql":
        parts = zip((title, lead, text), "ABC", strict=True)
        vectors = [
            SearchVector(Value(folded_text(part)), weight=weight, config=language.config)
            for part, weight in parts
        ]
        rows = type(translation).objects.using(alias).filter(pk=translation.pk)
        rows.update(search_vector=vectors[0] + vectors[1] + vectors[2])
    elif vendor == "sqlite":
        stemmed = [_stemmed_in(part, language.stemmer) for part in (title, lead, text)]
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TRANSLATION_FTS_TABLE} WHERE rowid = %s",  # noqa: S608
                [translation.pk],
            )
            cursor.execute(
                f"INSERT INTO {TRANSLATION_FTS_TABLE} (rowid, title, lead, text) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                [translation.pk, *stemmed],
            )


def remove_translation_from_index(translation) -> None:
    """Drop a deleted translation's FTS5 row (PostgreSQL's vector goes with the row)."""
    alias = translation._state.db or router.db_for_write(type(translation))
    if connections[alias].vendor == "sqlite":
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TRANSLATION_FTS_TABLE} WHERE rowid = %s",  # noqa: S608
                [translation.pk],
            )


def create_translation_fts_table(schema_editor) -> None:
    """The SQLite index of translations (for the migration), like `create_fts_table`."""
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRANSLATION_FTS_TABLE} "
        "USING fts5(title, lead, text, tokenize = 'unicode61 remove_diacritics 2')"
    )


# A MATCH that finds nothing (an empty phrase): where every word of a query is a stop word in
# one language.
NOTHING = '""'


def _match_in(terms: list[str], language: Language) -> str:
    terms = [term for term in terms if term not in language.stop_words]
    stems = dict.fromkeys(stem_in(term, language.stemmer) for term in terms)
    return " ".join('"{}"'.format(item.replace('"', '""')) for item in stems) or NOTHING


def _search_with_translation(queryset, query: str, terms: list[str], language: str, up_to: int):
    """The German text or the translation into `language` may match; their ranks add up."""
    from .models import ReleaseTranslation

    spoken = language_of(language)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        german = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        translated = SearchQuery(" ".join(terms), config=spoken.config, search_type="plain")
        matching = ReleaseTranslation.objects.filter(
            release=OuterRef("pk"), language=language, search_vector=translated
        )
        translated_rank = matching.annotate(
            rank=SearchRank(F("search_vector"), any_of(terms, spoken.config))
        )
        rank = Coalesce(SearchRank(F("search_vector"), any_of(terms, CONFIG)), 0.0) + Coalesce(
            Subquery(translated_rank.values("rank")[:1]), 0.0
        )
        return _newest(queryset, Q(search_vector=german) | Exists(matching), rank, up_to)
    if vendor == "sqlite":
        german, translated = _match_in(terms, GERMAN), _match_in(terms, spoken)
        table = queryset.model._meta.db_table
        rows = ReleaseTranslation._meta.db_table
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        index = TRANSLATION_FTS_TABLE
        german_matching = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        translated_matching = (
            f"SELECT t.release_id FROM {index} JOIN {rows} t ON t.id = {index}.rowid "  # noqa: S608
            f"WHERE {index} MATCH %s AND t.language = %s"
        )
        # As in `search`: each index scored once ("LIMIT -1"), not searched once per row.
        rank = (
            f"-COALESCE((SELECT s.score FROM (SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) "  # noqa: S608
            f"AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1) AS s "
            f'WHERE s.id = "{table}"."id"), 0) - '
            f"COALESCE((SELECT s.score FROM (SELECT t.release_id AS id, bm25({index}, {weights}) "
            f"AS score FROM {index} JOIN {rows} t ON t.id = {index}.rowid WHERE {index} MATCH %s "
            f'AND t.language = %s LIMIT -1) AS s WHERE s.id = "{table}"."id"), 0)'
        )
        # The query is a parameter; the SQL around it is fixed.
        matching = Q(_among(table, german_matching, [german])) | Q(
            _among(table, translated_matching, [translated, language])
        )
        rank = RawSQL(rank, [german, translated, language])  # noqa: S611
        return _newest(queryset, matching, rank, up_to)
    return search(queryset, query, up_to=up_to)
