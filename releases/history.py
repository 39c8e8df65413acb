"""The one history of a release: saves with their diff, transitions, restores, corrections,
withdrawals and the life of its preview links, in the order they happened."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .models import Action, PreviewAccess, Release
from .revisions import FieldChange, compare

EDITS = {Action.CREATE, Action.SAVE, Action.RESTORE}


@dataclass
class Entry:
    when: datetime
    actor: object
    what: str
    details: list[str]
    comment: str = ""
    changes: list[FieldChange] | None = None
    warning: bool = False


def _when(value: datetime) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT")


def entries(release: Release) -> list[Entry]:
    """Every event of `release`, oldest first."""
    snapshots = dict(release.revisions.values_list("number", "snapshot"))
    found = []
    for event in release.events.select_related("actor"):
        details = []
        if event.from_state != event.to_state:
            details.append(f"{event.get_from_state_display()} → {event.get_to_state_display()}")
        if event.version and event.action not in EDITS:
            details.append(_("version %(number)s") % {"number": event.version})
        if event.go_live_at:
            details.append(_("public from %(when)s") % {"when": _when(event.go_live_at)})
        if event.notify_subscribers:
            details.append(_("alert subscribers notified"))
        changes = None
        if event.action in EDITS and event.version:
            details.append(_("version %(number)s") % {"number": event.version})
            before, after = snapshots.get(event.version - 1), snapshots.get(event.version)
            if before is not None and after is not None:
                changes = compare(before, after)
        found.append(
            Entry(
                event.created_at,
                event.actor,
                event.get_action_display(),
                details,
                comment=event.comment,
                changes=changes,
                warning=event.forced or event.action == Action.VOID_APPROVAL,
            )
        )
        if event.forced:
            found[-1].details.append(_("four-eyes rule overridden"))
    for link in release.preview_links.select_related("created_by"):
        found.append(
            Entry(
                link.created_at,
                link.created_by,
                _("Preview link created"),
                [
                    _("for %(recipient)s") % {"recipient": link.label},
                    _("valid until %(when)s") % {"when": _when(link.expires_at)},
                ],
            )
        )
        if link.revoked_at:
            found.append(
                Entry(
                    link.revoked_at,
                    None,
                    _("Preview link revoked"),
                    [_("for %(recipient)s") % {"recipient": link.label}],
                )
            )
    for access in PreviewAccess.objects.filter(link__release=release).select_related("link"):
        found.append(
            Entry(
                access.accessed_at,
                None,
                _("Preview link used"),
                [_("by the holder of the link for %(name)s") % {"name": access.link.label}],
            )
        )
    return sorted(found, key=lambda entry: entry.when)
