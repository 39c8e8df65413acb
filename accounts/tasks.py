"""The daily retirement of unused accounts and pruning of the security trail, as tasks for a
scheduler that runs tasks; and mails that must not slow the request that causes them."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django_tasks import task

from . import emails
from .lifecycle import prune_security_trail, retire_unused_accounts


@task()
def deactivate_unused_accounts() -> dict:
    return retire_unused_accounts()


@task()
def prune_old_security_trail() -> dict:
    return prune_security_trail()


@task()
def mail_lockout(user_id: int, until: str | None, address: str | None, agent: str) -> bool:
    """Tell the owner that their account was locked (`until` in ISO 8601, None: until an
    administrator lifts it)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    until_at = datetime.fromisoformat(until) if until else None
    emails.locked_out(user, until_at, seen=(address, agent))
    return True
