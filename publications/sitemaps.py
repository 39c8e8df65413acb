"""The sitemap section of public series."""

from django.contrib.sitemaps import Sitemap

from .models import Series


class SeriesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Series.objects.public()
