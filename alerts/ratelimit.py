"""Rate limits of the subscription form, kept in Django's cache (Redis in production).

- per client: at most ALERTS_FORM_LIMIT_PER_HOUR submissions an hour (IPv6 counted per /64);
- per address: at most one mail a day asked for through the form (the database checks this
  too, see `subscriptions.py`, as a cache may be emptied or be per process).

Keys hold keyed hashes, never an address or an IP in clear.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

HOUR = 60 * 60
DAY = 24 * HOUR


def client_address(request) -> str:
    """The client's IP; behind ALERTS_TRUSTED_PROXIES proxies, as the nearest one saw it."""
    proxies = settings.ALERTS_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(address: str) -> str:
    """One key per IPv4 address and per IPv6 /64 (one household or server gets a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def cache_key(kind: str, value: str) -> str:
    digest = salted_hmac(f"alerts.ratelimit.{kind}", value).hexdigest()
    return f"alerts:ratelimit:{kind}:{digest}"


def allow_form_submission(request) -> bool:
    """Count one submission from the request's client; False once over the hourly limit."""
    window = int(time.time() // HOUR)
    key = cache_key("client", f"{client_key(client_address(request))}:{window}")
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= settings.ALERTS_FORM_LIMIT_PER_HOUR


def allow_request_mail(email: str) -> bool:
    """The first call for an address in 24 hours says yes; the rest say no."""
    return cache.add(cache_key("address", email), 1, timeout=DAY)
