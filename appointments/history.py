"""The one history of an appointment for the admin: saves with their diff, transitions (with the
comments, notices and SEQUENCE they brought), in the order they happened. The entries are the
releases' (`releases.history.Entry`), so both histories read alike."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from releases.history import Entry

from .models import Action, Appointment
from .revisions import compare

EDITS = {Action.CREATE, Action.SAVE, Action.RESTORE}


def entries(appointment: Appointment) -> list[Entry]:
    """Every event of `appointment`, oldest first."""
    snapshots = dict(appointment.revisions.values_list("number", "snapshot"))
    found = []
    for event in appointment.events.select_related("actor").order_by("created_at", "pk"):
        details = []
        if event.from_state != event.to_state:
            details.append(f"{event.get_from_state_display()} → {event.get_to_state_display()}")
        if event.version:
            details.append(_("version %(number)s") % {"number": event.version})
        if event.go_live_at:
            when = date_format(localtime(event.go_live_at), "DATETIME_FORMAT")
            details.append(_("public from %(when)s") % {"when": when})
        if event.forced:
            details.append(_("four-eyes rule overridden"))
        changes = None
        if event.action in EDITS and event.version:
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
                warning=event.forced or event.action in {Action.VOID_APPROVAL, Action.CANCEL},
            )
        )
    return found
