"""Revisions: a full snapshot of every saved version, diffs between any two, and restore.

A snapshot is plain JSON, so an old revision stays readable even after a contact or topic it
names was renamed; restoring maps the stored ids back to what still exists.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from publications.models import Publication

from .models import Release, ReleaseContact, ReleaseImage, ReleaseLink, Revision, Topic

TEXT_FIELDS = ["title", "slug", "dateline", "lead", "body", "background"]
# Labels for the diff view, in the order a reader expects.
FIELD_LABELS = {
    "issuer": _("issuer"),
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


def take_snapshot(release: Release) -> dict:
    """Everything an editor can change on a release, as JSON-ready data."""
    contacts = release.release_contacts.select_related("contact").order_by("order", "pk")
    return {
        **{field: getattr(release, field) for field in TEXT_FIELDS},
        "issuer": {"id": release.issuer_id, "name": release.issuer.name},
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
            {
                "file": image.file.name,
                "caption": image.caption,
                "credit": image.credit,
                "alt_text": image.alt_text,
                "is_decorative": image.is_decorative,
                "order": image.order,
            }
            for image in release.images.order_by("order", "pk")
        ],
    }


def record(release: Release, author, restored_from: int | None = None) -> Revision:
    """Store the release as it is now under its current version number.

    A number is stored once (a unique constraint): a version is never overwritten.
    """
    return Revision.objects.create(
        release=release,
        number=release.version,
        author=author,
        snapshot=take_snapshot(release),
        restored_from=restored_from,
    )


def _as_text(field: str, value) -> str:
    """How a field reads in a diff: text without markup, lists one item per line."""
    if value is None:
        return ""
    if field in {"body", "background"}:
        return strip_tags(re.sub(r"</(p|h[2-4]|li|blockquote|tr)>", "\n", value or "")).strip()
    if field == "issuer":
        return value["name"] if value else ""
    if field in {"topics", "contacts"}:
        return "\n".join(item["name"] for item in value)
    if field == "publications":
        return "\n".join(item["title"] for item in value)
    if field == "links":
        return "\n".join(f"{item['title']} <{item['url']}>" for item in value)
    if field == "images":
        return "\n".join(
            f"{item['file']} – {item['caption']} ({item['alt_text'] or '-'})" for item in value
        )
    return str(value or "")


def word_diff(old: str, new: str) -> SafeString:
    """Mark words removed with <del> and added with <ins>; everything is escaped."""
    old_words = re.findall(r"\S+|\s+", old)
    new_words = re.findall(r"\S+|\s+", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if op in {"delete", "replace"}:
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if op in {"insert", "replace"}:
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above


@dataclass
class FieldChange:
    field: str
    label: str
    diff: SafeString


def compare(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots, each with a word-level diff."""
    changes = []
    for field, label in FIELD_LABELS.items():
        before, after = _as_text(field, old.get(field)), _as_text(field, new.get(field))
        if before != after:
            changes.append(FieldChange(field, str(label), word_diff(before, after)))
    return changes


def as_html(changes: list[FieldChange]) -> SafeString:
    """A list of changed fields with their diffs, for messages and form errors."""
    items = format_html_join(
        "", "<li><strong>{}</strong>: {}</li>", ((c.label, c.diff) for c in changes)
    )
    return format_html("<ul class='stale-changes'>{}</ul>", items)


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
        ReleaseImage.objects.bulk_create(
            ReleaseImage(release=release, **item) for item in data["images"]
        )

    return save_edit(release, user, write, restored_from=revision.number, **edit_options)
