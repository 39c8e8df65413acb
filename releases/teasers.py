"""A release's teaser in the lists and on home, rendered once per release version, language and
deployment and kept (newsroom.cache.kept_many) until what it shows changes: the release, its
issuer and its topics (their dependency keys, releases/dependencies.py)."""

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.translation import get_language

from newsroom.cache import code_version, kept_many

TEMPLATE = "includes/release_teaser.html"


def render_teaser(release) -> str:
    return render_to_string(TEMPLATE, {"release": release})


def teaser_name(release) -> str:
    return f"newsroom:teaser:{release.pk}:{release.version}:{get_language()}:{code_version()}"


def with_teasers(releases, topics) -> list:
    """`releases` (live rows, their issuer joined), each with its `teaser`: kept ones read in one
    go; `topics` (a prefetch) is loaded only for the others, which are rendered and kept."""
    releases = list(releases)
    if any(getattr(release, "snippet", None) for release in releases):
        # A search's snippet belongs to the query: such teasers are rendered, never kept.
        prefetch_related_objects(releases, topics)
        for release in releases:
            release.teaser = render_teaser(release)
        return releases

    def render_missing(missing: dict) -> dict:
        prefetch_related_objects(list(missing.values()), topics)
        return {
            name: (render_teaser(release), teaser_keys(release))
            for name, release in missing.items()
        }

    named = {teaser_name(release): release for release in releases}
    teasers = kept_many(named, render_missing)
    for name, release in named.items():
        release.teaser = teasers[name]
    return releases


def teaser_keys(release) -> list[str]:
    return [
        f"release:{release.pk}",
        f"organisation:{release.issuer_id}",
        *(f"topic:{topic.pk}" for topic in release.topics.all()),
    ]
