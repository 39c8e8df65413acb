"""sitemap.xml: live releases and public appointments with their last change, and the public
index pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from appointments.models import Appointment
from contacts.models import Organisation
from publications.models import Series
from releases.models import Correction, Release, Topic


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


class AppointmentSitemap(Sitemap):
    """Public appointments (cancelled ones keep their page); changed by any public change."""

    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return Appointment.objects.reachable().order_by("-starts_at", "-pk").only(
            "slug", "updated_at", "go_live_at"
        )

    def lastmod(self, appointment):
        # Public since its go-live second, which may be later than its last save.
        return max(filter(None, [appointment.updated_at, appointment.go_live_at]))

    def get_latest_lastmod(self):
        latest = Appointment.objects.reachable().aggregate(
            saved=Max("updated_at"), public=Max("go_live_at")
        )
        return max(filter(None, latest.values()), default=None)


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Topic.objects.public()


class IssuerSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Organisation.objects.public()


class SeriesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Series.objects.public()


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return [
            "releases:home",
            "releases:list",
            "appointments:list",
            "contacts:directory",
            "publications:library",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "releases": ReleaseSitemap,
    "appointments": AppointmentSitemap,
    "topics": TopicSitemap,
    "issuers": IssuerSitemap,
    "series": SeriesSitemap,
}
