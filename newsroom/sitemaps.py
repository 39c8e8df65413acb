"""sitemap.xml: live releases with their last change, and the public index pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from contacts.models import Organisation
from publications.models import Series
from releases.models import Correction, Release, Topic, live_condition


class ReleaseSitemap(Sitemap):
    changefreq = "never"
    priority = 0.8
    # Sections of 5,000: a 100,000-release archive gives 20 small files behind the index.
    limit = 5000

    def items(self):
        # A correlated subquery rather than a join with GROUP BY: counting the items for the
        # sections then stays a plain, indexed COUNT.
        last_correction = (
            Correction.objects.filter(release=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        )
        return (
            Release.objects.live()
            .annotate(last_change=Coalesce(Subquery(last_correction), "first_published_at"))
            .order_by("-first_published_at", "-pk")
            .only("slug", "first_published_at")
        )

    def lastmod(self, release):
        return release.last_change

    def get_latest_lastmod(self):
        # Django's default walks every item; two aggregates give the same answer.
        live = Release.objects.live()
        latest = [
            live.aggregate(latest=Max("first_published_at"))["latest"],
            Correction.objects.filter(release__in=live).aggregate(latest=Max("created_at"))[
                "latest"
            ],
        ]
        return max((moment for moment in latest if moment), default=None)


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Topic.objects.in_use()

    def location(self, topic):
        return reverse("releases:topic", args=[topic.slug])


class IssuerSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        live_here = Release.objects.filter(live_condition(), issuer=OuterRef("pk"))
        return Organisation.objects.filter(Exists(live_here))

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
