"""Rate limits of the subscription form, kept in Django's cache (Redis in production).

- per client: at most ALERTS_FORM_LIMIT_PER_HOUR submissions an hour (IPv6 counted per /64);
- per address: at most one mail a day asked for through the form (the database checks this
  too, see `subscriptions.py`, as a cache may be emptied or be per process).

Keys hold keyed hashes, never an address or an IP in clear (`newsroom/ratelimit.py`).
"""

from django.conf import settings
from django.core.cache import cache

# The counting is shared with the other public forms; these names stay importable from here.
from newsroom.ratelimit import (  # noqa: F401
    DAY,
    HOUR,
    allow_per_client_hour,
    cache_key,
    client_address,
    client_key,
)


def allow_form_submission(request) -> bool:
    """Count one submission from the request's client; False once over the hourly limit."""
    return allow_per_client_hour("client", request, settings.ALERTS_FORM_LIMIT_PER_HOUR)


def allow_request_mail(email: str) -> bool:
    """The first call for an address in 24 hours says yes; the rest say no."""
    return cache.add(cache_key("address", email), 1, timeout=DAY)
