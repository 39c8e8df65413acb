"""Press appointments ("Termine"), their audit log, revisions and public notices, and the
accreditation applications of journalists.

Public visibility is decided in one place, `AppointmentQuerySet.live()` (and `reachable()`, which
adds cancelled appointments that were public: they keep their page with the notice "abgesagt").
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Organisation
from newsroom.editing import EditedBase
from newsroom.history import EventBase, PublicNoteBase, action_choices, event_base
from newsroom.revisions import RevisionBase
from newsroom.richtext import RichTextField, strip_control_characters
from photos.models import Photo
from releases.models import Release, Topic


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


class Kind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    PRESS_BRIEFING = "press_briefing", _("Press briefing")
    SITE_VISIT = "site_visit", _("Site visit")
    INTERVIEW = "interview", _("Interview opportunity")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """What the public notice says after a change of plan (cancellations are a state)."""

    AS_PLANNED = "", _("As planned")
    POSTPONED = "postponed", _("Postponed")
    MOVED = "moved", _("Moved")


def live_condition(prefix: str = "") -> Q:
    """The one definition of public: approved, and the go-live second has come."""
    return Q(**{f"{prefix}state": State.APPROVED, f"{prefix}go_live_at__lte": timezone.now()})


def reachable_condition(prefix: str = "") -> Q:
    """Live, or cancelled after having been public (its page says "abgesagt")."""
    return live_condition(prefix) | Q(
        **{
            f"{prefix}state": State.CANCELLED,
            f"{prefix}first_published_at__lte": timezone.now(),
        }
    )


def next_go_live():
    """The next scheduled publication second of an appointment (for the page cache)."""
    return (
        Appointment.objects.using(DEFAULT_DB_ALIAS)
        .filter(state=State.APPROVED, go_live_at__gt=timezone.now())
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )


def start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


class AppointmentQuerySet(models.QuerySet):
    def live(self):
        """What the public may see: approved appointments whose go-live second has come."""
        return self.filter(live_condition())

    def reachable(self):
        """Live appointments, and cancelled ones that were public (shown as cancelled)."""
        return self.filter(reachable_condition())

    def upcoming(self):
        """Not yet over: ending (or, without an end, starting) today or later."""
        today = start_of_today()
        return self.filter(
            Q(ends_at__gte=today) | Q(ends_at__isnull=True, starts_at__gte=today)
        ).order_by("starts_at", "pk")

    def past(self):
        today = start_of_today()
        return self.filter(
            Q(ends_at__lt=today) | Q(ends_at__isnull=True, starts_at__lt=today)
        ).order_by("-starts_at", "-pk")


class Appointment(EditedBase):
    """A press appointment: a press conference, a briefing, a site visit..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("issuer"),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.PRESS_CONFERENCE
    )
    starts_at = models.DateTimeField(
        _("starts at"), db_index=True, help_text=_("Berlin time, to the minute.")
    )
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    description = RichTextField(_("description"), blank=True)
    press_notes = models.TextField(
        _("notes for the press"),
        blank=True,
        help_text=_("Photo opportunity, language, parking, security checks."),
    )
    topics = models.ManyToManyField(
        Topic, related_name="appointments", blank=True, verbose_name=_("topics")
    )
    contacts = models.ManyToManyField(
        Contact, related_name="appointments", blank=True, verbose_name=_("press contacts")
    )
    releases = models.ManyToManyField(
        Release,
        related_name="appointments",
        blank=True,
        verbose_name=_("linked releases"),
        help_text=_("The announcement and the follow-up; only live ones are shown."),
    )

    # Accreditation.
    requires_accreditation = models.BooleanField(_("requires accreditation"), default=False)
    accreditation_deadline = models.DateTimeField(
        _("accreditation deadline"), null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Further applications go on the waiting list."),
    )
    retention_days = models.PositiveIntegerField(
        _("delete applications after (days)"),
        default=30,
        help_text=_("Applicants' personal data is deleted this many days after the appointment."),
    )

    # Workflow (changed only through appointments.workflow).
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    go_live_at = models.DateTimeField(_("go live at"), null=True, blank=True, db_index=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    go_live_handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("public status"), max_length=20, choices=Status.choices, blank=True, default=""
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    # iCalendar SEQUENCE: raised by every change after publication.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("press appointment")
        verbose_name_plural = _("press appointments")
        permissions = [
            ("submit_appointment", _("Can submit an appointment for review")),
            ("approve_appointment", _("Can approve, schedule and publish an appointment")),
            ("correct_appointment", _("Can correct, postpone or move a live appointment")),
            ("cancel_appointment", _("Can cancel a live appointment")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="appointment_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=State.APPROVED) | Q(go_live_at__isnull=False),
                name="appointment_approved_has_go_live",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = strip_control_characters(self.title)
        super().save(*args, **kwargs)

    def photo_offices(self) -> set[int]:
        """The offices whose photos the appointment may show: its issuer's."""
        return {self.issuer_id}

    def get_absolute_url(self) -> str:
        return reverse("appointments:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end must not be before the start.")})
        if self.requires_accreditation and not self.accreditation_deadline:
            raise ValidationError(
                {"accreditation_deadline": _("Set a deadline for the accreditation.")}
            )

    @property
    def is_live(self) -> bool:
        return (
            self.state == State.APPROVED
            and self.go_live_at is not None
            and self.go_live_at <= timezone.now()
        )

    @property
    def was_public(self) -> bool:
        """Whether the appointment was ever approved for a second: then it is cancelled, never
        deleted."""
        return self.first_published_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.state == State.CANCELLED

    @property
    def end(self):
        """When it is over: its end, else its start (an all-day one at the end of its day)."""
        return self.ends_at or self.starts_at

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def place(self) -> str:
        return ", ".join(part for part in [self.venue, self.room, self.address] if part)

    @property
    def personal_data_deleted_on(self):
        """The day after which the applicants' personal data is deleted."""
        return self.end + timedelta(days=self.retention_days)

    @property
    def accreditation_open(self) -> bool:
        return (
            self.requires_accreditation
            and self.is_live
            and self.accreditation_deadline is not None
            and timezone.now() < self.accreditation_deadline
        )

    def places_taken(self) -> int:
        return self.accreditations.filter(
            confirmed_at__isnull=False,
            status__in=[ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED],
        ).count()

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.places_taken() >= self.capacity


class AppointmentImage(models.Model):
    """A photo of the media library shown by an appointment, in the order the office chose
    (part of the appointment's version, like a release's images)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="images")
    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, related_name="appointment_images", verbose_name=_("photo")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "photo"], name="appointment_photo_once")
        ]

    def __str__(self):
        return str(self.photo)


class Notice(PublicNoteBase):
    """A public notice on a live appointment: a correction, a postponement, a move."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="notices")
    note = models.TextField(_("notice"))

    class Meta(PublicNoteBase.Meta):
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")


# What an `AppointmentEvent` records: a save, or a transition of `appointments.workflow`.
Action = action_choices(
    own=[
        ("POSTPONE", ("postpone", _("Postponed"))),
        ("MOVE", ("move", _("Moved"))),
        ("CANCEL", ("cancel", _("Cancelled"))),
    ]
)


class AppointmentEvent(event_base(Action, State)):
    """The audit log: every save, every transition and change of plan: who, when, from, to,
    why."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")

    class Meta(EventBase.Meta):
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")


class AppointmentRevision(RevisionBase):
    """A full snapshot of a saved appointment."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="revisions"
    )

    subject_field = "appointment"

    class Meta(RevisionBase.Meta):
        verbose_name = _("appointment revision")
        verbose_name_plural = _("appointment revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "number"], name="appointment_revision_number_once"
            )
        ]



