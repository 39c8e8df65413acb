"""The one history of an appointment for the admin (`newsroom.history`, as for releases): saves,
restores, postponements and moves with their diff, the other transitions with their comments,
in the order they happened."""

from newsroom import history

from .models import Action, Appointment
from .revisions import compare

# Postponing and moving change the content (time, place): each is a version with a diff.
WITH_DIFF = history.EDITS | {Action.POSTPONE, Action.MOVE}


def entries(appointment: Appointment) -> list[history.Entry]:
    """Every event of `appointment`, oldest first."""
    return history.entries(
        appointment,
        compare,
        with_diff=WITH_DIFF,
        warnings={Action.VOID_APPROVAL, Action.CANCEL},
    )
