"""Purges sent to the edge cache (Varnish with the xkey module, see edge/newsroom.vcl).

Pages carry the keys of what they show in an `xkey` header (newsroom/cache.py); a public change
sends `PURGE` with `xkey-purge: <keys>` to every address in NEWSROOM_EDGE_PURGE_URLS, from a task
run after the change committed, so that Varnish never fetches the old rows again.
"""

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


def purge_on_commit(keys: Iterable[str]) -> None:
    """Purge `keys` at every edge cache once the current transaction has committed."""
    if not settings.NEWSROOM_EDGE_PURGE_URLS:
        return
    keys = sorted(keys)
    transaction.on_commit(lambda: purge_edge.enqueue(keys))


@task()
def purge_edge(keys: list[str]) -> int:
    """Send one purge by key to each edge cache; returns how many answered it."""
    answered = 0
    for url in settings.NEWSROOM_EDGE_PURGE_URLS:
        request = urllib.request.Request(  # noqa: S310 - an address from the settings
            url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        try:
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                answered += 1
        except (OSError, urllib.error.HTTPError) as failure:
            # The edge keeps the page until its TTL (never past the next go-live second).
            logger.warning("Edge purge of %s at %s failed: %s", keys, url, failure)
    return answered