class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AccreditationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def told_of_changes(self):
        """The applicants mailed a change of plan (`tasks.tell_applicants`): confirmed and not
        declined (the waiting list too). The alerts app leaves them out of its own mail."""
        return self.confirmed().exclude(status=ApplicationStatus.DECLINED)

    def unconfirmed_expired(self, now=None):
        now = now or timezone.now()
        hours = settings.ALERTS_CONFIRMATION_HOURS
        return self.filter(confirmed_at__isnull=True, created_at__lt=now - timedelta(hours=hours))


class Accreditation(models.Model):
    """A journalist's application for accreditation; personal data, deleted after the
    appointment (`Appointment.retention_days`)."""

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="accreditations",
        verbose_name=_("appointment"),
    )
    name = models.CharField(_("name"), max_length=200)
    outlet = models.CharField(_("media outlet"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    press_card = models.CharField(_("press card number"), max_length=50, blank=True)
    team = models.TextField(
        _("camera and sound team"), blank=True, help_text=_("Names, one per line.")
    )
    consent_text = models.TextField(_("consent given"), editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_message = models.TextField(_("message to the applicant"), blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        permissions = [("decide_accreditation", _("Can accept or decline accreditations"))]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_expired(self) -> bool:
        hours = settings.ALERTS_CONFIRMATION_HOURS
        return not self.is_confirmed and self.created_at < timezone.now() - timedelta(hours=hours)
