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

Both only ever search the queryset they are given, which public views take from
`Release.objects.live()`; `Release.save` keeps the index current.
"""

import re
import threading
import unicodedata

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, router
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

CONFIG = "german"
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SNIPPET_WORDS = 30
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


def stem(word: str) -> str:
    # Stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("german")
    return stemmer.stemWord(word)


def is_postgresql(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


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
    alias = release._state.db or router.db_for_write(type(release))
    vendor = connections[alias].vendor
    title, lead, text = _fields(release)
    if vendor == "postgresql":
        vector = (
            SearchVector(Value(folded_text(title)), weight="A", config=CONFIG)
            + SearchVector(Value(folded_text(lead)), weight="B", config=CONFIG)
            + SearchVector(Value(folded_text(text)), weight="C", config=CONFIG)
        )
        type(release).objects.using(alias).filter(pk=release.pk).update(search_vector=vector)
    elif vendor == "sqlite":
        with connections[alias].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [release.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, lead, text) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [release.pk, stemmed_text(title), stemmed_text(lead), stemmed_text(text)],
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


def search(queryset, query: str):
    """Filter and rank `queryset` by `query`; every word (or its stem) must occur."""
    terms = query_words(query)
    if not terms:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        search_query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-first_published_at", "-pk")
        )
    if vendor == "sqlite":
        terms = [term for term in terms if term not in STOP_WORDS]
        if not terms:
            return queryset.none()
        match = _fts_match(terms)
        table = queryset.model._meta.db_table
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        matching = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        rank = (
            f"SELECT bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f'WHERE {FTS_TABLE} MATCH %s AND rowid = "{table}"."id"'
        )
        return (
            # The query is a parameter; the SQL around it is fixed.
            queryset.filter(pk__in=RawSQL(matching, [match]))  # noqa: S611
            .annotate(rank=RawSQL(rank, [match]))  # noqa: S611
            .order_by("rank", "-first_published_at", "-pk")  # bm25: lower is better
        )
    condition = Q()
    for term in words(query):
        condition &= (
            Q(title__icontains=term)
            | Q(lead__icontains=term)
            | Q(body__icontains=term)
            | Q(background__icontains=term)
        )
    return queryset.filter(condition)


def _stems_of(text: str) -> set[str]:
    """The stems under which the words of `text` are indexed."""
    return {stem(variant) for word in WORD.findall(text) for variant in variants(word)}


def _mark(text: str, wanted: set[str]) -> str:
    """Escape `text` and wrap the words whose stems were searched for in <mark>."""
    out, position = [], 0
    for match in WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = escape(match.group())
        out.append(f"<mark>{word}</mark>" if _stems_of(match.group()) & wanted else word)
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def snippet(release, query: str):
    """A short, escaped excerpt with the words found marked: the lead, or the text around the
    first word found when the lead has none."""
    wanted = {stem(term) for term in query_words(query)}
    excerpt = " ".join((release.lead or "").split()[: SNIPPET_WORDS * 2])
    if not _stems_of(excerpt) & wanted:
        text = plain_text(f"{release.body} {release.background}").split()
        hit = next((i for i, word in enumerate(text) if _stems_of(word) & wanted), None)
        if hit is not None:
            start = max(0, hit - SNIPPET_WORDS // 3)
            excerpt = " ".join(text[start : start + SNIPPET_WORDS])
            excerpt = ("… " if start else "") + excerpt + " …"
    return mark_safe(_mark(excerpt, wanted))  # noqa: S308 - escaped before the marks went in
