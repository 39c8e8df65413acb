"""A release's teaser in the lists and on home, rendered once per release version, language and
deployment and kept (newsroom.cache.kept_many) until what it shows changes: the release, its
issuer and its topics (their dependency keys, releases/dependencies.py).

A list therefore reads only each row's id and version (`TEASER_FIELDS`); the rows of the teasers
not kept are loaded (without the text, which a teaser does not show), rendered and kept."""

import re

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsroom.cache import code_version, kept_many

from .models import NOT_DISPLAYED, Release, Topic

TEMPLATE = "includes/release_teaser.html"
# What a list reads of each row when its teasers are kept (and a deep list's keyset).
TEASER_FIELDS = ("pk", "version", "first_published_at", "go_live_at")
# What a teaser does not show, of a release and of its translation: kilobytes a row (a search
# reads the text for its snippets by itself, releases/views.py).
NOT_IN_TEASER = (*NOT_DISPLAYED, "body", "background")


def localized_topics() -> Prefetch:
    """A release's topics, with their names in the page's language (no query more)."""
    return Prefetch("topics", queryset=Topic.objects.in_language())


def render_teaser(release) -> str:
    return render_to_string(TEMPLATE, {"release": release})


def teaser_name(release) -> str:
    return f"newsroom:teaser:{release.pk}:{release.version}:{get_language()}:{code_version()}"


# The lead paragraph of a teaser (its text is escaped: no "</p>" in it).
LEAD = re.compile(r'(<p class="teaser__lead"[^>]*>)(.*?)(</p>)', re.DOTALL)


def with_lead(teaser: str, lead: str) -> str:
    """`teaser` with `lead` (safe HTML: a search's snippet) in place of its lead."""
    return mark_safe(LEAD.sub(lambda found: found[1] + lead + found[3], teaser, count=1))  # noqa: S308 - both are safe HTML


def with_teasers(releases) -> list:
    """`releases` (live rows with at least `TEASER_FIELDS`), each with its `teaser`: kept ones
    read in one go, the others loaded (one query, and one for their topics), rendered and
    kept. A row that stopped being live meanwhile is left out. A row with a `snippet` (a
    search's) shows it in place of the lead."""
    releases = list(releases)
    snippets = {r.pk: r.snippet for r in releases if getattr(r, "snippet", None) is not None}

    def render_missing(missing: dict) -> dict:
        loaded = Release.objects.live().defer(*NOT_IN_TEASER).select_related("issuer")
        loaded = loaded.in_language(deferred=NOT_IN_TEASER).prefetch_related(localized_topics())
        wanted = {release.pk for release in missing.values()}
        rows = {row.pk: row for row in loaded.filter(pk__in=wanted)}
        return {
            name: (render_teaser(rows[release.pk]), teaser_keys(rows[release.pk]))
            for name, release in missing.items()
            if release.pk in rows
        }

    named = {teaser_name(release): release for release in releases}
    teasers = kept_many(named, render_missing)
    shown = []
    for name, release in named.items():
        if name in teasers:
            teaser = teasers[name]
            release.teaser = (
                with_lead(teaser, snippets[release.pk]) if release.pk in snippets else teaser
            )
            shown.append(release)
    return shown


def teaser_keys(release) -> list[str]:
    return [
        f"release:{release.pk}",
        f"organisation:{release.issuer_id}",
        *(f"topic:{topic.pk}" for topic in release.topics.all()),
    ]
