"""The sitemap section of public issuers."""

from django.contrib.sitemaps import Sitemap

from .models import Organisation


class IssuerSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Organisation.objects.public()
