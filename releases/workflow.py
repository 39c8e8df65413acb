"""The editorial workflow: one table of transitions, and one function that takes them.

    draft --submit--> in_review --approve (at a second) / publish_now--> approved --(time)--> live
      ^                  |                                        live --withdraw--> withdrawn
      +--request_changes-+ (comment required)      approved, not yet live --unschedule--> in_review
      +--withdraw_from_review (by whoever may submit, comment optional)
                                       approved, not yet live --(content edited)--> in_review

"Live" is not a state: an approved release is live from its go-live second, decided at query time
by `Release.objects.live()`. An approval pins the version the lead saw: approving any other
version is refused. Content changes go through `releases.editing.save_edit`, which voids an
approval before the second and turns a change after it into a correction; both are transitions
of this table ("void_approval", "correct"), so every effect of a transition is written here.
The rules every transition keeps (permission, state, four-eyes, the pinned version, the
conditional update, the event and the follow-ups) are shared with appointments in
`newsroom.workflow`; this module holds the release's table and wording.
"""

from django.utils.translation import gettext_lazy as _

from newsroom.revisions import changes_since
from newsroom.workflow import (  # noqa: F401 - the release workflow's public names
    Step,
    Transition,
    TransitionRefused,
    Wording,
    Workflow,
    clear_go_live,
    go_live,
    is_possible,
    publish_now,
    review_transitions,
    schedule,
)

from . import tasks
from .models import Correction, Release, ReleaseEvent, State
from .revisions import compare

# Effects of the release's own transitions (the shared ones are in newsroom.workflow).


def withdraw(step: Step) -> dict:
    return {"withdrawn_at": step.now, "withdrawal_reason": step.comment}


def add_correction(step: Step) -> dict:
    Correction.objects.create(release=step.subject, note=step.comment, created_at=step.now)
    return {}


APPROVAL_FOLLOW_UPS = ("notify", "go_live")

REVIEW = review_transitions("releases.release", APPROVAL_FOLLOW_UPS)

TRANSITIONS = {
    t.name: t
    for t in [
        REVIEW[0],  # submit
        Transition(
            "withdraw_from_review",
            _("Withdraw from review"),
            frozenset({State.IN_REVIEW}),
            State.DRAFT,
            "releases.submit_release",
            # Whoever submitted takes it back to keep writing; the reviewers need no mail.
            follow_ups=(),
            comment_label=_("Why? (optional)"),
        ),
        *REVIEW[1:],
        Transition(
            "correct",
            _("Publish a correction note"),
            frozenset({State.APPROVED}),
            State.APPROVED,
            "releases.correct_release",
            effect=add_correction,
            follow_ups=("notify", "ping_hub", "tell_subscribers"),
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
            effect=withdraw,
            follow_ups=("notify", "ping_hub", "tell_subscribers"),
            comment_required=True,
            comment_label=_("Public reason for the withdrawal"),
            only_when_live=True,
            may_notify_subscribers=True,
            needs_confirmation=True,
        ),
    ]
}


WORKFLOW = Workflow(
    model=Release,
    event_model=ReleaseEvent,
    subject_field="release",
    transitions=TRANSITIONS,
    wording=Wording(
        version_required=_(
            "Say which version you approve: open the release and approve it from there."
        ),
        stale_state=_("This is no longer possible: the release is now “%(state)s”."),
        stale_version=_(
            "The release was changed after you opened it (version %(read)s, now "
            "%(current)s): read the new version before you approve it."
        ),
        four_eyes=_(
            "You edited this release last, so someone else must approve it "
            "(four-eyes rule). A press lead may publish it with a recorded reason."
        ),
        race=_("Someone else changed the release just now."),
    ),
    # Looked up at call time, so that the task module's functions can be replaced in tests.
    follow_up=lambda event_id, names: tasks.follow_up(event_id, names),
    changes_since=lambda release, version: changes_since(release, version, compare),
)


def available(release: Release, user) -> list[Transition]:
    """The transitions `user` may take on `release` now, in table order."""
    return WORKFLOW.available(release, user)


def take(release_id: int, name: str, user, **options) -> Release:
    """Take transition `name` for `user` (`newsroom.workflow.Workflow.take`)."""
    return WORKFLOW.take(release_id, name, user, **options)
