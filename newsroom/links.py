"""Links to this site: absolute ones for places without a request (e-mails, hub pings, tasks),
and the paths of the pages named by a slug, which public pages print by the dozen."""

import functools
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def absolute_url(path: str) -> str:
    """`path` on the public address (NEWSROOM_BASE_URL)."""
    return settings.NEWSROOM_BASE_URL.rstrip("/") + path


# A slug as Django's slug converter accepts it: such a slug is put into a URL as it is.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "newsroom-slug-mark"


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})`, from the path reversed once per URL name,
    language, script prefix and URLconf: a list page links some sixty topics, issuers and
    releases, and reversing each took half the time of rendering its teaser."""
    if not SLUG.fullmatch(slug or ""):
        return reverse(name, kwargs={"slug": slug})  # what reverse says of it (an error)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _slug_pattern(name, get_language(), get_script_prefix(), urlconf)
    return pattern.replace(_MARK, slug)


@functools.lru_cache(maxsize=256)
def _slug_pattern(name: str, language: str | None, prefix: str, urlconf: str) -> str:
    path = reverse(name, kwargs={"slug": _MARK})
    if path.count(_MARK) != 1:
        raise ImproperlyConfigured(f"{name} does not put its slug in the path once.")
    return path
