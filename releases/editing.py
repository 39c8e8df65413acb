"""The one path by which the content of a release is written.

The admin form, restoring a version and any script call `save_edit`. It locks the row, refuses
an edit begun on an older version, writes the content, bumps the version, stores the revision and
the audit entry, and keeps the public record honest:

- an approved release whose second has not come loses its approval and goes back to review (the
  approver and the author are told): nobody approved the new text;
- a change to a live release is a correction: it needs the correction permission, a public
  change note and a confirmation, and may tell the alert subscribers.

The rules are shared with appointments (`newsroom.editing.Editing`); this module says how they
apply to releases.
"""

from django.utils.translation import gettext_lazy as _

from newsroom.editing import Edit, Editing, EditRefused, EditWording  # noqa: F401

from . import revisions, workflow
from .models import Action, State

# The release fields only transitions change; an edit never writes them from a stale copy.
WORKFLOW_FIELDS = [
    "state",
    "go_live_at",
    "first_published_at",
    "withdrawn_at",
    "withdrawal_reason",
    "go_live_handled_at",
    "created_by_id",
    "created_at",
]


def _restore_comment(number: int) -> str:
    return str(_("Restored from version %(number)s") % {"number": number})


EDITING = Editing(
    workflow=workflow.WORKFLOW,
    permission_prefix="releases.release",
    workflow_fields=WORKFLOW_FIELDS,
    closed_states=frozenset({State.WITHDRAWN}),
    take_snapshot=lambda release: revisions.take_snapshot(release),
    compare=lambda old, new: revisions.compare(old, new),
    record_revision=lambda release, user, restored_from: revisions.record(
        release, user, restored_from=restored_from
    ),
    actions={"create": Action.CREATE, "save": Action.SAVE, "restore": Action.RESTORE},
    wording=EditWording(
        closed=_("A withdrawn release is a closed record."),
        stale_version=_("Someone saved this release after you opened it (version %(current)s)."),
        race=_("Someone else saved this release just now."),
        change_note_required=_(
            "This release is public: describe the change in a public change note."
        ),
        correction_unconfirmed=_(
            "This release is public: confirm that the change is published at once."
        ),
        void_unconfirmed=_(
            "This release is approved: confirm that the change sends it back to review."
        ),
    ),
    restore_comment=_restore_comment,
)


def consequence(release) -> str:
    """What saving a content change to `release` now means: "", "void" or "correct"."""
    return EDITING.consequence(release)


def check_may_edit(release, user) -> None:
    EDITING.check_may_edit(release, user)


def save_edit(release, user, write, **options) -> Edit:
    """Write an edit of `release` by `user` (`newsroom.editing.Editing.save_edit`)."""
    return EDITING.save_edit(release, user, write, **options)
