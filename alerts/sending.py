"""Sending a mailing: list its recipients once, then send in batches, one claim per delivery.

1. `list_recipients` records one pending delivery per recipient (unique per mailing and
   subscriber, inserted with "ignore conflicts", so repeating it after a crash adds nobody twice).
2. `send_batch` claims up to ALERTS_BATCH_SIZE pending deliveries with a conditional update under
   a fresh claim id (on PostgreSQL the rows are picked with SKIP LOCKED, so parallel workers take
   different ones), sends them through one SMTP connection and marks each one sent as soon as
   the server accepted it.
3. When a send fails, the batch stops: that delivery counts a failed attempt, and every claimed
   delivery not yet sent goes back to pending. The next batch, or `manage.py send_alerts`, sends
   only what is not marked sent.

A worker killed between the server's acceptance and the mark leaves one delivery "being sent";
after ALERTS_CLAIM_MINUTES it is claimable again and sent once more with the same Message-ID, so
that receiving systems can drop the duplicate. SMTP offers nothing better than that.
"""

import logging
import math
import smtplib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appointments.models import Appointment
from releases.models import Release

from . import emails
from .models import APPOINTMENT_KINDS, NOTICES, Delivery, DeliveryStatus, Kind, Mailing, Subscriber
from .recipients import (
    appointments_of_day,
    digest_covers,
    releases_of_day,
    subscribers_for,
    with_mail_relations,
)

logger = logging.getLogger(__name__)

UNSETTLED = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]
# After a temporary refusal of an address, wait this long times the attempts so far.
RETRY_DELAY = timedelta(minutes=10)


def yesterday() -> date:
    """The last complete day in the site's time zone: the default digest."""
    return timezone.localdate() - timedelta(days=1)


def claimable(now=None) -> Q:
    """Pending deliveries (unless waiting to retry), and those whose claim is older than the
    lease (a worker died while sending them)."""
    now = now or timezone.now()
    lease = timedelta(minutes=settings.ALERTS_CLAIM_MINUTES)
    waiting = Q(status=DeliveryStatus.PENDING) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - lease)
    return waiting | abandoned


def list_recipients(mailing: Mailing) -> int:
    """Record a pending delivery for each recipient, once; returns how many were listed now."""
    if mailing.listed_at is not None:
        return 0
    subscriber_ids = subscribers_for(mailing)
    Delivery.objects.bulk_create(
        [Delivery(mailing=mailing, subscriber_id=pk) for pk in subscriber_ids],
        ignore_conflicts=True,
        batch_size=500,
    )
    now = timezone.now()
    Mailing.objects.filter(pk=mailing.pk, listed_at__isnull=True).update(listed_at=now)
    mailing.listed_at = now
    logger.info("%s: %d recipient(s) listed.", mailing, len(subscriber_ids))
    return len(subscriber_ids)


def batches_due(mailing: Mailing) -> int:
    waiting = mailing.deliveries.filter(claimable()).count()
    return math.ceil(waiting / settings.ALERTS_BATCH_SIZE)


