"""Template context shared by every public page."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def site(request):
    return {"site_name": settings.NEWSROOM_SITE_NAME, "language_links": language_links(request)}


def language_links(request) -> list[dict]:
    """This page in every language, for the switcher and for hreflang alternates."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
