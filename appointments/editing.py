"""The one path by which an appointment's content is written: the releases' rules
(`newsroom.editing`): a change before the publication second voids the approval, a change after
it is a correction with a public notice (and raises the calendar SEQUENCE)."""

from django.utils.translation import gettext_lazy as _

from newsroom.editing import Edit, Editing, EditRefused, EditWording  # noqa: F401

from . import revisions, workflow
from .models import Action, State

WORKFLOW_FIELDS = [
    "state",
    "go_live_at",
    "first_published_at",
    "go_live_handled_at",
    "status",
    "cancelled_at",
    "cancellation_reason",
    "sequence",
    "created_by_id",
    "created_at",
]

EDITING = Editing(
    workflow=workflow.WORKFLOW,
    permission_prefix="appointments.appointment",
    workflow_fields=WORKFLOW_FIELDS,
    closed_states=frozenset({State.CANCELLED}),
    take_snapshot=revisions.take_snapshot,
    compare=revisions.compare,
    record_revision=lambda appointment, user, restored_from: revisions.record(
        appointment, user, restored_from
    ),
    actions={"create": Action.CREATE, "save": Action.SAVE, "restore": Action.RESTORE},
    wording=EditWording(
        closed=_("A cancelled appointment is a closed record."),
        stale_version=_(
            "Someone saved this appointment after you opened it (version %(current)s)."
        ),
        race=_("Someone else saved this appointment just now."),
        change_note_required=_(
            "This appointment is public: describe the change in a public change note."
        ),
        correction_unconfirmed=_(
            "This appointment is public: confirm that the change is published at once."
        ),
        void_unconfirmed=_(
            "This appointment is approved: confirm that the change sends it back to review."
        ),
    ),
)

consequence = EDITING.consequence
save_edit = EDITING.save_edit
