"""Public release pages. Every public query starts from `Release.objects.live()` (or `reachable()`).

Previews (staff, and secret embargo links) render the same template with a banner, are never
cached, and are kept out of search engines.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from publications.models import Publication

from .models import PreviewAccess, PreviewLink, Release, ReleaseContact, Topic

HOME_RELEASE_COUNT = 10


def home(request):
    releases = (
        Release.objects.live()
        .newest_first()
        .select_related("issuer")
        .prefetch_related("topics")[:HOME_RELEASE_COUNT]
    )
    topics = Topic.objects.filter(releases__in=Release.objects.live()).distinct()
    return render(request, "releases/home.html", {"releases": releases, "topics": topics})


def with_page_relations(queryset):
    """Everything the release page shows, in a fixed number of queries."""
    contacts = ReleaseContact.objects.select_related("contact__organisation")
    return queryset.select_related("issuer").prefetch_related(
        "topics",
        "links",
        "images",
        "corrections",
        Prefetch("release_contacts", queryset=contacts),
        Prefetch("publications", queryset=Publication.objects.public().select_related("series")),
    )


def render_release(request, release, *, preview=None, embargoed_until=None):
    response = render(
        request,
        "releases/release_detail.html",
        {
            "release": release,
            "contacts": [item.contact for item in release.release_contacts.all()],
            "preview": preview,
            "embargoed_until": embargoed_until,
        },
    )
    if preview:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def release_detail(request, slug):
    release = get_object_or_404(with_page_relations(Release.objects.reachable()), slug=slug)
    return render_release(request, release)


def preview_link(request, token):
    """A secret embargo link: the release as it stands, whatever its state, while the link holds."""
    link = PreviewLink.objects.valid().filter(token=token).select_related("release").first()
    if link is None:
        raise Http404("No such preview link.")
    release = with_page_relations(Release.objects.filter(pk=link.release_id)).get()
    PreviewAccess.objects.create(
        link=link,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("user-agent", "")[:300],
    )
    embargoed_until = None
    if not release.is_live and release.go_live_at and release.go_live_at > timezone.now():
        embargoed_until = release.go_live_at
    return render_release(request, release, preview="embargo", embargoed_until=embargoed_until)
