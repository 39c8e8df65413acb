"""The client's IP address as seen behind the configured reverse proxies.

One answer for everything that records or counts clients: the alerts rate limit, the preview
access log and django-axes (`AXES_CLIENT_IP_CALLABLE`). `NEWSROOM_TRUSTED_PROXIES` says how many
proxies of ours stand in front of the app; with none, X-Forwarded-For is never read, as any
client may send one.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        # Each proxy appends the address it saw; the nearest proxy is REMOTE_ADDR itself, so the
        # header ends with the client followed by the other (proxies - 1) proxies. Entries
        # further left came from the client and prove nothing.
        address, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address
