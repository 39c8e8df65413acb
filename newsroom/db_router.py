"""Send the reads of anonymous public requests to a read replica, everything else to the primary.

Configured with DATABASE_REPLICA_URL. Staff requests (with a session) and every write use the
primary, so an editor always sees what they just saved. A public page may lag the primary by the
replica's delay, but is never *stored* in the page cache from a replica that has not yet replayed
the latest public change: `newsroom/cache.py` asks `replica_behind()` first and then builds the
page from the primary (`reads_from_primary()`).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_public_read = ContextVar("newsroom_public_read", default=False)


def replica_in_use() -> str | None:
    """The replica alias the current request reads from, if any."""
    return settings.NEWSROOM_READ_REPLICA if _public_read.get() else None


@contextmanager
def reads_from_primary():
    token = _public_read.set(False)
    try:
        yield
    finally:
        _public_read.reset(token)


def replica_behind(sequence: int) -> bool:
    """Has the current request's replica not yet replayed public change number `sequence`?"""
    from .models import PublicChange

    alias = replica_in_use()
    if alias is None:
        return False
    replayed = PublicChange.objects.using(alias).values_list("sequence", flat=True).first()
    return (replayed or 0) < sequence


def primary_sequence() -> int:
    """The number of the latest public change the primary has committed (0 without a replica)."""
    from .models import PublicChange

    if not settings.NEWSROOM_READ_REPLICA:
        return 0
    latest = PublicChange.objects.using(DEFAULT_DB_ALIAS).values_list("sequence", flat=True)
    return latest.first() or 0


def count_public_change() -> None:
    """Raise the counter inside the current transaction, so replicas replay both together.

    Only where a replica is configured: without one nobody reads the counter.
    """
    from django.db.models import F

    from .models import PublicChange

    if not settings.NEWSROOM_READ_REPLICA:
        return
    changes = PublicChange.objects.using(DEFAULT_DB_ALIAS)
    if changes.filter(pk=1).update(sequence=F("sequence") + 1):
        return
    # The first change ever (or after a flush); someone else may be creating the row too.
    _, created = changes.get_or_create(pk=1, defaults={"sequence": 1})
    if not created:
        changes.filter(pk=1).update(sequence=F("sequence") + 1)


class PublicReadsToReplica:
    def db_for_read(self, model, **hints):
        return replica_in_use()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        # A replica copies the primary's schema; only the primary is migrated.
        return db != settings.NEWSROOM_READ_REPLICA


class PublicReadsMiddleware:
    """Marks anonymous GET and HEAD requests, whose reads the router may send to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in {"GET", "HEAD"} and (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
