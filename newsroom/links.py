"""Absolute links to this site, for places without a request: e-mails, hub pings, tasks."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the public address (NEWSROOM_BASE_URL)."""
    return settings.NEWSROOM_BASE_URL.rstrip("/") + path
