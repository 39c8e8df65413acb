"""Snapshots of appointments for revisions and diffs; the diff itself is the releases' one."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.revisions import FieldChange, word_diff

from .models import Appointment, AppointmentRevision

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
    "accreditation": _("accreditation"),
}


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def take_snapshot(appointment: Appointment) -> dict:
    """Everything an editor can change on an appointment, as JSON-ready data."""
    return {
        **{field: getattr(appointment, field) for field in TEXT_FIELDS},
        "issuer": appointment.issuer.name,
        "time": " – ".join(
            filter(None, [_when(appointment.starts_at), _when(appointment.ends_at)])
        )
        + (" (all day)" if appointment.all_day else ""),
        "topics": sorted(t.name for t in appointment.topics.all()),
        "contacts": sorted(c.name for c in appointment.contacts.all()),
        "releases": sorted(r.title for r in appointment.releases.all()),
        "accreditation": (
            f"{_when(appointment.accreditation_deadline)} / {appointment.capacity or '-'} / "
            f"{appointment.retention_days}"
            if appointment.requires_accreditation
            else ""
        ),
    }


def _as_text(value) -> str:
    if isinstance(value, list):
        return "\n".join(value)
    return str(value or "")


def compare(old: dict, new: dict) -> list[FieldChange]:
    changes = []
    for field, label in FIELD_LABELS.items():
        before, after = _as_text(old.get(field)), _as_text(new.get(field))
        if before != after:
            changes.append(FieldChange(field, str(label), word_diff(before, after)))
    return changes


def record(appointment: Appointment, author, restored_from=None) -> AppointmentRevision:
    return AppointmentRevision.objects.create(
        appointment=appointment,
        number=appointment.version,
        author=author,
        snapshot=take_snapshot(appointment),
        restored_from=restored_from,
    )
