"""Snapshots of appointments for revisions, diffs and restore (the machinery is
`newsroom.revisions`, shared with releases).

A snapshot names related rows by id and name, so an old version stays readable after a rename;
restoring maps the ids back to what still exists.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from newsroom.revisions import FieldChange, compare_fields
from photos.models import Photo
from releases.models import Release, Topic

from .models import Appointment, AppointmentImage, AppointmentRevision

TEXT_FIELDS = [
    "title",
    "slug",
    "kind",
    "venue",
    "address",
    "room",
    "online_url",
    "description",
    "press_notes",
]
TIME_FIELDS = ["starts_at", "ends_at"]
ACCREDITATION_FIELDS = ["requires_accreditation", "capacity", "retention_days"]
FIELD_LABELS = {
    "issuer": _("issuer"),
    "title": _("title"),
    "slug": _("slug"),
    "kind": _("kind"),
    "time": _("time"),
    "venue": _("venue"),
    "address": _("address"),
    "room": _("room"),
    "online_url": _("online link"),
    "description": _("description"),
    "press_notes": _("notes for the press"),
    "topics": _("topics"),
    "contacts": _("press contacts"),
    "releases": _("linked releases"),
    "images": _("images"),
    "accreditation": _("accreditation"),
}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(value: str | None) -> str:
    if not value:
        return ""
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%d.%m.%Y %H:%M")


def take_snapshot(appointment: Appointment) -> dict:
    """Everything an editor can change on an appointment, as JSON-ready data."""
    return {
        **{field: getattr(appointment, field) for field in TEXT_FIELDS + ACCREDITATION_FIELDS},
        **{field: _iso(getattr(appointment, field)) for field in TIME_FIELDS},
        "all_day": appointment.all_day,
        "accreditation_deadline": _iso(appointment.accreditation_deadline),
        "issuer": {"id": appointment.issuer_id, "name": appointment.issuer.name},
        "topics": [{"id": t.pk, "name": t.name} for t in appointment.topics.order_by("name")],
        "contacts": [{"id": c.pk, "name": c.name} for c in appointment.contacts.order_by("name")],
        "releases": [{"id": r.pk, "name": r.title} for r in appointment.releases.order_by("title")],
        # As a release's: the caption names the photo in a diff; its text is the library's.
        "images": [
            {"photo": image.photo_id, "caption": str(image.photo), "order": image.order}
            for image in appointment.images.select_related("photo").order_by("order", "pk")
        ],
    }


def _as_text(field: str, snapshot: dict) -> str:
    """How a field reads in a diff; "time" and "accreditation" read several stored fields."""
    value = snapshot.get(field)
    if field in {"time", "accreditation"} and "starts_at" not in snapshot:
        return str(value or "")  # a version saved before snapshots held the fields apart
    if field == "time":
        span = " – ".join(filter(None, [_when(snapshot.get(f)) for f in TIME_FIELDS]))
        return span + (" (all day)" if snapshot.get("all_day") else "")
    if field == "accreditation":
        if not snapshot.get("requires_accreditation"):
            return ""
        deadline = _when(snapshot.get("accreditation_deadline"))
        return f"{deadline} / {snapshot.get('capacity') or '-'} / {snapshot.get('retention_days')}"
    if field == "images":
        return "\n".join(f"{item['caption']} (#{item['photo']})" for item in value or [])
    # Versions saved before related rows were stored with their ids held only their names.
    if isinstance(value, dict):
        return value["name"]
    if isinstance(value, list):
        return "\n".join(item["name"] if isinstance(item, dict) else item for item in value)
    return str(value or "")


def compare(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots, each with a word-level diff."""
    return compare_fields(old, new, FIELD_LABELS, _as_text)


def record(appointment: Appointment, author, restored_from=None) -> AppointmentRevision:
    return AppointmentRevision.record(
        appointment, author, take_snapshot(appointment), restored_from
    )


def restorable(revision: AppointmentRevision) -> bool:
    """Versions saved before snapshots held ids and times apart can be compared, not restored."""
    return "starts_at" in revision.snapshot


def restore(appointment: Appointment, revision: AppointmentRevision, user, **edit_options):
    """Bring back `revision`'s content as a new version (history is never rewritten).

    An edit like any other (`appointments.editing.save_edit`): on a live appointment it is a
    correction with a public notice (and a higher calendar SEQUENCE), on a scheduled one it
    voids the approval.
    """
    from .editing import save_edit

    data = revision.snapshot

    def write(appointment: Appointment) -> None:
        for field in TEXT_FIELDS + ACCREDITATION_FIELDS + ["all_day"]:
            setattr(appointment, field, data[field])
        for field in TIME_FIELDS + ["accreditation_deadline"]:
            value = data[field]
            setattr(appointment, field, datetime.fromisoformat(value) if value else None)
        appointment.issuer_id = data["issuer"]["id"]
        appointment.save()
        for field, model in [("topics", Topic), ("contacts", Contact), ("releases", Release)]:
            ids = [item["id"] for item in data[field]]
            getattr(appointment, field).set(model.objects.filter(pk__in=ids))
        # Versions from before appointments had photos had none. A photo deleted from the
        # library since is left out (one in use cannot be deleted).
        images = data.get("images", [])
        photos = set(
            Photo.objects.filter(pk__in=[item["photo"] for item in images]).values_list(
                "pk", flat=True
            )
        )
        appointment.images.all().delete()
        AppointmentImage.objects.bulk_create(
            AppointmentImage(appointment=appointment, photo_id=item["photo"], order=item["order"])
            for item in images
            if item["photo"] in photos
        )

    return save_edit(appointment, user, write, restored_from=revision.number, **edit_options)
