"""Retiring unused accounts: a warning a week before, then deactivation (never deletion, so the
name stays on revisions, workflow events and the security trail). The trail itself, and
django-axes' sign-in logs, are kept for NEWSROOM_SECURITY_TRAIL_DAYS."""

from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, sessions
from .audit import record
from .models import SecurityEvent

Kind = SecurityEvent.Kind
WARN_DAYS_BEFORE = 7


def last_activity(user):
    """The latest of: joined, last sign-in, reactivated by an administrator."""
    moments = [user.date_joined, user.last_login, getattr(user, "reactivated_at", None)]
    return max(moment for moment in moments if moment is not None)


def retire_unused_accounts(*, now=None, dry_run=False) -> dict:
    """Warn whoever will be deactivated within a week; deactivate whoever is past the limit."""
    now = now or timezone.now()
    max_idle = timedelta(days=settings.NEWSROOM_ACCOUNT_MAX_IDLE_DAYS)
    warn_after = max_idle - timedelta(days=WARN_DAYS_BEFORE)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            reactivated_at=Max(
                "security_events__at", filter=Q(security_events__kind=Kind.REACTIVATED)
            ),
            warned_at=Max(
                "security_events__at", filter=Q(security_events__kind=Kind.INACTIVITY_WARNING)
            ),
        )
    )
    warned, deactivated = [], []
    for user in users:
        since = last_activity(user)
        idle = now - since
        if idle >= max_idle:
            deactivated.append(user.get_username())
            if not dry_run:
                user.is_active = False
                user.save(update_fields=["is_active"])
                sessions.end_all(user)
                record(Kind.DEACTIVATED, user=user, detail=_("unused for %d days") % idle.days)
                emails.security_change(user, _("your account was deactivated: it was not used"))
        elif idle >= warn_after and (user.warned_at is None or user.warned_at < since):
            warned.append(user.get_username())
            if not dry_run:
                emails.inactivity_warning(user, timezone.localdate(since + max_idle))
                record(Kind.INACTIVITY_WARNING, user=user)
    return {"warned": warned, "deactivated": deactivated}


def prune_security_trail(*, now=None, dry_run=False) -> dict:
    """Delete the security events and django-axes' sign-in logs older than
    NEWSROOM_SECURITY_TRAIL_DAYS; returns how many of each (would) go."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NEWSROOM_SECURITY_TRAIL_DAYS)
    old = {
        "security events": SecurityEvent.objects.filter(at__lt=cutoff),
        "sign-in logs": AccessLog.objects.filter(attempt_time__lt=cutoff),
        "failed sign-in logs": AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    }
    if dry_run:
        return {name: rows.count() for name, rows in old.items()}
    return {name: rows.delete()[0] for name, rows in old.items()}
