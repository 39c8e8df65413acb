"""A release's teaser in the lists and on home, rendered once per release version, language and
deployment and kept (newsroom.cache.kept_many) until what it shows changes: the release, its
issuer and its topics (their dependency keys, releases/dependencies.py).

A list therefore reads only each row's id and version (`TEASER_FIELDS`); the rows of the teasers
not kept are loaded whole, rendered and kept."""

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.translation import get_language

from newsroom.cache import code_version, kept_many

from .models import Release, Topic

TEMPLATE = "includes/release_teaser.html"
# What a list reads of each row when its teasers are kept (and a deep list's keyset).
TEASER_FIELDS = ("pk", "version", "first_published_at", "go_live_at")


def localized_topics() -> Prefetch:
    """A release's topics, with their names in the page's language (no query more)."""
    return Prefetch("topics", queryset=Topic.objects.in_language())


def render_teaser(release) -> str:
    return render_to_string(TEMPLATE, {"release": release})


def teaser_name(release) -> str:
    return f"newsroom:teaser:{release.pk}:{release.version}:{get_language()}:{code_version()}"


def with_teasers(releases) -> list:
    """`releases` (live rows with at least `TEASER_FIELDS`), each with its `teaser`: kept ones
    read in one go, the others loaded whole (one query, and one for their topics), rendered and
    kept. A row that stopped being live meanwhile is left out."""
    releases = list(releases)
    if any(getattr(release, "snippet", None) for release in releases):
        # A search's snippet belongs to the query: such teasers are rendered, never kept (and
        # their rows were loaded whole for the snippet).
        prefetch_related_objects(releases, localized_topics())
        for release in releases:
            release.teaser = render_teaser(release)
        return releases

    def render_missing(missing: dict) -> dict:
        wanted = {release.pk for release in missing.values()}
        loaded = Release.objects.live().filter(pk__in=wanted).select_related("issuer")
        whole = {row.pk: row for row in loaded.in_language().prefetch_related(localized_topics())}
        return {
            name: (render_teaser(whole[release.pk]), teaser_keys(whole[release.pk]))
            for name, release in missing.items()
            if release.pk in whole
        }

    named = {teaser_name(release): release for release in releases}
    teasers = kept_many(named, render_missing)
    shown = []
    for name, release in named.items():
        if name in teasers:
            release.teaser = teasers[name]
            shown.append(release)
    return shown


def teaser_keys(release) -> list[str]:
    return [
        f"release:{release.pk}",
        f"organisation:{release.issuer_id}",
        *(f"topic:{topic.pk}" for topic in release.topics.all()),
    ]
