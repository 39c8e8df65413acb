"""WebSub: tell the hub in NEWSROOM_WEBSUB_HUB that feeds changed, so subscribers hear at once.

A hub that is down or slow never holds up or fails publishing: errors are logged and swallowed.
"""

import logging
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils import translation
from django_tasks import task

from newsroom.links import absolute_url

from .models import Release

logger = logging.getLogger(__name__)

HUB_TIMEOUT = 5  # seconds per request


def feed_urls(release: Release) -> list[str]:
    """Absolute URLs of every feed that shows `release`: in each language it exists in."""
    urls = []
    for language in release.languages:
        with translation.override(language):
            urls += [absolute_url(link.url) for link in release.feed_links()]
    return urls


def notify_hub(hub: str, feed_url: str) -> bool:
    """POST `hub.mode=publish` for one feed; return whether the hub accepted it."""
    data = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    request = Request(  # noqa: S310 - the hub is checked to be an http(s) URL before this
        hub,
        data=data,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urlopen(request, timeout=HUB_TIMEOUT) as response:  # noqa: S310 - as above
            return 200 <= response.status < 300
    except HTTPError as error:
        logger.warning("The WebSub hub %s refused %s: HTTP %s.", hub, feed_url, error.code)
    except (URLError, OSError, HTTPException, ValueError) as error:
        logger.warning("The WebSub hub %s could not be reached for %s: %s", hub, feed_url, error)
    return False


@task()
def ping_hub(release_id: int) -> list[str]:
    """Tell the WebSub hub that the feeds showing a release have changed.

    Enqueue it with `ping_hub.enqueue(release.pk)` when a release goes live (and, if you like,
    when one is corrected or withdrawn). It pings, in RSS and Atom, the feed of all releases, the
    feeds of the release's topics and the feed of its issuer, at absolute URLs under
    NEWSROOM_BASE_URL. It does nothing when NEWSROOM_WEBSUB_HUB is empty, or when the release
    has not been public yet (a ping before the go-live second would find nothing new). Network
    errors are logged, never raised. Returns the feed URLs that the hub accepted.
    """
    hub = settings.NEWSROOM_WEBSUB_HUB
    if not hub:
        return []
    if urlsplit(hub).scheme not in {"http", "https"}:
        logger.error("NEWSROOM_WEBSUB_HUB must be an http(s) URL, not %r.", hub)
        return []
    release = (
        Release.objects.reachable()
        .select_related("issuer")
        .prefetch_related("topics", "co_issuers")
        .filter(pk=release_id)
        .first()
    )
    if release is None:
        logger.info("Release %s is not public; no feed to ping.", release_id)
        return []
    return [url for url in feed_urls(release) if notify_hub(hub, url)]
