"""The publications library, series pages and downloads of public publications."""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from newsroom.protected_files import checked_view, serve

from .feeds import publication_feed_links
from .models import COVER_DIRECTORY, Publication, Series


def public_publications():
    """Public publications, newest first, with their title in the page's language."""
    public = Publication.objects.public().newest_first().select_related("series", "issuer")
    return public.in_language()


def library(request):
    """All public publications, by series; those outside a series come last."""
    series = (
        Series.objects.filter(publications__in=Publication.objects.public())
        .distinct()
        .prefetch_related(
            Prefetch("publications", queryset=public_publications(), to_attr="public_items")
        )
    )
    standalone = public_publications().filter(series__isnull=True)
    return render(
        request,
        "publications/library.html",
        {
            "series_list": series,
            "standalone": standalone,
            "feed_links": publication_feed_links(),
        },
    )


def series_detail(request, slug):
    series = get_object_or_404(Series.objects.public(), slug=slug)
    publications = public_publications().filter(series=series)
    return render(
        request,
        "publications/series_detail.html",
        {
            "series": series,
            "publications": publications,
            "feed_links": publication_feed_links(series),
        },
    )


def send_document(publication) -> FileResponse:
    """The publication's file as a download, under its slug; 404 if the file is missing."""
    try:
        handle = publication.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file of this publication is missing.") from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=publication.download_name,
        content_type=publication.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def may_see_unpublished(user, publication=None) -> bool:
    """Staff with a role in the publication's office; without one, in any office."""
    permission = "publications.view_publication"
    return user.is_active and user.is_staff and user.has_perm(permission, publication)


@checked_view
def download(request, slug):
    """A public publication's file; staff who may see publications get the others too, privately."""
    publication = Publication.objects.public().filter(slug=slug).first()
    if publication is not None:
        return send_document(publication)
    if may_see_unpublished(request.user):
        publication = get_object_or_404(Publication, slug=slug)
        if not may_see_unpublished(request.user, publication):
            raise Http404("No such publication.")
        response = send_document(publication)
        patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response
    raise Http404("No such publication.")


@checked_view
def cover(request, name):
    """A publication's cover image: for everyone once the publication is public, before that
    for staff who may see publications. Anything else is a 404."""
    covers = Publication.objects.filter(cover=f"{COVER_DIRECTORY}/{name}")
    publication = covers.public().first()
    if publication is not None:
        return serve(request, publication.cover, public=True)
    if may_see_unpublished(request.user):
        publication = covers.first()
        if publication is not None and may_see_unpublished(request.user, publication):
            return serve(request, publication.cover, public=False)
    raise Http404("No such image.")
