"""Who is sent what: the subscribers an alert, a digest or a notice goes to, and a day's releases.

Choices are "any of": a subscriber who chose topics A and B and issuer X is sent every release
filed under A or B, and every release of X. Choosing nothing means everything.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from releases.models import Release, ReleaseContact

from .models import NOTICES, Delivery, DeliveryStatus, Frequency, Kind, Mailing, Subscriber


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
        .prefetch_related("topics")
        .order_by("first_published_at", "pk")
    )


def with_mail_relations(releases):
    """What a mail shows of a release: its issuer and its press contacts in order."""
    return releases.select_related("issuer").prefetch_related(
        Prefetch(
            "release_contacts",
            queryset=ReleaseContact.objects.select_related("contact__organisation"),
        )
    )


def covers(subscriber: Subscriber, release: Release) -> bool:
    """Whether the subscriber's choices cover the release (topics and issuers prefetched)."""
    topic_ids = {topic.pk for topic in subscriber.topics.all()}
    issuer_ids = {issuer.pk for issuer in subscriber.issuers.all()}
    if not topic_ids and not issuer_ids:
        return True
    return release.issuer_id in issuer_ids or bool(
        topic_ids & {topic.pk for topic in release.topics.all()}
    )


def subscribers_for(mailing: Mailing) -> list[int]:
    """The primary keys of the subscribers `mailing` goes to, as of now."""
    receiving = Subscriber.objects.receiving()
    if mailing.kind == Kind.ALERT:
        queryset = receiving.filter(frequency=Frequency.IMMEDIATE).matching(mailing.release)
    elif mailing.kind == Kind.DIGEST:
        releases = releases_of_day(mailing.digest_date)
        if not releases:
            return []
        daily = receiving.filter(frequency=Frequency.DAILY).prefetch_related("topics", "issuers")
        return [
            subscriber.pk
            for subscriber in daily.order_by("pk")
            if any(covers(subscriber, release) for release in releases)
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
