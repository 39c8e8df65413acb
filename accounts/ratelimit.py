"""Rate limits of the password reset form, kept in Django's cache (Redis in production).

Per client address (IPv6 counted per /64) and per e-mail address, in hourly windows. Keys hold
keyed hashes, never an address in clear.
"""

import ipaddress
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

HOUR = 60 * 60


def _client_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(kind: str, value: str, limit: int) -> bool:
    """Count one attempt for `value`; False once more than `limit` came in this hour."""
    if kind == "client":
        value = _client_key(value)
    window = int(time.time() // HOUR)
    digest = salted_hmac(f"accounts.ratelimit.{kind}", f"{value}:{window}").hexdigest()
    key = f"accounts:ratelimit:{kind}:{digest}"
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= limit
