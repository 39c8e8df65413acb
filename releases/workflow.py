"""The editorial workflow: one table of transitions, and one function that takes them.

    draft --submit--> in_review --approve (at a second) / publish_now--> approved --(time)--> live
      ^                  |                                        live --withdraw--> withdrawn
      +--request_changes-+ (comment required)      approved, not yet live --unschedule--> in_review

"Live" is not a state: an approved release is live from its go-live second, decided at query time
by `Release.objects.live()`. Corrections of an approved release are saves with a public change
note (see the admin form); withdrawing is a transition.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.cache import content_changed

from .models import Correction, Release, ReleaseEvent, State


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    comment_required: bool = False
    comment_label: str = _("Comment")
    # Approvals: the last editor may not approve their own text unless forced with a reason.
    four_eyes: bool = False
    sets_go_live: bool = False
    # Only while the release is not yet public (an embargo can be lifted, a publication cannot).
    before_go_live: bool = False
    only_when_live: bool = False
    # Corrections and withdrawals: the lead may have e-mail alert subscribers told (a checkbox).
    may_notify_subscribers: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Submit for review"),
            frozenset({State.DRAFT}),
            State.IN_REVIEW,
            "releases.submit_release",
        ),
        Transition(
            "request_changes",
            _("Request changes"),
            frozenset({State.IN_REVIEW}),
            State.DRAFT,
            "releases.approve_release",
            comment_required=True,
            comment_label=_("What should change?"),
        ),
        Transition(
            "approve",
            _("Approve and schedule"),
            frozenset({State.IN_REVIEW}),
            State.APPROVED,
            "releases.approve_release",
            four_eyes=True,
            sets_go_live=True,
        ),
        Transition(
            "publish_now",
            _("Publish now"),
            frozenset({State.IN_REVIEW}),
            State.APPROVED,
            "releases.approve_release",
            four_eyes=True,
        ),
        Transition(
            "force_publish",
            _("Publish despite the four-eyes rule"),
            frozenset({State.IN_REVIEW}),
            State.APPROVED,
            "releases.approve_release",
            comment_required=True,
            comment_label=_("Why may the four-eyes rule be skipped?"),
        ),
        Transition(
            "unschedule",
            _("Stop the scheduled publication"),
            frozenset({State.APPROVED}),
            State.IN_REVIEW,
            "releases.approve_release",
            before_go_live=True,
        ),
        Transition(
            "correct",
            _("Publish a correction note"),
            frozenset({State.APPROVED}),
            State.APPROVED,
            "releases.correct_release",
            comment_required=True,
            comment_label=_("Public change note"),
            only_when_live=True,
            may_notify_subscribers=True,
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({State.APPROVED}),
            State.WITHDRAWN,
            "releases.withdraw_release",
            comment_required=True,
            comment_label=_("Public reason for the withdrawal"),
            only_when_live=True,
            may_notify_subscribers=True,
        ),
    ]
}


APPROVALS = frozenset({"approve", "publish_now", "force_publish"})


class TransitionRefused(ValidationError):
    """The transition cannot be taken now (wrong state, missing input, four-eyes rule)."""


def is_possible(transition: Transition, release: Release, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if release.state not in transition.sources:
        return False
    going_live_passed = release.go_live_at is not None and release.go_live_at <= now
    if transition.before_go_live and going_live_passed:
        return False
    return not (transition.only_when_live and not going_live_passed)


def available(release: Release, user) -> list[Transition]:
    """The transitions `user` may take on `release` now, in table order."""
    now = timezone.now()
    last_editor = release.last_edited_by_id == user.pk
    return [
        transition
        for transition in TRANSITIONS.values()
        if user.has_perm(transition.permission)
        and is_possible(transition, release, now)
        # Offer the forced publication only to whom the four-eyes rule blocks, and vice versa.
        and not (transition.four_eyes and last_editor)
        and not (transition.name == "force_publish" and not last_editor)
    ]


def take(
    release_id: int,
    name: str,
    user,
    *,
    comment: str = "",
    go_live_at: datetime | None = None,
    notify_subscribers: bool = False,
) -> Release:
    """Take transition `name` for `user`; raise PermissionDenied or TransitionRefused.

    `notify_subscribers` asks for a notice to the alert subscribers who were sent the release;
    it is recorded on the event for corrections and withdrawals only.

    The row is locked and the state re-checked inside the transaction, so of two leads approving
    at the same moment one succeeds and the other is told the release has moved on.
    """
    from . import tasks

    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Unknown action."), code="unknown")
    if not user.has_perm(transition.permission):
        raise PermissionDenied
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise TransitionRefused(
            _("%(label)s: please fill in “%(field)s”."),
            code="comment_required",
            params={"label": transition.label, "field": transition.comment_label},
        )

    now = timezone.now()
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release_id)
        if not is_possible(transition, release, now):
            raise TransitionRefused(
                _("This is no longer possible: the release is now “%(state)s”."),
                code="stale_state",
                params={"state": release.get_state_display()},
            )
        if transition.four_eyes and release.last_edited_by_id == user.pk:
            raise TransitionRefused(
                _(
                    "You edited this release last, so someone else must approve it "
                    "(four-eyes rule). A press lead may publish it with a recorded reason."
                ),
                code="four_eyes",
            )

        from_state = release.state
        changes = {"state": transition.target}
        if transition.name in APPROVALS:
            if transition.sets_go_live:
                if go_live_at is None:
                    raise TransitionRefused(
                        _("Choose the date and time of publication."), code="go_live_required"
                    )
                if go_live_at <= now:
                    raise TransitionRefused(
                        _("The publication time has passed; choose a later one or publish now."),
                        code="go_live_past",
                    )
            else:
                go_live_at = now
            changes |= {"go_live_at": go_live_at, "go_live_handled_at": None}
            if release.first_published_at is None or release.first_published_at > now:
                changes["first_published_at"] = go_live_at
        elif transition.name == "unschedule":
            changes |= {"go_live_at": None}
            if release.first_published_at and release.first_published_at > now:
                changes["first_published_at"] = None
        elif transition.target == State.WITHDRAWN:
            changes |= {"withdrawn_at": now, "withdrawal_reason": comment}
        elif transition.name == "correct":
            Correction.objects.create(release=release, note=comment, created_at=now)

        # A conditional update: even without row locks (SQLite) only one caller moves the state.
        moved = Release.objects.filter(pk=release.pk, state=from_state).update(**changes)
        if not moved:
            raise TransitionRefused(_("Someone else changed the release just now."), code="race")
        for field, value in changes.items():
            setattr(release, field, value)
        event = ReleaseEvent.objects.create(
            release=release,
            actor=user,
            action=transition.name,
            from_state=from_state,
            to_state=transition.target,
            comment=comment,
            forced=transition.name == "force_publish",
            notify_subscribers=notify_subscribers and transition.may_notify_subscribers,
            go_live_at=release.go_live_at if transition.name in APPROVALS else None,
            created_at=now,
        )
        transaction.on_commit(lambda: tasks.after_transition(event.pk))
        # The state moved without a model save: tell the page cache.
        content_changed()
    return release


def record_save(release: Release, user, comment: str = "") -> ReleaseEvent:
    """Write the audit row for an ordinary save."""
    return ReleaseEvent.objects.create(
        release=release,
        actor=user,
        action="save",
        from_state=release.state,
        to_state=release.state,
        comment=comment,
    )
