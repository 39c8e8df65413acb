"""The editorial workflow shared by everything a press office publishes (releases, appointments).

A model takes part when it has `state` ("draft", "in_review", "approved", ...), `go_live_at`,
`first_published_at`, `go_live_handled_at`, `version` and `last_edited_by`, and an event model
(the audit log) with the fields of `Workflow.take`'s event. Each app declares its table of
`Transition`s and builds one `Workflow`; "live" is never a state but approved and `go_live_at`
passed, decided at query time by the model's `live()`.

The rules every workflow keeps live here, once: who may take a transition (permission, state,
before or after the go-live second), the four-eyes rule, the version an approval pins, the
conditional update that lets only one of two concurrent transitions through, the audit event, and
the follow-ups run on commit. Edits go through `newsroom.editing`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .cache import content_changed

APPROVED = "approved"


class TransitionRefused(ValidationError):
    """The transition cannot be taken now (wrong state, missing input, four-eyes rule)."""


@dataclass(frozen=True)
class Step:
    """What a transition is being taken with: who, when, and what they entered.

    `subject` is the locked row (a release, an appointment); `data` holds what a transition
    asks for beyond the comment and the go-live second (e.g. an appointment's new time).
    """

    subject: object
    user: object
    now: datetime
    comment: str
    go_live_at: datetime | None
    data: dict = field(default_factory=dict)


# Effects shared by every workflow: each returns the fields a transition changes.


def schedule(step: Step) -> dict:
    if step.go_live_at is None:
        raise TransitionRefused(
            _("Choose the date and time of publication."), code="go_live_required"
        )
    if step.go_live_at <= step.now:
        raise TransitionRefused(
            _("The publication time has passed; choose a later one or publish now."),
            code="go_live_past",
        )
    return go_live(step, step.go_live_at)


def publish_now(step: Step) -> dict:
    return go_live(step, step.now)


def go_live(step: Step, when: datetime) -> dict:
    changes = {"go_live_at": when, "go_live_handled_at": None}
    first = step.subject.first_published_at
    if first is None or first > step.now:
        changes["first_published_at"] = when
    return changes


def clear_go_live(step: Step) -> dict:
    changes = {"go_live_at": None, "go_live_handled_at": None}
    first = step.subject.first_published_at
    if first and first > step.now:
        changes["first_published_at"] = None
    return changes


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    effect: Callable[[Step], dict] | None = None
    # Tasks run once the transition is committed (names the app's follow-up function knows).
    follow_ups: tuple[str, ...] = ("notify",)
    comment_required: bool = False
    comment_label: str = _("Comment")
    # The form asks for the go-live second (an embargo).
    asks_go_live: bool = False
    # Approvals: the lead names the version they read; any other version is refused.
    pins_version: bool = False
    # The last editor may not approve their own text unless forced with a reason.
    four_eyes: bool = False
    # The forced approval: offered only to whom the four-eyes rule blocks, recorded as forced.
    overrides_four_eyes: bool = False
    # Only while the subject is not yet public (an embargo can be lifted, a publication cannot).
    before_go_live: bool = False
    only_when_live: bool = False
    # Corrections and withdrawals: the lead may have e-mail alert subscribers told (a checkbox).
    may_notify_subscribers: bool = False
    # What cannot be undone asks for an explicit confirmation.
    needs_confirmation: bool = False
    # Taken by the system as a consequence of something else (an edit), never offered as a button.
    offered: bool = True


def is_possible(transition: Transition, subject, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if subject.state not in transition.sources:
        return False
    going_live_passed = subject.go_live_at is not None and subject.go_live_at <= now
    if transition.before_go_live and going_live_passed:
        return False
    return not (transition.only_when_live and not going_live_passed)


def review_transitions(permission_prefix: str, approval_follow_ups: tuple[str, ...]) -> list:
    """The transitions every workflow has, from draft to approved and back, in table order.

    `permission_prefix` is "app_label.model" (the permissions submit_/approve_/change_<model>).
    """
    app_label, model = permission_prefix.split(".")
    submit, approve = f"{app_label}.submit_{model}", f"{app_label}.approve_{model}"
    return [
        Transition("submit", _("Submit for review"), frozenset({"draft"}), "in_review", submit),
        Transition(
            "request_changes",
            _("Request changes"),
            frozenset({"in_review"}),
            "draft",
            approve,
            comment_required=True,
            comment_label=_("What should change?"),
        ),
        Transition(
            "approve",
            _("Approve and schedule"),
            frozenset({"in_review"}),
            APPROVED,
            approve,
            effect=schedule,
            follow_ups=approval_follow_ups,
            asks_go_live=True,
            pins_version=True,
            four_eyes=True,
        ),
        Transition(
            "publish_now",
            _("Publish now"),
            frozenset({"in_review"}),
            APPROVED,
            approve,
            effect=publish_now,
            follow_ups=approval_follow_ups,
            pins_version=True,
            four_eyes=True,
        ),
        Transition(
            "force_publish",
            _("Publish despite the four-eyes rule"),
            frozenset({"in_review"}),
            APPROVED,
            approve,
            effect=publish_now,
            follow_ups=approval_follow_ups,
            pins_version=True,
            comment_required=True,
            comment_label=_("Why may the four-eyes rule be skipped?"),
            overrides_four_eyes=True,
        ),
        Transition(
            "unschedule",
            _("Stop the scheduled publication"),
            frozenset({APPROVED}),
            "in_review",
            approve,
            effect=clear_go_live,
            before_go_live=True,
        ),
        Transition(
            "void_approval",
            _("Approval voided by a change"),
            frozenset({APPROVED}),
            "in_review",
            f"{app_label}.change_{model}",
            effect=clear_go_live,
            before_go_live=True,
            offered=False,
        ),
    ]


@dataclass(frozen=True)
class Wording:
    """The refusals that name the kind of content ("the release", "the appointment")."""

    version_required: str
    stale_state: str  # %(state)s
    stale_version: str  # %(read)s, %(current)s
    four_eyes: str
    race: str


@dataclass
class Workflow:
    """One model's transition table, and the one function that takes its transitions."""

    model: type
    event_model: type
    # The event model's foreign key to the subject, e.g. "release".
    subject_field: str
    transitions: dict[str, Transition]
    wording: Wording
    # Called on commit with the event's pk and the transition's follow-up names.
    follow_up: Callable[[int, tuple[str, ...]], None]
    # What changed between a version and the current one, as HTML ("" if unknown).
    changes_since: Callable[[object, int], str] = lambda subject, version: ""

    def available(self, subject, user) -> list[Transition]:
        """The transitions `user` may take on `subject` now, in table order."""
        now = timezone.now()
        last_editor = subject.last_edited_by_id == user.pk
        return [
            transition
            for transition in self.transitions.values()
            if transition.offered
            # The permission for this subject: a role counts in the subject's office only.
            and user.has_perm(transition.permission, subject)
            and is_possible(transition, subject, now)
            # Offer the forced publication only to whom the four-eyes rule blocks, and vice versa.
            and not (transition.four_eyes and last_editor)
            and not (transition.overrides_four_eyes and not last_editor)
        ]

    def take(
        self,
        pk: int,
        name: str,
        user,
        *,
        comment: str = "",
        go_live_at: datetime | None = None,
        version: int | None = None,
        notify_subscribers: bool = False,
        confirmed: bool = False,
        data: dict | None = None,
    ):
        """Take transition `name` for `user`; raise PermissionDenied or TransitionRefused.

        `version` is the version the user read; approvals need it and are refused when the
        subject has changed since. `notify_subscribers` asks for a notice to the alert
        subscribers (corrections, withdrawals, cancellations). `confirmed` answers the question
        of a transition that needs a confirmation.

        The row is locked and the state re-checked inside the transaction, so of two leads
        approving at the same moment one succeeds and the other is told it has moved on.
        """
        transition = self.transitions.get(name)
        if transition is None:
            raise TransitionRefused(_("Unknown action."), code="unknown")
        if not user.has_perm(transition.permission):  # in no office at all
            raise PermissionDenied
        comment = comment.strip()
        if transition.comment_required and not comment:
            raise TransitionRefused(
                _("%(label)s: please fill in “%(field)s”."),
                code="comment_required",
                params={"label": transition.label, "field": transition.comment_label},
            )
        if transition.needs_confirmation and not confirmed:
            raise TransitionRefused(
                _("%(label)s: please confirm; this cannot be undone."),
                code="confirmation_required",
                params={"label": transition.label},
            )
        if transition.pins_version and version is None:
            raise TransitionRefused(self.wording.version_required, code="version_required")

        now = timezone.now()
        with transaction.atomic():
            subject = self.model.objects.select_for_update().get(pk=pk)
            # Checked on the locked row: a role counts in the subject's office only.
            if not user.has_perm(transition.permission, subject):
                raise PermissionDenied
            if not is_possible(transition, subject, now):
                raise TransitionRefused(
                    self.wording.stale_state,
                    code="stale_state",
                    params={"state": subject.get_state_display()},
                )
            if transition.pins_version and subject.version != version:
                raise TransitionRefused(
                    format_html(
                        "{} {}",
                        self.wording.stale_version % {"read": version, "current": subject.version},
                        self.changes_since(subject, version),
                    ),
                    code="stale_version",
                )
            if transition.four_eyes and subject.last_edited_by_id == user.pk:
                raise TransitionRefused(self.wording.four_eyes, code="four_eyes")

            from_state = subject.state
            step = Step(subject, user, now, comment, go_live_at, data or {})
            changes = {"state": transition.target}
            if transition.effect:
                changes |= transition.effect(step)

            # A conditional update: even without row locks (SQLite) only one caller moves it.
            moved = self.model.objects.filter(
                pk=subject.pk, state=from_state, version=subject.version
            ).update(**changes)
            if not moved:
                raise TransitionRefused(self.wording.race, code="race")
            for name_, value in changes.items():
                setattr(subject, name_, value)
            event = self.event_model.objects.create(
                **{self.subject_field: subject},
                actor=user,
                action=transition.name,
                from_state=from_state,
                to_state=transition.target,
                comment=comment,
                forced=transition.overrides_four_eyes,
                notify_subscribers=notify_subscribers and transition.may_notify_subscribers,
                go_live_at=subject.go_live_at if transition.pins_version else None,
                version=subject.version,
                created_at=now,
            )
            follow_ups, follow_up = transition.follow_ups, self.follow_up
            transaction.on_commit(lambda: follow_up(event.pk, follow_ups))
            # The state moved without a model save: tell the page cache.
            content_changed(subject)
        return subject
