"""sitemap.xml: an index of the sections the apps register from their AppConfig.ready (each
app's `sitemaps.py`), and a section of the public index pages they name, one for each language
of the pages."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

# URL names of the public index pages (home, lists, directory, library).
PAGES = []


class InLanguage:
    """A sitemap section in the site's language, or, made by `in_language`, the same section at
    the addresses of another language of the pages (/en/…)."""

    language = None

    @classmethod
    def in_language(cls, language: str) -> type:
        return type(f"{cls.__name__}_{language}", (cls,), {"language": language})

    def get_urls(self, *args, **kwargs):
        if self.language is None:
            return super().get_urls(*args, **kwargs)
        with translation.override(self.language):
            return super().get_urls(*args, **kwargs)


class PageSitemap(InLanguage, Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return PAGES

    def location(self, name):
        return reverse(name)


def other_page_languages() -> list[str]:
    """The languages of the pages besides the site's own (/en/…)."""
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


# Section name -> Sitemap class; the root URLconf hands this dict to Django's sitemap views.
SITEMAPS = {"pages": PageSitemap} | {
    f"pages-{code}": PageSitemap.in_language(code) for code in other_page_languages()
}


def register_sitemaps(*, pages=(), **sections) -> None:
    """Add `sections` (name -> Sitemap class) to sitemap.xml and the URL names `pages` to its
    section of index pages."""
    PAGES.extend(pages)
    SITEMAPS.update(sections)
