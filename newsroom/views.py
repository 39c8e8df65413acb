"""Site-wide views that belong to no app."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
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


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (Django's `shortcut`), only for an object the user may
    see in the admin: the address of another office's draft names it (its slug)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404("No such kind of content.")
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, ValidationError):
        obj = None
    opts = model._meta
    if obj is None or not any(
        request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj)
        for action in ("view", "change")
    ):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
