"""The publications library, series pages and downloads of public publications."""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .feeds import publication_feed_links
from .models import Publication, Series


def public_publications():
    return Publication.objects.public().select_related("series", "issuer")


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
    series = get_object_or_404(Series, slug=slug)
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


def download(request, slug):
    publication = get_object_or_404(Publication.objects.public(), slug=slug)
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
