"""The editorial workflow of appointments: the releases' rules (`newsroom.workflow`), plus the
changes of plan a live appointment may have.

    draft --submit--> in_review --approve / publish_now--> approved --(time)--> live
    live --correct / postpone / move--> live (+ public notice, SEQUENCE + 1)
    live --cancel--> cancelled (the page stays, "abgesagt")

Postponing and moving keep the appointment at its URL; each writes a public notice, raises the
calendar SEQUENCE and tells the applicants for accreditation.
"""

from copy import copy

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from newsroom.revisions import changes_since
from newsroom.workflow import (
    Step,
    Transition,
    TransitionRefused,
    Wording,
    Workflow,
    review_transitions,
)

from . import revisions, tasks
from .models import Appointment, AppointmentEvent, Notice, State, Status

# Approval schedules the go-live task for the publication second (alerts go out then).
APPROVAL_FOLLOW_UPS = ("notify", "go_live")
CHANGE_FOLLOW_UPS = ("notify", "tell_applicants", "tell_subscribers")


def _notice(step: Step, text: str) -> None:
    Notice.objects.create(appointment=step.subject, note=text, created_at=step.now)


def _public_change(step: Step) -> dict:
    # updated_at: transitions write with update(), which auto_now does not see.
    return {"sequence": step.subject.sequence + 1, "updated_at": step.now}


def _content_change(step: Step, changes: dict) -> dict:
    """A new time or place is new content: a new version with its revision (so that history,
    compare and restore know it), and a form opened before it is refused as stale."""
    changes = {**changes, "version": step.subject.version + 1, **_public_change(step)}
    revised = copy(step.subject)
    for name, value in changes.items():
        setattr(revised, name, value)
    revisions.record(revised, step.user)
    return changes


def correct(step: Step) -> dict:
    _notice(step, step.comment)
    return _public_change(step)


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def postpone(step: Step) -> dict:
    """To a later time: "verschoben auf …"."""
    starts_at, ends_at = step.data.get("starts_at"), step.data.get("ends_at")
    appointment = step.subject
    if starts_at is None or starts_at <= appointment.starts_at:
        raise TransitionRefused(
            _("Postponing needs a new start later than the current one."), code="time_required"
        )
    if ends_at is not None and ends_at < starts_at:
        raise TransitionRefused(_("The end must not be before the start."), code="time_order")
    if ends_at is None and appointment.ends_at:
        ends_at = starts_at + (appointment.ends_at - appointment.starts_at)
    text = str(_("Postponed to %(when)s.") % {"when": _local(starts_at)})
    _notice(step, f"{text} {step.comment}".strip())
    return _content_change(
        step, {"starts_at": starts_at, "ends_at": ends_at, "status": Status.POSTPONED}
    )


def move(step: Step) -> dict:
    """To another place (and optionally time): "verlegt nach …"."""
    venue, address = step.data.get("venue", "").strip(), step.data.get("address", "").strip()
    if not venue and not address:
        raise TransitionRefused(_("Moving needs the new venue or address."), code="place_required")
    changes = {"venue": venue, "address": address, "room": step.data.get("room", "").strip()}
    place = ", ".join(part for part in [changes["venue"], changes["room"], address] if part)
    text = str(_("Moved to %(place)s.") % {"place": place})
    _notice(step, f"{text} {step.comment}".strip())
    return _content_change(step, changes | {"status": Status.MOVED})


def cancel(step: Step) -> dict:
    return {
        "cancelled_at": step.now,
        "cancellation_reason": step.comment,
        **_public_change(step),
    }


def _transitions(*items):
    return {t.name: t for t in items}


TRANSITIONS = _transitions(
    *review_transitions("appointments.appointment", APPROVAL_FOLLOW_UPS),
    Transition(
        "correct",
        _("Publish a correction note"),
        frozenset({State.APPROVED}),
        State.APPROVED,
        "appointments.correct_appointment",
        effect=correct,
        follow_ups=CHANGE_FOLLOW_UPS,
        comment_required=True,
        comment_label=_("Public change note"),
        only_when_live=True,
        offered=False,
    ),
    Transition(
        "postpone",
        _("Postpone"),
        frozenset({State.APPROVED}),
        State.APPROVED,
        "appointments.correct_appointment",
        effect=postpone,
        follow_ups=CHANGE_FOLLOW_UPS,
        comment_label=_("Public note (optional)"),
        only_when_live=True,
    ),
    Transition(
        "move",
        _("Move to another place"),
        frozenset({State.APPROVED}),
        State.APPROVED,
        "appointments.correct_appointment",
        effect=move,
        follow_ups=CHANGE_FOLLOW_UPS,
        comment_label=_("Public note (optional)"),
        only_when_live=True,
    ),
    Transition(
        "cancel",
        _("Cancel"),
        frozenset({State.APPROVED}),
        State.CANCELLED,
        "appointments.cancel_appointment",
        effect=cancel,
        follow_ups=CHANGE_FOLLOW_UPS,
        comment_required=True,
        comment_label=_("Public reason for the cancellation"),
        only_when_live=True,
        needs_confirmation=True,
    ),
)


WORKFLOW = Workflow(
    model=Appointment,
    event_model=AppointmentEvent,
    subject_field="appointment",
    transitions=TRANSITIONS,
    wording=Wording(
        version_required=_(
            "Say which version you approve: open the appointment and approve it from there."
        ),
        stale_state=_("This is no longer possible: the appointment is now “%(state)s”."),
        stale_version=_(
            "The appointment was changed after you opened it (version %(read)s, now "
            "%(current)s): read the new version before you approve it."
        ),
        four_eyes=_(
            "You edited this appointment last, so someone else must approve it "
            "(four-eyes rule). A press lead may publish it with a recorded reason."
        ),
        race=_("Someone else changed the appointment just now."),
    ),
    follow_up=lambda event_id, names: tasks.follow_up(event_id, names),
    changes_since=lambda appointment, version: changes_since(
        appointment, version, revisions.compare
    ),
)

available = WORKFLOW.available
take = WORKFLOW.take
