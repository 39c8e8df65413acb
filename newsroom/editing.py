"""The one path by which the content of a published kind of content is written (shared by
releases and appointments).

`Editing.save_edit` locks the row, refuses an edit begun on an older version, writes the content,
bumps the version, stores the revision and the audit entry, and keeps the public record honest:

- an approved subject whose second has not come loses its approval and goes back to review
  (transition "void_approval"): nobody approved the new text;
- a change to a live subject is a correction (transition "correct"): it needs the correction
  permission, a public change note and a confirmation, and may tell the alert subscribers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .cache import content_changed
from .workflow import APPROVED, Workflow


def _editor(verbose_name) -> models.ForeignKey:
    """A user who wrote the subject; the record stays when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=verbose_name,
    )


class EditedBase(models.Model):
    """What `Editing.save_edit` keeps on every edited subject: its version (raised by every
    edit), who wrote it first and last, and when."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = _editor(_("author"))
    last_edited_by = _editor(_("last edited by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class EditRefused(ValidationError):
    """The edit cannot be saved as it is (stale version, missing change note or confirmation)."""


@dataclass
class Edit:
    """What an edit did."""

    subject: object
    changes: list = field(default_factory=list)
    voided_approval: bool = False
    correction: bool = False


@dataclass(frozen=True)
class EditWording:
    """The refusals that name the kind of content."""

    closed: str
    stale_version: str  # %(current)s
    race: str
    change_note_required: str
    correction_unconfirmed: str
    void_unconfirmed: str


@dataclass
class Editing:
    """How one model's edits are written: its workflow, revisions, audit events and rules."""

    workflow: Workflow
    # "app_label.model", for the permissions add_/change_/correct_<model>.
    permission_prefix: str
    # Fields only transitions change; an edit never writes them from a stale copy.
    workflow_fields: list[str]
    # States in which the subject is a closed record (withdrawn, cancelled).
    closed_states: frozenset[str]
    take_snapshot: Callable[[object], dict]
    compare: Callable[[dict, dict], list]
    # record_revision(subject, user, restored_from)
    record_revision: Callable[..., object]
    # The event model's action names for a creation, a save and a restore.
    actions: dict[str, str]
    wording: EditWording
    restore_comment: Callable[[int], str] = lambda number: ""

    def permission(self, action: str) -> str:
        app_label, model = self.permission_prefix.split(".")
        return f"{app_label}.{action}_{model}"

    def consequence(self, subject) -> str:
        """What saving a content change to `subject` now means: "", "void" or "correct"."""
        if subject.state != APPROVED:
            return ""
        return "correct" if subject.is_live else "void"

    def missing(self, subject, change_note: str, confirmed: bool) -> dict[str, str]:
        """What a content change to `subject` still lacks, by form field: the public change
        note (it is live) and the confirmation (it is approved)."""
        consequence = self.consequence(subject) if subject.pk else ""
        found = {}
        if consequence == "correct" and not (change_note or "").strip():
            found["change_note"] = self.wording.change_note_required
        if consequence and not confirmed:
            found["confirm"] = (
                self.wording.correction_unconfirmed
                if consequence == "correct"
                else self.wording.void_unconfirmed
            )
        return found

    def check_may_edit(self, subject, user) -> None:
        # For this subject: a role counts in the subject's office only.
        if not user.has_perm(self.permission("change"), subject):
            raise PermissionDenied
        if subject.state in self.closed_states:
            raise EditRefused(self.wording.closed, code="closed")
        if subject.is_live and not user.has_perm(self.permission("correct"), subject):
            raise PermissionDenied

    def _event(self, subject, user, action, state, comment=""):
        workflow = self.workflow
        workflow.event_model.objects.create(
            **{workflow.subject_field: subject},
            actor=user,
            action=action,
            from_state=state,
            to_state=state,
            comment=comment,
            version=subject.version,
        )

    def save_edit(
        self,
        subject,
        user,
        write: Callable[[object], None],
        *,
        opened_version: int | None = None,
        change_note: str = "",
        confirmed: bool = False,
        notify_subscribers: bool = False,
        restored_from: int | None = None,
    ) -> Edit:
        """Write an edit of `subject` by `user`; `write(subject)` saves the content itself.

        `subject` carries the new field values; `write` saves it and its related rows.
        `opened_version` is the version the edit was begun on. An edit that changes nothing is
        rolled back and leaves no version, revision or event.
        """
        if subject.pk is None:
            return self._create(subject, user, write)
        model = self.workflow.model
        change_note = change_note.strip()
        with transaction.atomic():
            current = model.objects.select_for_update().get(pk=subject.pk)
            self.check_may_edit(current, user)
            if opened_version is not None and opened_version != current.version:
                raise EditRefused(
                    self.wording.stale_version,
                    code="stale_version",
                    params={"current": current.version},
                )
            before = self.take_snapshot(current)
            outcome = self.consequence(current)
            for name in self.workflow_fields:
                setattr(subject, name, getattr(current, name))
            subject.version = current.version + 1
            subject.last_edited_by = user

            savepoint = transaction.savepoint()
            # A conditional update: under the row lock it cannot miss; without one (SQLite) it
            # still lets only one of two edits begun on the same version through.
            claimed = model.objects.filter(pk=subject.pk, version=current.version).update(
                version=subject.version
            )
            if not claimed:
                raise EditRefused(self.wording.race, code="race")
            write(subject)
            changes = self.compare(before, self.take_snapshot(subject))
            if not changes:
                transaction.savepoint_rollback(savepoint)
                subject.refresh_from_db()
                return Edit(subject)
            transaction.savepoint_commit(savepoint)
            if outcome == "correct":
                if not change_note:
                    raise EditRefused(
                        self.wording.change_note_required, code="change_note_required"
                    )
                if not confirmed:
                    raise EditRefused(
                        self.wording.correction_unconfirmed, code="confirmation_required"
                    )
            elif outcome == "void" and not confirmed:
                raise EditRefused(self.wording.void_unconfirmed, code="confirmation_required")

            self.record_revision(subject, user, restored_from)
            self._event(
                subject,
                user,
                self.actions["restore" if restored_from else "save"],
                current.state,
                self.restore_comment(restored_from) if restored_from else "",
            )
            edit = Edit(subject, changes)
            if outcome == "void":
                self.workflow.take(
                    subject.pk,
                    "void_approval",
                    user,
                    comment=", ".join(str(change.label) for change in changes),
                )
                edit.voided_approval = True
            elif outcome == "correct":
                self.workflow.take(
                    subject.pk,
                    "correct",
                    user,
                    comment=change_note,
                    notify_subscribers=notify_subscribers,
                )
                edit.correction = True
            if outcome:
                subject.refresh_from_db()
            else:
                content_changed(subject)
        return edit

    def _create(self, subject, user, write) -> Edit:
        if not user.has_perm(self.permission("add"), subject):
            raise PermissionDenied
        with transaction.atomic():
            subject.version = 1
            subject.created_by = subject.last_edited_by = user
            write(subject)
            self.record_revision(subject, user, None)
            self._event(subject, user, self.actions["create"], subject.state)
        return Edit(subject)

