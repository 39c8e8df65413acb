"""Rate limits of the password reset form, kept in Django's cache (Redis in production).

Per client address (IPv6 counted per /64) and per e-mail address, in hourly windows. Keys hold
keyed hashes, never an address in clear.
"""

import time

from django.utils.crypto import salted_hmac

from newsroom.ratelimit import HOUR, client_key, count_hit


def hit(kind: str, value: str, limit: int) -> bool:
    """Count one attempt for `value`; False once more than `limit` came in this hour."""
    if kind == "client":
        value = client_key(value)
    window = int(time.time() // HOUR)
    digest = salted_hmac(f"accounts.ratelimit.{kind}", f"{value}:{window}").hexdigest()
    return count_hit(f"accounts:ratelimit:{kind}:{digest}", HOUR) <= limit
