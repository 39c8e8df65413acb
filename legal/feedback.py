"""Feedback on accessibility: stored first, then mailed to the portal's contact for it,
rate-limited per client like the alerts form (the counter keyed by a keyed hash of the client's
network)."""

import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from alerts.ratelimit import HOUR, cache_key, client_address, client_key

from .models import Feedback, LegalPage, PageKind

logger = logging.getLogger(__name__)


def allow_submission(request) -> bool:
    """Count one form from the request's client; False once over the hourly limit."""
    window = int(time.time() // HOUR)
    key = cache_key("feedback", f"{client_key(client_address(request))}:{window}")
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= settings.LEGAL_FEEDBACK_LIMIT_PER_HOUR


def recipients() -> list[str]:
    """The portal's accessibility contact, as the statement names it (or the operator's
    setting); without one, the portal administrators. Never an office's leads: the statement,
    its answer within the legal deadline and the page layout are the portal's, and a message
    on an office's document is forwarded by them."""
    if settings.LEGAL_FEEDBACK_EMAIL:
        return [settings.LEGAL_FEEDBACK_EMAIL]
    statement = LegalPage.objects.filter(kind=PageKind.ACCESSIBILITY).first()
    if statement and statement.contact_email:
        return [statement.contact_email]
    # Who handles feedback portal-wide (a group or their own permission, not an office role).
    handlers = get_user_model().objects.with_perm(
        "legal.change_feedback",
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return sorted(set(handlers.exclude(email="").values_list("email", flat=True)))


def receive(data: dict) -> Feedback:
    """Store the feedback, and mail it once the row is committed."""
    feedback = Feedback.objects.create(
        message=data["message"],
        page_address=data.get("page_address", ""),
        name=data.get("name", ""),
        email=data.get("email", ""),
        language=get_language() or "",
    )
    transaction.on_commit(lambda: send(feedback))
    return feedback


def send(feedback: Feedback) -> bool:
    """Mail one feedback to the portal's contact; a failure leaves it stored and unmarked."""
    to = recipients()
    if not to:
        logger.warning("Accessibility feedback %s stored; no address to mail it to.", feedback.pk)
        return False
    body = render_to_string("legal/email/feedback.txt", {"feedback": feedback})
    message = EmailMessage(
        subject=f"Rückmeldung zur Barrierefreiheit ({feedback.pk})",
        body=body,
        to=to,
        reply_to=[feedback.email] if feedback.email else None,
    )
    try:
        message.send()
    except Exception:  # the mail server; the feedback is safe in the database
        logger.exception("Accessibility feedback %s could not be mailed.", feedback.pk)
        return False
    Feedback.objects.filter(pk=feedback.pk).update(emailed_at=timezone.now())
    return True
