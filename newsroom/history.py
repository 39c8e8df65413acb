"""The audit log of everything published with the editorial workflow (releases, appointments),
and the one history the admin shows of it: saves with their diff, transitions with who, when and
why, in the order they happened.

Each app's event model subclasses `event_base(its actions, its states)` and adds the foreign key
to its subject (related name "events").
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .revisions import FieldChange

# The event actions that write content (and so have a revision and a diff).
EDITS = frozenset({"create", "save", "restore"})

# The actions every event log records, as (name, (value, label)).
EDIT_ACTIONS = [
    ("CREATE", ("create", gettext_lazy("Created"))),
    ("SAVE", ("save", gettext_lazy("Saved"))),
    ("RESTORE", ("restore", gettext_lazy("Version restored"))),
]
SUBMIT_ACTION = ("SUBMIT", ("submit", gettext_lazy("Submitted for review")))
# The transitions of `newsroom.workflow.review_transitions` after "submit", and "correct".
REVIEW_ACTIONS = [
    ("REQUEST_CHANGES", ("request_changes", gettext_lazy("Changes requested"))),
    ("APPROVE", ("approve", gettext_lazy("Approved and scheduled"))),
    ("PUBLISH_NOW", ("publish_now", gettext_lazy("Published"))),
    ("FORCE_PUBLISH", ("force_publish", gettext_lazy("Published despite the four-eyes rule"))),
    ("UNSCHEDULE", ("unschedule", gettext_lazy("Scheduled publication stopped"))),
    ("VOID_APPROVAL", ("void_approval", gettext_lazy("Approval voided by a change"))),
    ("CORRECT", ("correct", gettext_lazy("Correction published"))),
]


def action_choices(*, after_submit=(), own=()) -> type[models.TextChoices]:
    """An app's `Action` choices, in table order: saves, "submit", the app's actions that
    follow it (`after_submit`), the shared review transitions, then the app's `own`."""
    return models.TextChoices(
        "Action", [*EDIT_ACTIONS, SUBMIT_ACTION, *after_submit, *REVIEW_ACTIONS, *own]
    )


class EventBase(models.Model):
    """One save or transition: who, when, from which state to which, with what comment.

    An app's event model subclasses `event_base(its Action, its State)` and adds the foreign key
    to its subject (related name "events")."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    comment = models.TextField(gettext_lazy("comment"), blank=True)
    forced = models.BooleanField(gettext_lazy("four-eyes rule overridden"), default=False)
    # Whether alert subscribers are told of the change (corrections, withdrawals).
    notify_subscribers = models.BooleanField(gettext_lazy("subscribers notified"), default=False)
    go_live_at = models.DateTimeField(gettext_lazy("go live at"), null=True, blank=True)
    # The version the event concerns: for approvals, the version the lead read and approved.
    version = models.PositiveIntegerField(gettext_lazy("version"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        states = f"{self.get_from_state_display()} → {self.get_to_state_display()}"
        return f"{self.get_action_display()}: {states}"


def event_base(actions: type[models.TextChoices], states: type[models.TextChoices]):
    """The abstract event model of an app: `EventBase` with its choices of action and state."""

    class Event(EventBase):
        action = models.CharField(gettext_lazy("action"), max_length=30, choices=actions.choices)
        from_state = models.CharField(gettext_lazy("from"), max_length=20, choices=states.choices)
        to_state = models.CharField(gettext_lazy("to"), max_length=20, choices=states.choices)

        class Meta(EventBase.Meta):
            abstract = True

    return Event


class PublicNoteBase(models.Model):
    """A public note on a live subject: what changed, shown on its page and in its feeds.
    Subclasses add the subject's foreign key and `note`."""

    created_at = models.DateTimeField(gettext_lazy("date"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.note[:80]


@dataclass
class Entry:
    when: datetime
    actor: object
    what: str
    details: list[str]
    comment: str = ""
    changes: list[FieldChange] | None = None
    warning: bool = False


def when(value: datetime) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT")


def entries(
    subject,
    compare: Callable[[dict, dict], list],
    *,
    with_diff: Iterable[str] = EDITS,
    warnings: Iterable[str] = ("void_approval",),
    more: Iterable[Entry] = (),
) -> list[Entry]:
    """Every event of `subject`, and `more` entries of the app's own, oldest first.

    Events whose action is in `with_diff` show what changed against the version before;
    those in `warnings` (and forced ones) are marked.
    """
    with_diff, warnings = set(with_diff), set(warnings)
    snapshots = dict(subject.revisions.values_list("number", "snapshot"))
    found = []
    for event in subject.events.select_related("actor").order_by("created_at", "pk"):
        details = []
        if event.from_state != event.to_state:
            details.append(f"{event.get_from_state_display()} → {event.get_to_state_display()}")
        if event.version:
            details.append(_("version %(number)s") % {"number": event.version})
        if event.go_live_at:
            details.append(_("public from %(when)s") % {"when": when(event.go_live_at)})
        if event.notify_subscribers:
            details.append(_("alert subscribers notified"))
        if event.forced:
            details.append(_("four-eyes rule overridden"))
        changes = None
        if event.action in with_diff and event.version:
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
                warning=event.forced or event.action in warnings,
            )
        )
    found.extend(more)
    # A stable sort: events of the same second keep the order in which they were written.
    return sorted(found, key=lambda entry: entry.when)
