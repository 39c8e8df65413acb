"""E-mail alerts: subscribers, the mailings sent to them, and one delivery row per mail.

A subscriber exists from the request on but is sent nothing except the confirmation mail until
`confirmed_at` is set (double opt-in). A mailing is one thing to send to many (a release's alert,
a day's digest, a correction or withdrawal notice, an appointment's announcement or change); a
delivery is that mailing for one subscriber, recorded before it is sent and marked after the mail
server accepted it, so that a batch that died half-way resumes without sending twice or skipping
anyone (see `sending.py`).
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment, AppointmentEvent
from contacts.models import Organisation
from releases.models import Release, ReleaseEvent, Topic

ADDRESS_PERMISSION = "alerts.view_subscriber_address"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(address: str) -> str:
    """One address, one subscriber: compared and stored trimmed and in lower case."""
    return address.strip().lower()


def mask_email(address: str) -> str:
    """What staff without the address permission see: "j…@s….de" for "jana@spiegel.de"."""
    local, _at, domain = address.partition("@")
    name, dot, suffix = domain.rpartition(".")
    masked_domain = f"{name[:1]}…{dot}{suffix}" if name else f"{suffix[:1]}…"
    return f"{local[:1]}…@{masked_domain}"


def confirmation_window() -> timedelta:
    return timedelta(hours=settings.ALERTS_CONFIRMATION_HOURS)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately: one e-mail per press release")
    DAILY = "daily", _("Once a day: a digest of the day's press releases")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def receiving(self):
        """Who may be sent alerts: confirmed and not paused."""
        return self.confirmed().filter(is_paused=False)

    def expired(self, now=None):
        """Requests never confirmed within the confirmation window (`manage.py purge_alerts`)."""
        now = now or timezone.now()
        return self.filter(confirmed_at__isnull=True, created_at__lte=now - confirmation_window())

    def matching(self, release: Release | Appointment):
        """Subscribers whose choices cover `release` (or an appointment): one of its topics,
        one of its issuers (a joint release has several), or everything (neither a topic nor an
        issuer chosen)."""
        topics = Subscriber.topics.through.objects.filter(subscriber=OuterRef("pk"))
        issuers = Subscriber.issuers.through.objects.filter(subscriber=OuterRef("pk"))
        return self.filter(
            (~Exists(topics) & ~Exists(issuers))
            | Exists(topics.filter(topic__in=release.topics.all()))
            | Exists(issuers.filter(organisation__in=issuer_ids(release)))
        )


def issuer_ids(item) -> list[int]:
    """The issuers of a release (the lead and the co-issuers of a joint one) or an appointment.

    Uses prefetched co-issuers."""
    co_issuers = item.co_issuers.all() if hasattr(item, "co_issuers") else []
    return [item.issuer_id, *(issuer.pk for issuer in co_issuers)]


class Subscriber(models.Model):
    """A journalist's alert subscription: one address, its choices and the proof of consent.

    Unsubscribing deletes the row; the deliveries sent to it stay, without the address.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="alert_subscribers", verbose_name=_("topics")
    )
    issuers = models.ManyToManyField(
        Organisation, blank=True, related_name="alert_subscribers", verbose_name=_("issuers")
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    # What to be told of: new press releases, press appointments (new, changed, cancelled).
    wants_releases = models.BooleanField(_("press releases"), default=True)
    wants_appointments = models.BooleanField(_("press appointments"), default=False)
    is_paused = models.BooleanField(_("paused"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The secret in every link of every mail (confirm, manage, unsubscribe). Never shown in the
    # admin; 256 random bits.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    # When someone last made us mail this address through the form (confirmation or the link to
    # the management page): at most once a day, whatever the cache says.
    request_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [("view_subscriber_address", _("Can see subscribers' e-mail addresses"))]

    def __str__(self):
        # Shown in admin history, delete confirmations and the delivery log: never the address.
        return mask_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_receiving(self) -> bool:
        return self.is_confirmed and not self.is_paused

    @property
    def is_expired(self) -> bool:
        return not self.is_confirmed and self.created_at <= timezone.now() - confirmation_window()


class Kind(models.TextChoices):
    ALERT = "alert", _("Alert")
    DIGEST = "digest", _("Daily digest")
    CORRECTION = "correction", _("Correction notice")
    WITHDRAWAL = "withdrawal", _("Withdrawal notice")
    APPOINTMENT = "appointment", _("Appointment alert")
    APPOINTMENT_CHANGE = "appointment_change", _("Appointment change notice")


NOTICES = [Kind.CORRECTION, Kind.WITHDRAWAL]
# Mailings about one appointment: its announcement, and each public change of it.
APPOINTMENT_KINDS = [Kind.APPOINTMENT, Kind.APPOINTMENT_CHANGE]


class Mailing(models.Model):
    """One thing sent to many: a release's alert, a day's digest, a correction or withdrawal
    notice. There is at most one of each, so a second trigger adds nothing."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    release = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alert_mailings",
        verbose_name=_("press release"),
    )
    event = models.ForeignKey(
        ReleaseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workflow event"),
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alert_mailings",
        verbose_name=_("press appointment"),
    )
    appointment_event = models.ForeignKey(
        AppointmentEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointment event"),
    )
    digest_date = models.DateField(_("digest of"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set once a delivery row exists for every recipient; until then the list is (re)built.
    listed_at = models.DateTimeField(_("recipients listed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        constraints = [
            models.UniqueConstraint(
                fields=["release"], condition=Q(kind=Kind.ALERT), name="alerts_one_alert_a_release"
            ),
            models.UniqueConstraint(
                fields=["digest_date"],
                condition=Q(kind=Kind.DIGEST),
                name="alerts_one_digest_a_day",
            ),
            models.UniqueConstraint(
                fields=["event"], condition=Q(kind__in=NOTICES), name="alerts_one_notice_an_event"
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(kind=Kind.APPOINTMENT),
                name="alerts_one_alert_an_appointment",
            ),
            models.UniqueConstraint(
                fields=["appointment_event"],
                condition=Q(kind=Kind.APPOINTMENT_CHANGE),
                name="alerts_one_notice_an_appointment_event",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.ALERT, release__isnull=False)
                    | Q(kind=Kind.DIGEST, digest_date__isnull=False)
                    | Q(kind__in=NOTICES, release__isnull=False, event__isnull=False)
                    | Q(kind=Kind.APPOINTMENT, appointment__isnull=False)
                    | Q(
                        kind=Kind.APPOINTMENT_CHANGE,
                        appointment__isnull=False,
                        appointment_event__isnull=False,
                    )
                ),
                name="alerts_mailing_has_its_subject",
            ),
        ]

    def __str__(self):
        if self.kind == Kind.DIGEST:
            return f"{self.get_kind_display()} {self.digest_date:%d.%m.%Y}"
        return f"{self.get_kind_display()}: {self.release or self.appointment}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One mailing to one subscriber: claimed before it is sent, marked sent after the mail
    server accepted it. Unique per mailing and subscriber, so nobody is listed twice."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("mailing")
    )
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    # The mail's Message-ID, the same on every attempt: should a crash ever make us send it
    # again, receiving systems can recognise the duplicate.
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    # After a temporary refusal of the address (e.g. greylisting): not before this time.
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The kind of error and the server's code only: never the server's text, which may quote
    # the address.
    error = models.CharField(_("error"), max_length=200, blank=True)
    # What the mail carried, so that correction and withdrawal notices reach exactly those who
    # were sent a release, alone or in a digest.
    releases = models.ManyToManyField(
        Release, blank=True, related_name="+", verbose_name=_("press releases")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="alerts_one_delivery_a_subscriber"
            ),
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="alerts_delivery_queue")]

    def __str__(self):
        return f"{self.mailing} → {self.subscriber or '–'}"
