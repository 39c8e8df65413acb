"""Helpers the test modules share: the release change form's data and the workflow's posts."""

import io
import os
from typing import NoReturn

import pytest
from django.urls import reverse

from contacts.models import OfficeMembership, Organisation
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
        "co_issuers": list(release.co_issuers.values_list("pk", flat=True)) if saved else [],
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


def join_every_office(user, role: str) -> None:
    """Give `user` the role ("officer", "lead") in every press office there is now."""
    for office in Organisation.objects.all():
        OfficeMembership.objects.get_or_create(
            user=user, organisation=office, defaults={"role": role}
        )


def jpeg(width: int = 1200, height: int = 800, colour=(30, 90, 160)) -> bytes:
    """A small real JPEG with a gradient (so the renditions differ by more than their size)."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(image, Image.new("RGB", (width, height), colour), 0.5)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def make_photo(
    office, *, width: int = 1200, height: int = 800, made: bool = True, content=None, **fields
):
    """A photo of `office` with a real JPEG (`content`, or a gradient of `width`×`height`), and
    (`made`) its renditions, as the task makes them after the commit (which tests in a
    transaction never reach)."""
    from django.core.files.base import ContentFile

    from photos import renditions
    from photos.models import Photo

    fields = {
        "caption": "Die Ministerin im Werk",
        "alt_text": "Eine Frau vor einer Maschine",
        "credit": "SMWA/Erika Muster",
    } | fields
    photo = Photo(office=office, **fields)
    photo.file = ContentFile(content or jpeg(width, height), name="foto.jpg")
    photo.save()
    if made:
        renditions.generate(photo)
    return photo


def missing_tool(message: str, required_by: str) -> NoReturn:
    """Skip a test whose outside tool is not installed, or fail it where the environment variable
    `required_by` is "1": CI installs the tool and sets it, so a missing tool never passes there."""
    if os.environ.get(required_by) == "1":
        pytest.fail(message)
    pytest.skip(message)


def as_at_first_request() -> None:
    """Empty every cache, then read the portal's settings and describe the content generation,
    as the first request of a test finds them (tests/conftest.py): nothing is kept between pages
    (newsroom.cache.kept), so a page read next is built afresh."""
    from django.core.cache import caches

    from newsroom import site
    from newsroom.cache import current_generation

    for alias in caches:
        caches[alias].clear()
    site.current()
    current_generation()


def start_new_generation() -> None:
    """Start a new content generation, as a go-live second elsewhere does: what is kept per
    generation (pages, totals, a feed's validators) is computed again; what is kept per version
    stays. It is described here, as a request before the one a test measures would have."""
    from newsroom.cache import current_generation, start_generation

    start_generation()
    current_generation()


# The release form's German body in CKEditor (the English version below it has one too).
BODY_EDITOR = "div.field-body:has(#id_body) .ck-editor__editable[contenteditable=true]"
