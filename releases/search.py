"""Full-text search over live releases.

On PostgreSQL: a stored search vector (german configuration, weighted title > lead > body and
background) with a GIN index, ranked, with highlighted snippets. Elsewhere (SQLite in
development): every word must appear in title, lead, body or background; snippets are cut in
Python. Both only ever search the queryset they are given, which public views take from
`Release.objects.live()`.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q, Value
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

CONFIG = "german"
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


def update_search_vector(release) -> None:
    """Store the weighted vector of one release (no-op where there is no full-text engine)."""
    if not is_postgresql():
        return
    text = f"{plain_text(release.body)} {plain_text(release.background)}"
    vector = (
        SearchVector(Value(release.title), weight="A", config=CONFIG)
        + SearchVector(Value(release.lead), weight="B", config=CONFIG)
        + SearchVector(Value(text), weight="C", config=CONFIG)
    )
    type(release).objects.filter(pk=release.pk).update(search_vector=vector)


def words(query: str) -> list[str]:
    return re.findall(r"\w[\w-]*", query[:MAX_QUERY_LENGTH])[:12]


def search(queryset, query: str):
    """Filter and rank `queryset` by `query`; each result gets a `snippet` attribute source."""
    terms = words(query)
    if not terms:
        return queryset.none()
    if is_postgresql():
        search_query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                headline=SearchHeadline(
                    "lead",
                    search_query,
                    config=CONFIG,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=SNIPPET_WORDS,
                    min_words=15,
                ),
            )
            .order_by("-rank", "-first_published_at", "-pk")
        )
    condition = Q()
    for term in terms:
        condition &= (
            Q(title__icontains=term)
            | Q(lead__icontains=term)
            | Q(body__icontains=term)
            | Q(background__icontains=term)
        )
    return queryset.filter(condition)


def snippet(release, query: str):
    """A short, escaped excerpt with the query's words marked."""
    headline = getattr(release, "headline", None)
    if headline is not None:
        # PostgreSQL's headline is built from plain text; escape it, then restore the marks.
        escaped = escape(headline).replace("&lt;mark&gt;", "<mark>")
        return mark_safe(escaped.replace("&lt;/mark&gt;", "</mark>"))  # noqa: S308 - escaped
    text = release.lead or plain_text(release.body)
    terms = [term for term in words(query) if term]
    marked = escape(" ".join(text.split()[: SNIPPET_WORDS * 2]))
    for term in terms:
        marked = re.sub(
            f"({re.escape(escape(term))})", r"<mark>\1</mark>", marked, flags=re.IGNORECASE
        )
    return mark_safe(marked)  # noqa: S308 - escaped before the marks went in
