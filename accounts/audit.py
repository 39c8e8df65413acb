"""Writing the security trail: who, when, from which address, with which browser.

The middleware keeps the current request in a context variable, so that events raised far from
a view (a password saved, an account reactivated in the admin) still carry address and browser.
"""

from contextvars import ContextVar

from newsroom.clients import client_ip

from .models import SecurityEvent

current_request: ContextVar = ContextVar("accounts_current_request", default=None)


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""


def address(request) -> str | None:
    if request is None or not request.META.get("REMOTE_ADDR"):
        return None
    return client_ip(request)


def record(kind, *, user=None, username="", request=None, detail="", actor=None):
    """Write one event; `request` defaults to the request being served, if any."""
    if request is None:
        request = current_request.get()
    if user is not None and not username:
        username = user.get_username()
    if actor is not None and actor == user:
        actor = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip_address=address(request),
        user_agent=user_agent(request),
        detail=str(detail)[:300],
        actor=actor,
    )
