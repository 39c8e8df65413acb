"""Helpers the test modules share: the release change form's data and the workflow's posts."""

from django.urls import reverse

from releases.models import Release

INLINE_PREFIXES = ["release_contacts", "links", "images", "corrections", "preview_links"]


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def release_post_data(release, **fields) -> dict:
    """The change form of `release` as the admin sends it, opened now, with `fields` changed.

    An unsaved `release` gives the add form's data.
    """
    saved = release.pk is not None
    data = {
        "issuer": release.issuer_id,
        "title": release.title,
        "slug": release.slug,
        "dateline": release.dateline,
        "lead": release.lead,
        "body": release.body,
        "background": release.background,
        "opened_version": release.version if saved else "",
        "topics": list(release.topics.values_list("pk", flat=True)) if saved else [],
        "publications": list(release.publications.values_list("pk", flat=True)) if saved else [],
    }
    for prefix in INLINE_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def transition_url(release, name) -> str:
    return reverse("admin:releases_release_transition", args=[release.pk, name])


def post_transition(client, release, name, **data):
    """Post a transition's form as the change form sends it: with the version shown there."""
    version = Release.objects.values_list("version", flat=True).get(pk=release.pk)
    return client.post(transition_url(release, name), {"version": version} | data)


def new_release_data(**fields) -> dict:
    """The add form of a release, filled in, with `fields` changed (give at least `issuer`)."""
    release = Release(
        title="Neue Mitteilung",
        slug="neue-mitteilung",
        dateline="Dresden",
        lead="Ein Vorspann.",
        body="<p>Text</p>",
    )
    return release_post_data(release, **fields)