def finish_if_done(mailing: Mailing) -> bool:
    if mailing.listed_at is None or mailing.deliveries.filter(status__in=UNSETTLED).exists():
        return False
    Mailing.objects.filter(pk=mailing.pk, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    return True


class MessageBuilder:
    """What a mailing sends, loaded once per batch; `message_for` builds one subscriber's mail."""

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        if mailing.kind == Kind.DIGEST:
            self.releases = releases_of_day(mailing.digest_date)
            self.appointment_items = appointments_of_day(mailing.digest_date)
        elif mailing.kind in APPOINTMENT_KINDS:
            self.appointment = (
                Appointment.objects.select_related("issuer")
                .prefetch_related("notices", "contacts__organisation")
                .get(pk=mailing.appointment_id)
            )
        else:
            self.release = with_mail_relations(Release.objects.filter(pk=mailing.release_id)).get()

    def message_for(self, subscriber: Subscriber, delivery: Delivery):
        """(message, releases it carries), or None when there is nothing left to send."""
        kind = self.mailing.kind
        if kind == Kind.ALERT:
            if not self.release.is_live:  # withdrawn before its alert went out
                return None
            return emails.alert_message(self.release, subscriber, delivery), [self.release]
        if kind == Kind.DIGEST:
            chosen, items = digest_covers(subscriber, self.releases, self.appointment_items)
            if not chosen and not items:  # the subscriber changed their choices since
                return None
            message = emails.digest_message(
                self.mailing.digest_date, chosen, subscriber, delivery, items
            )
            return message, chosen
        if kind == Kind.APPOINTMENT:
            if not self.appointment.is_live:  # taken back or cancelled before its alert
                return None
            return emails.appointment_message(self.appointment, None, subscriber, delivery), []
        if kind == Kind.APPOINTMENT_CHANGE:
            message = emails.appointment_message(
                self.appointment, self.mailing.appointment_event, subscriber, delivery
            )
            return message, []
        if kind in NOTICES:
            message = emails.notice_message(
                kind, self.mailing.event, self.release, subscriber, delivery
            )
            return message, [self.release]
        raise ValueError(kind)  # pragma: no cover


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.skipped


def describe(error: Exception, code: int | None = None) -> str:
    """The kind of error and the SMTP code, never the server's text (it may quote the address)."""
    code = code or getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def claim_batch(mailing: Mailing, claim: uuid.UUID, size: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        candidates = list(
            mailing.deliveries.filter(claimable(now))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        # The condition is checked again by the update itself: of two workers that picked the
        # same rows (SQLite has no row locks), only one takes each.
        Delivery.objects.filter(claimable(now), pk__in=candidates).update(
            status=DeliveryStatus.SENDING, claim=claim, claimed_at=now
        )
    return list(
        Delivery.objects.filter(claim=claim, status=DeliveryStatus.SENDING)
        .select_related("subscriber")
        .prefetch_related("subscriber__topics", "subscriber__issuers")
        .order_by("pk")
    )


def settle(delivery: Delivery, status: str, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, claim=None, claimed_at=None, **fields
    )


def record_failed_attempt(delivery: Delivery, error: Exception, retry_after=None) -> bool:
    """Count a failed attempt; after ALERTS_MAX_ATTEMPTS the delivery fails for good."""
    attempts = delivery.attempts + 1
    gave_up = attempts >= settings.ALERTS_MAX_ATTEMPTS
    settle(
        delivery,
        DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
        attempts=attempts,
        error=describe(error),
        retry_at=None if gave_up or retry_after is None else timezone.now() + retry_after,
    )
    return gave_up


def deliver(delivery: Delivery, builder: MessageBuilder, connection, result: BatchResult) -> None:
    """Send one claimed delivery and record the outcome; raise if the server is in trouble."""
    subscriber = delivery.subscriber
    if subscriber is None or not subscriber.is_receiving:  # unsubscribed or paused since
        settle(delivery, DeliveryStatus.SKIPPED)
        result.skipped += 1
        return
    try:
        built = builder.message_for(subscriber, delivery)
        if built is None:  # nothing left to send
            settle(delivery, DeliveryStatus.SKIPPED)
            result.skipped += 1
            return
        message, releases = built
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as refused:
        # This address only, so the batch goes on: a permanent refusal (5xx) fails it, a
        # temporary one (4xx, e.g. greylisting) is tried again later.
        codes = [code for code, _text in refused.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            error = describe(refused, codes[0])
            settle(delivery, DeliveryStatus.FAILED, attempts=delivery.attempts + 1, error=error)
            result.failed += 1
        elif record_failed_attempt(
            delivery, refused, retry_after=RETRY_DELAY * (delivery.attempts + 1)
        ):
            result.failed += 1
        return
    except Exception as error:
        # The server, the connection (or the mail itself) failed: stop the batch. This delivery
        # is tried again on the next run; the rest of the batch goes back to the queue untouched.
        record_failed_attempt(delivery, error)
        raise
    with transaction.atomic():
        settle(delivery, DeliveryStatus.SENT, sent_at=timezone.now(), error="", retry_at=None)
        delivery.releases.set(releases)
    result.sent += 1


def send_batch(mailing: Mailing, size: int | None = None) -> BatchResult:
    """Claim and send up to `size` deliveries of `mailing`; see the module docstring."""
    result = BatchResult()
    if not mailing.deliveries.filter(claimable()).exists():
        finish_if_done(mailing)
        return result
    claim = uuid.uuid4()
    # Connect before claiming: if the server is down, nothing is claimed and nothing counts.
    with get_connection(fail_silently=False) as connection:
        batch = claim_batch(mailing, claim, size or settings.ALERTS_BATCH_SIZE)
        try:
            if batch:
                builder = MessageBuilder(mailing)
                for delivery in batch:
                    deliver(delivery, builder, connection, result)
        finally:
            # Whatever this batch claimed and did not get to goes back to the queue.
            Delivery.objects.filter(claim=claim, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.PENDING, claim=None, claimed_at=None
            )
            if result.handled:
                logger.info(
                    "%s: %d sent, %d failed, %d skipped.",
                    mailing,
                    result.sent,
                    result.failed,
                    result.skipped,
                )
    finish_if_done(mailing)
    return result


def send_all(mailing: Mailing) -> BatchResult:
    """List the recipients if need be and send batch after batch until none is left (or the
    server fails, which raises). For commands; the tasks spread batches over workers."""
    list_recipients(mailing)
    total = BatchResult()
    while True:
        result = send_batch(mailing)
        total.sent += result.sent
        total.failed += result.failed
        total.skipped += result.skipped
        if not result.handled:
            return total


def digest_mailing(day: date) -> Mailing:
    mailing, _created = Mailing.objects.get_or_create(kind=Kind.DIGEST, digest_date=day)
    return mailing
