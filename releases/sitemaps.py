"""The sitemap sections of live releases (with their last change) and public topics, and, for
each other language of the pages, of the releases with a version in it at their addresses in
that language."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from newsroom.sitemaps import InLanguage

from .models import Correction, Release, Topic


class ReleaseSitemap(InLanguage, Sitemap):
    """Live releases; in another language (`in_language`), those with a version in it."""

    changefreq = "never"
    priority = 0.8
    # Sections of 5,000: a 100,000-release archive gives 20 small files behind the index.
    limit = 5000

    def live(self):
        live = Release.objects.live()
        return live if self.language is None else live.translated_into(self.language)

    def items(self):
        # A correlated subquery rather than a join with GROUP BY: counting the items for the
        # sections then stays a plain, indexed COUNT.
        last_correction = (
            Correction.objects.filter(release=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        )
        return (
            self.live()
            .annotate(last_change=Coalesce(Subquery(last_correction), "first_published_at"))
            .order_by("-first_published_at", "-pk")
            .only("slug", "first_published_at")
        )

    def lastmod(self, release):
        return release.last_change

    def get_latest_lastmod(self):
        # Django's default walks every item. One query answers, with the section's size: the
        # index asks for that next (`paginator`), and two sections a language must fit the
        # index's query budget.
        live = self.live()
        last_correction = (
            Correction.objects.filter(release__in=live).order_by("-created_at").values("created_at")
        )
        summary = live.aggregate(
            count=Count("pk"),
            published=Max("first_published_at"),
            corrected=Max(Subquery(last_correction[:1])),
        )
        self.counted = summary["count"]
        return max(
            (summary[name] for name in ("published", "corrected") if summary[name]), default=None
        )

    @property
    def paginator(self):
        pages = super().paginator
        if getattr(self, "counted", None) is not None:
            pages.count = self.counted  # a cached_property of Paginator's
        return pages


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Topic.objects.public()
