"""Downloads of public publications, with the stored type and an attachment disposition."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from .models import Publication


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
