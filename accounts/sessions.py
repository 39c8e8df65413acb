"""The sessions a user can see and end, and the browsers they signed in from before."""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .audit import address, user_agent
from .models import KnownDevice, UserSession

DEVICE_COOKIE = "newsroom_device"
DEVICE_COOKIE_AGE = 400 * 24 * 60 * 60  # the longest browsers keep a cookie
# How often "last used" is written: once a minute is exact enough and costs one UPDATE.
SEEN_EVERY = timedelta(minutes=1)
SEEN_SESSION_KEY = "accounts_seen"


def session_store(session_key):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def track(request, user) -> None:
    """Remember the request's session as one of the user's; refresh its last use."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    updated = UserSession.objects.filter(session_key=key, user=user).update(
        last_seen_at=now, ip_address=address(request), user_agent=user_agent(request)
    )
    if not updated:
        UserSession.objects.filter(session_key=key).delete()
        UserSession.objects.create(
            session_key=key,
            user=user,
            ip_address=address(request),
            user_agent=user_agent(request),
        )
    request.session[SEEN_SESSION_KEY] = now.timestamp()


def seen(request, user) -> None:
    """Called on every signed-in request: touch the row at most once a minute."""
    last = request.session.get(SEEN_SESSION_KEY)
    if last is None or timezone.now().timestamp() - last > SEEN_EVERY.total_seconds():
        track(request, user)


def end(user_session: UserSession) -> None:
    session_store(user_session.session_key).delete()
    user_session.delete()


def end_all(user, *, keep=None) -> int:
    """End every session of the user (but `keep`, a session key); returns how many."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(session_key=keep or ""):
        end(user_session)
        ended += 1
    return ended


def active(user):
    """The user's sessions that have not expired; forgets rows whose session is gone."""
    sessions = []
    for user_session in UserSession.objects.filter(user=user):
        if session_store(user_session.session_key).exists(user_session.session_key):
            sessions.append(user_session)
        else:
            user_session.delete()
    return sessions


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recognise_device(request, user) -> bool:
    """True if the browser signed in as this user before; otherwise remember it from now on.

    A new browser gets a random token in a cookie (set by the middleware on the response).
    """
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if token:
        known = KnownDevice.objects.filter(user=user, token_hash=_hash(token)).first()
        if known is not None:
            known.save(update_fields=["last_seen_at"])
            return True
    else:
        token = secrets.token_urlsafe(32)
        request.accounts_device_cookie = token
    KnownDevice.objects.get_or_create(
        user=user, token_hash=_hash(token), defaults={"user_agent": user_agent(request)}
    )
    return False
