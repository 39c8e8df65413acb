"""Who is sent what: the subscribers an alert, a digest or a notice goes to, and a day's releases
and appointments (new ones and public changes).

Choices are "any of": a subscriber who chose topics A and B and issuer X is sent every release
filed under A or B, and every release of X. Choosing nothing means everything.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from appointments.models import Appointment, AppointmentEvent
from releases.models import Release, ReleaseContact

from .models import (
    APPOINTMENT_KINDS,
    NOTICES,
    Delivery,
    DeliveryStatus,
    Frequency,
    Kind,
    Mailing,
    Subscriber,
    issuer_ids,
)

# The transitions of a live appointment that its followers are told of.
APPOINTMENT_CHANGES = ("correct", "postpone", "move", "cancel")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first second of `day` and of the next day, in the site's time zone (Berlin)."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def releases_of_day(day: date) -> list[Release]:
    """The releases first published on `day` (Berlin time) that are still live, oldest first."""
    start, end = day_bounds(day)
    return list(
        Release.objects.live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .select_related("issuer")
        .prefetch_related("topics", "co_issuers")
        .order_by("first_published_at", "pk")
    )


@dataclass
class AppointmentItem:
    """An appointment in a digest: new that day, or changed (`event`, the latest change)."""

    appointment: Appointment
    event: AppointmentEvent | None = None


def appointments_of_day(day: date) -> list[AppointmentItem]:
    """The appointments first published on `day` (Berlin time) or publicly changed that day,
    still public (cancelled ones included), each once, in the order of their start."""
    start, end = day_bounds(day)
    reachable = Appointment.objects.reachable()
    new = reachable.filter(first_published_at__gte=start, first_published_at__lt=end)
    events = (
        AppointmentEvent.objects.filter(
            action__in=APPOINTMENT_CHANGES,
            created_at__gte=start,
            created_at__lt=end,
            appointment__in=reachable,
        )
        .order_by("created_at", "pk")
        .values_list("appointment_id", "pk")
    )
    latest_event = dict(events)  # the last change of the day wins
    appointments = (
        reachable.filter(pk__in=[*new.values_list("pk", flat=True), *latest_event])
        .select_related("issuer")
        .prefetch_related("topics", "notices")
        .order_by("starts_at", "pk")
    )
    events_by_pk = AppointmentEvent.objects.in_bulk(latest_event.values())
    return [
        AppointmentItem(appointment, events_by_pk.get(latest_event.get(appointment.pk)))
        for appointment in appointments
    ]


def with_mail_relations(releases):
    """What a mail shows of a release: its issuer and its press contacts in order."""
    return releases.select_related("issuer").prefetch_related(
        Prefetch(
            "release_contacts",
            queryset=ReleaseContact.objects.select_related("contact__organisation"),
        )
    )


def covers(subscriber: Subscriber, release: Release | Appointment) -> bool:
    """Whether the subscriber's choices cover the release or appointment (topics and issuers
    prefetched)."""
    topic_ids = {topic.pk for topic in subscriber.topics.all()}
    chosen_issuers = {issuer.pk for issuer in subscriber.issuers.all()}
    if not topic_ids and not chosen_issuers:
        return True
    return bool(chosen_issuers & set(issuer_ids(release))) or bool(
        topic_ids & {topic.pk for topic in release.topics.all()}
    )


def digest_covers(subscriber: Subscriber, releases, appointment_items) -> tuple[list, list]:
    """What of a day's releases and appointment items the subscriber is to be sent."""
    chosen_releases = [r for r in releases if covers(subscriber, r)]
    chosen_items = [i for i in appointment_items if covers(subscriber, i.appointment)]
    return (
        chosen_releases if subscriber.wants_releases else [],
        chosen_items if subscriber.wants_appointments else [],
    )


def subscribers_for(mailing: Mailing) -> list[int]:
    """The primary keys of the subscribers `mailing` goes to, as of now."""
    receiving = Subscriber.objects.receiving()
    immediate = receiving.filter(frequency=Frequency.IMMEDIATE)
    if mailing.kind == Kind.ALERT:
        queryset = immediate.filter(wants_releases=True).matching(mailing.release)
    elif mailing.kind in APPOINTMENT_KINDS:
        # Everyone who follows it now: its announcement and every public change of it.
        queryset = immediate.filter(wants_appointments=True).matching(mailing.appointment)
        if mailing.kind == Kind.APPOINTMENT_CHANGE:
            # An applicant is told of the change as one (appointments.tasks.tell_applicants),
            # in words about their application: one mail per person, not two.
            applicants = mailing.appointment.accreditations.told_of_changes()
            told = applicants.annotate(address=Lower("email")).values("address")
            queryset = queryset.alias(address=Lower("email")).exclude(address__in=told)
    elif mailing.kind == Kind.DIGEST:
        releases = releases_of_day(mailing.digest_date)
        items = appointments_of_day(mailing.digest_date)
        if not releases and not items:
            return []
        daily = receiving.filter(frequency=Frequency.DAILY).prefetch_related("topics", "issuers")
        return [
            subscriber.pk
            for subscriber in daily.order_by("pk")
            if any(digest_covers(subscriber, releases, items))
        ]
    elif mailing.kind in NOTICES:
        # Exactly those who were sent the release, alone or in a digest.
        was_sent = Delivery.objects.filter(
            subscriber=OuterRef("pk"),
            status=DeliveryStatus.SENT,
            releases=mailing.release_id,
            mailing__kind__in=[Kind.ALERT, Kind.DIGEST],
        )
        queryset = receiving.filter(Exists(was_sent))
    else:  # pragma: no cover - the kinds are a closed set
        raise ValueError(mailing.kind)
    return list(queryset.order_by("pk").values_list("pk", flat=True))
