"""Site-wide views that belong to no app."""

from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_safe


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


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links: point them to the
    static icon. Not permanent: the static file's hashed name changes with its content."""
    response = HttpResponseRedirect(static("newsroom/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
