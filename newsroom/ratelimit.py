"""Counting clients for rate limits, in Django's cache (Redis in production): the keys the
public forms share (alerts, accreditation, feedback).

Keys hold keyed hashes, never an address or an IP in clear.
"""

import ipaddress
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .clients import client_ip

HOUR = 60 * 60
DAY = 24 * HOUR


def client_address(request) -> str:
    """The client's IP as the configured proxies let us see it (newsroom/clients.py)."""
    return client_ip(request) or ""


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


def count_hit(key: str, timeout: int) -> int:
    """Count one hit under `key`, which lives `timeout` seconds; return the hits so far."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def allow_per_client_hour(kind: str, request, limit: int) -> bool:
    """Count one `kind` submission from the request's client; False once over `limit` an hour."""
    window = int(time.time() // HOUR)
    key = cache_key(kind, f"{client_key(client_address(request))}:{window}")
    return count_hit(key, HOUR) <= limit
