"""Send the reads of anonymous public requests to a read replica, everything else to the primary.

Configured with DATABASE_REPLICA_URL. Staff requests (with a session) and every write use the
primary, so an editor always sees what they just saved; a public page may lag the primary by the
replica's delay, which the page cache's max-age already allows for.
"""

from contextvars import ContextVar

from django.conf import settings

_public_read = ContextVar("newsroom_public_read", default=False)


class PublicReadsToReplica:
    def db_for_read(self, model, **hints):
        if _public_read.get() and settings.NEWSROOM_READ_REPLICA:
            return settings.NEWSROOM_READ_REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


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
