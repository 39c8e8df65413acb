"""sitemap.xml: live releases with their last change, and the public index pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse

from contacts.models import Organisation
from publications.models import Series
from releases.models import Release, Topic


class ReleaseSitemap(Sitemap):
    changefreq = "never"
    priority = 0.8

    def items(self):
        return (
            Release.objects.live()
            .annotate(last_change=Coalesce(Max("corrections__created_at"), "first_published_at"))
            .order_by("-first_published_at", "-pk")
            .only("slug", "first_published_at")
        )

    def lastmod(self, release):
        return release.last_change


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Topic.objects.filter(releases__in=Release.objects.live()).distinct()

    def location(self, topic):
        return reverse("releases:topic", args=[topic.slug])


class IssuerSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Organisation.objects.filter(releases__in=Release.objects.live()).distinct()

    def location(self, issuer):
        return reverse("releases:issuer", args=[issuer.slug])


class SeriesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Series.objects.all()

    def location(self, series):
        return reverse("publications:series", args=[series.slug])


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return ["releases:home", "releases:list", "contacts:directory", "publications:library"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "releases": ReleaseSitemap,
    "topics": TopicSitemap,
    "issuers": IssuerSitemap,
    "series": SeriesSitemap,
}
