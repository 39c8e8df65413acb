"""sitemap.xml: an index of the sections the apps register from their AppConfig.ready (each
app's `sitemaps.py`), and a section of the public index pages they name."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

# URL names of the public index pages (home, lists, directory, library).
PAGES = []


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return PAGES

    def location(self, name):
        return reverse(name)


# Section name -> Sitemap class; the root URLconf hands this dict to Django's sitemap views.
SITEMAPS = {"pages": PageSitemap}


def register_sitemaps(*, pages=(), **sections) -> None:
    """Add `sections` (name -> Sitemap class) to sitemap.xml and the URL names `pages` to its
    section of index pages."""
    PAGES.extend(pages)
    SITEMAPS.update(sections)
