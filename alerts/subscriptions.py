"""Asking for, confirming and ending a subscription, with double opt-in.

Whatever the address, the form's answer is the same, so it never tells whether an address is
subscribed. An unconfirmed request may be changed by a new request (its owner sees the choices
before confirming); a confirmed subscription changes only through its secret link. Through the
form an address is sent at most one mail a day: the confirmation, or, once confirmed, the link
to its management page.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import ratelimit
from .models import Subscriber, normalise_email

logger = logging.getLogger(__name__)

# Raise when the consent text on the form changes materially; stored with each consent.
CONSENT_VERSION = "2026-11"


def request_subscription(
    *,
    email: str,
    topics,
    issuers,
    frequency: str,
    language: str,
    consent_text: str,
    wants_releases: bool = True,
    wants_appointments: bool = False,
) -> Subscriber:
    """Record (or refresh) an unconfirmed request and mail its owner, within the limits."""
    choices = {
        "frequency": frequency,
        "wants_releases": wants_releases,
        "wants_appointments": wants_appointments,
        "language": language,
        "consent_text": consent_text,
        "consent_version": CONSENT_VERSION,
    }
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email=normalise_email(email), defaults=choices
        )
        if not subscriber.is_confirmed:
            if not created:
                Subscriber.objects.filter(pk=subscriber.pk).update(**choices)
            subscriber.topics.set(topics)
            subscriber.issuers.set(issuers)
        if claim_request_mail(subscriber):
            from .tasks import send_request_mail

            transaction.on_commit(lambda: send_request_mail.enqueue(subscriber.pk))
        else:
            logger.info("Alerts: no mail to subscriber %s, mailed within the day.", subscriber.pk)
    return subscriber


def claim_request_mail(subscriber: Subscriber) -> bool:
    """Whether we may mail this address on request now (then it is recorded as mailed)."""
    if not ratelimit.allow_request_mail(subscriber.email):
        return False
    now = timezone.now()
    changes = {"request_mailed_at": now}
    if not subscriber.is_confirmed:
        # The new mail's link is valid for the whole confirmation window.
        changes["created_at"] = now
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(request_mailed_at__isnull=True) | Q(request_mailed_at__lte=now - timedelta(days=1))
        )
        .update(**changes)
    )


def confirm(subscriber: Subscriber) -> bool:
    """Record the consent (double opt-in); False if the request has expired."""
    if subscriber.is_confirmed:
        return True
    if subscriber.is_expired:
        return False
    now = timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(confirmed_at=now)
    subscriber.confirmed_at = now
    return True


def unsubscribe(subscriber: Subscriber) -> None:
    """Leave: the address and the choices are deleted; the delivery log keeps its rows, without
    anyone's address."""
    subscriber.delete()
