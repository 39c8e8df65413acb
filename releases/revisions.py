"""Revisions: a full snapshot of every saved version, diffs between any two, and restore.

A snapshot is plain JSON, so an old revision stays readable even after a contact or topic it
names was renamed; restoring maps the stored ids back to what still exists.
"""

import re

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Organisation
from newsroom.revisions import FieldChange, as_html, compare_fields, word_diff  # noqa: F401
from newsroom.translations import translation_languages
from photos.models import Photo
from publications.models import Publication

from .models import (
    Release,
    ReleaseContact,
    ReleaseImage,
    ReleaseLink,
    ReleaseTranslation,
    Revision,
    Topic,
)

TEXT_FIELDS = ["title", "slug", "dateline", "lead", "body", "background"]
# Labels for the diff view, in the order a reader expects.
FIELD_LABELS = {
    "issuer": _("issuer"),
    "co_issuers": _("co-issuers"),
    "title": _("title"),
    "slug": _("slug"),
    "dateline": _("dateline"),
    "lead": _("lead"),
    "body": _("body"),
    "background": _("background"),
    "topics": _("topics"),
    "contacts": _("press contacts"),
    "publications": _("publications"),
    "links": _("links"),
    "images": _("images"),
}


def _translations(rows) -> dict:
    """Translation rows as {language: {field: text}}."""
    return {row.language: {name: getattr(row, name) for name in row.fields} for row in rows}


def translation_label(key: str) -> str:
    """ "translation.en.title" -> "title (English)"."""
    _prefix, language, name = key.split(".")
    field = ReleaseTranslation._meta.get_field(name)
    return f"{field.verbose_name} ({dict(translation_languages()).get(language, language)})"


def take_snapshot(release: Release) -> dict:
    """Everything an editor can change on a release, as JSON-ready data: translations too."""
    contacts = release.release_contacts.select_related("contact").order_by("order", "pk")
    images = release.images.select_related("photo").order_by("order", "pk")
    return {
        "translations": _translations(release.translations.all()),
        **{field: getattr(release, field) for field in TEXT_FIELDS},
        "issuer": {"id": release.issuer_id, "name": release.issuer.name},
        "co_issuers": [{"id": o.pk, "name": o.name} for o in release.co_issuers.order_by("name")],
        "topics": [{"id": t.pk, "name": t.name} for t in release.topics.order_by("name")],
        "contacts": [{"id": rc.contact_id, "name": rc.contact.name} for rc in contacts],
        "publications": [
            {"id": p.pk, "title": p.title} for p in release.publications.order_by("title")
        ],
        "links": [
            {"title": link.title, "url": link.url, "order": link.order}
            for link in release.links.order_by("order", "pk")
        ],
        "images": [
            # The caption names the photo in a diff; the photo's own text is the library's.
            {"photo": image.photo_id, "caption": str(image.photo), "order": image.order}
            for image in images
        ],
    }


def record(release: Release, author, restored_from: int | None = None) -> Revision:
    """Store the release as it is now under its current version number."""
    return Revision.record(release, author, take_snapshot(release), restored_from)


def _as_text(field: str, value) -> str:
    """How a field reads in a diff: text without markup, lists one item per line."""
    if value is None:
        return ""
    if field in {"body", "background"}:
        return strip_tags(re.sub(r"</(p|h[2-4]|li|blockquote|tr)>", "\n", value or "")).strip()
    if field == "issuer":
        return value["name"] if value else ""
    if field in {"co_issuers", "topics", "contacts"}:
        return "\n".join(item["name"] for item in value)
    if field == "publications":
        return "\n".join(item["title"] for item in value)
    if field == "links":
        return "\n".join(f"{item['title']} <{item['url']}>" for item in value)
    if field == "images":
        return "\n".join(f"{item['caption']} (#{item['photo']})" for item in value)
    return str(value or "")


def _value(key: str, snapshot: dict):
    """A field of a snapshot; "translation.en.body" reaches into its translations (snapshots
    from before translations have none)."""
    if not key.startswith("translation."):
        return snapshot.get(key)
    _prefix, language, name = key.split(".")
    return snapshot.get("translations", {}).get(language, {}).get(name)


def compare(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots, each with a word-level diff; a translation's
    fields after the German ones ("title (English)")."""
    languages = sorted({*old.get("translations", {}), *new.get("translations", {})})
    translated = {
        f"translation.{language}.{name}": translation_label(f"translation.{language}.{name}")
        for language in languages
        for name in ReleaseTranslation.fields
    }
    labels = {**FIELD_LABELS, **translated}

    def as_text(key, snapshot):
        return _as_text(key.rsplit(".", 1)[-1], _value(key, snapshot))

    return compare_fields(old, new, labels, as_text)


def restore(release: Release, revision: Revision, user, **edit_options):
    """Bring back `revision`'s content as a new version (history is never rewritten).

    It is an edit like any other (`releases.editing.save_edit`): on a live release it is a
    correction with a public change note, on a scheduled one it voids the approval.
    """
    from .editing import save_edit

    data = revision.snapshot

    def write(release: Release) -> None:
        for field in TEXT_FIELDS:
            setattr(release, field, data[field])
        release.issuer_id = data["issuer"]["id"]
        release.save()
        # Snapshots from before joint releases have no co-issuers.
        co_issuers = [o["id"] for o in data.get("co_issuers", [])]
        release.co_issuers.set(Organisation.objects.filter(pk__in=co_issuers))
        release.topics.set(Topic.objects.filter(pk__in=[t["id"] for t in data["topics"]]))
        release.publications.set(
            Publication.objects.filter(pk__in=[p["id"] for p in data["publications"]])
        )
        release.release_contacts.all().delete()
        existing = set(
            Contact.objects.filter(pk__in=[c["id"] for c in data["contacts"]]).values_list(
                "pk", flat=True
            )
        )
        ReleaseContact.objects.bulk_create(
            ReleaseContact(release=release, contact_id=item["id"], order=order)
            for order, item in enumerate(data["contacts"])
            if item["id"] in existing
        )
        release.links.all().delete()
        ReleaseLink.objects.bulk_create(
            ReleaseLink(release=release, **item) for item in data["links"]
        )
        release.images.all().delete()
        # A photo deleted from the library since is left out (deleting a photo in use is
        # refused, so only an unused one can be gone).
        photos = set(
            Photo.objects.filter(pk__in=[i["photo"] for i in data["images"]]).values_list(
                "pk", flat=True
            )
        )
        ReleaseImage.objects.bulk_create(
            ReleaseImage(release=release, photo_id=item["photo"], order=item["order"])
            for item in data["images"]
            if item["photo"] in photos
        )
        # Snapshots from before translations have none: restoring one removes today's.
        restore_translations(release, data.get("translations", {}))

    return save_edit(release, user, write, restored_from=revision.number, **edit_options)


def restore_translations(release: Release, translations: dict) -> None:
    """Make the release's translations exactly `translations` ({language: {field: text}})."""
    release.translations.exclude(language__in=list(translations)).delete()
    for language, text in translations.items():
        row = release.translations.filter(language=language).first()
        row = row or ReleaseTranslation(release=release, language=language)
        for name in ReleaseTranslation.fields:
            setattr(row, name, text.get(name, ""))
        row.save()
