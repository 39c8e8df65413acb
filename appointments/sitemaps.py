"""The sitemap section of public appointments."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Appointment


class AppointmentSitemap(Sitemap):
    """Public appointments (cancelled ones keep their page); changed by any public change."""

    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            Appointment.objects.reachable()
            .order_by("-starts_at", "-pk")
            .only("slug", "updated_at", "go_live_at")
        )

    def lastmod(self, appointment):
        # Public since its go-live second, which may be later than its last save.
        return max(filter(None, [appointment.updated_at, appointment.go_live_at]))

    def get_latest_lastmod(self):
        latest = Appointment.objects.reachable().aggregate(
            saved=Max("updated_at"), public=Max("go_live_at")
        )
        return max(filter(None, latest.values()), default=None)
