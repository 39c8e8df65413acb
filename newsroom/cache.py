"""The cache of anonymous public pages and feeds, and its invalidation.

Every cached page is stored under the current *content generation*. Anything that changes what
the public sees (a publication, a correction, a withdrawal, an edit) starts a new generation, so
the next visitor gets a fresh page. Pages are kept no longer than until the next scheduled
go-live second: the first request after it starts a new generation too, so an embargoed release
appears at its second without any job running.

Requests that carry a session cookie (staff) are neither served from nor stored in the cache,
and only views that opt in with `@public_cache` are cached (never previews or forms with a
CSRF token).
"""

import hashlib
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

GENERATION_KEY = "newsroom:generation"
NEXT_GO_LIVE_KEY = "newsroom:next-go-live"


def cache():
    return caches[settings.NEWSROOM_PAGE_CACHE]


def _new_generation() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S%f")


def content_changed() -> None:
    """Start a new generation now, and again when the current transaction commits.

    The second time matters: between the first and the commit, another request may still read
    the old rows and cache them under the new generation.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    cache().delete_many([GENERATION_KEY, NEXT_GO_LIVE_KEY])


def _next_go_live() -> datetime | None:
    from releases.models import Release, State

    return (
        Release.objects.filter(state=State.APPROVED, go_live_at__gt=timezone.now())
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )


def current_generation() -> tuple[str, datetime | None]:
    """The generation to read and write pages under, and the next go-live it must not outlive."""
    store = cache()
    values = store.get_many([GENERATION_KEY, NEXT_GO_LIVE_KEY])
    generation, next_go_live = values.get(GENERATION_KEY), values.get(NEXT_GO_LIVE_KEY, "")
    now = timezone.now()
    if generation is None or (next_go_live and next_go_live <= now):
        generation, next_go_live = _new_generation(), _next_go_live()
        # "" stands for "nothing scheduled", so that None can mean "not cached".
        store.set_many({GENERATION_KEY: generation, NEXT_GO_LIVE_KEY: next_go_live or ""}, None)
    return generation, next_go_live or None


def page_key(request, generation: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    host = request.get_host()
    return f"newsroom:page:{generation}:{host}:{language}:{request.method}:{path}"


def is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def in_one_piece(response):
    """Join a response written in many small pieces (feeds are) into one.

    A WSGI server sends each piece on its own: thousands of small writes per feed.
    """
    if not response.streaming and len(response._container) > 1:
        response.content = b"".join(response._container)
    return response


def public_cache(view):
    """Serve anonymous GET and HEAD requests of `view` from the page cache."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not settings.NEWSROOM_CACHE_PAGES:
            return in_one_piece(view(request, *args, **kwargs))
        if request.method not in {"GET", "HEAD"} or not is_anonymous(request):
            response = view(request, *args, **kwargs)
            if request.method in {"GET", "HEAD"}:
                patch_cache_control(response, private=True)
            return response
        generation, next_go_live = current_generation()
        key = page_key(request, generation)
        response = cache().get(key)
        if response is None:
            response = in_one_piece(view(request, *args, **kwargs))
            if response.status_code == 200 and not response.streaming and not response.cookies:
                timeout = settings.NEWSROOM_PAGE_CACHE_SECONDS
                if next_go_live is not None:
                    until = (next_go_live - timezone.now()).total_seconds()
                    timeout = max(1, min(timeout, int(until) + 1))
                patch_cache_control(response, public=True, max_age=settings.NEWSROOM_MAX_AGE)
                patch_vary_headers(response, ["Cookie"])
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                # Hashed once here rather than by ConditionalGetMiddleware on every hit.
                if not response.has_header("ETag"):
                    set_response_etag(response)
                cache().set(key, response, timeout)
        return response

    return cached_view
