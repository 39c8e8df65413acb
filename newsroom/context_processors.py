"""Template context shared by every public page."""

from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from .site import current as current_site
from .translations import source_lang_attribute


def site(request):
    # The portal's name, logo and footer links, from the cache (newsroom/site.py).
    portal = current_site()
    return {
        "site_name": portal.name,
        "portal": portal,
        "language_links": language_links(request),
        # ` lang="de"` for text that exists only in German, on a page in another language.
        "source_lang": source_lang_attribute(),
    }


def language_links(request) -> list[dict]:
    """This page in every language, for the switcher and for hreflang alternates."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translated(path, current, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@lru_cache(maxsize=1024)
def translated(path: str, current: str, code: str) -> str:
    """`path` (read in the language `current`) in the language `code`: resolving and reversing
    it costs a page more than the rest of its frame, and the answer only changes with the code."""
    return translate_url(path, code)
