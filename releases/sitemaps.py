"""The sitemap sections of live releases (with their last change) and public topics."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Correction, Release, Topic


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
        return Topic.objects.public()
