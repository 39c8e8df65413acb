"""Site-wide views that belong to no app."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /vorschau/",
        "Disallow: /en/vorschau/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def healthz(request):
    """A few bytes, no database: for load balancers, and as the benchmark's ceiling."""
    return HttpResponse("ok\n", content_type="text/plain")
