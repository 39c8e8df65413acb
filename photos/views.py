"""A photo's page and its files, answered only while the photo is public.

A photo is public while it is in rights and something public shows it (`Photo.objects.public`):
then its renditions and download may be kept by any cache. Staff who may see the photo's office
get them privately before that; everyone else, and every unknown name, gets a 404 that no cache
keeps (`checked_view`). The uploaded original is for staff only.
"""

import json
from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsroom.cache import changes_at, depends_on
from newsroom.protected_files import checked_view, protected_storage, serve
from newsroom.translations import adopt_related, in_language

from .gallery import GalleryPhoto, basename, download_name, licence_url
from .models import PHOTO_DIRECTORY, Photo, public_pages
from .renditions import rendition_names

VIEW_PERMISSION = "photos.view_photo"
# A name is random; more than one photo naming it would be a bug, not a reason to scan on.
LOOKUP_LIMIT = 3
# A page's JSON-LD sits inside <script>: these must not close it.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def find_file(photos, name: str) -> tuple[Photo, str]:
    """The photo of `photos` that has a rendition or download called `name`, and that file's
    stored name; 404 if none has."""
    # The names are recorded in the renditions JSON; the match is checked exactly below.
    for photo in photos.filter(renditions__icontains=name).select_related("office")[:LOOKUP_LIMIT]:
        for stored in rendition_names(photo.renditions):
            if basename(stored) == name:
                return photo, stored
    raise Http404("No such photo file.")


def may_see(user, photo: Photo) -> bool:
    """Staff with a role in the photo's office that lets them see photos."""
    return user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION, photo)


def send_file(request, photo: Photo, stored: str, *, public: bool):
    """Send one file made from `photo`; the download as an attachment under a readable name."""
    stored_file = SimpleNamespace(storage=protected_storage(), name=stored)
    response = serve(request, stored_file, public=public)
    if stored == photo.renditions.get("download", {}).get("name"):
        response["Content-Disposition"] = content_disposition_header(True, download_name(photo))
    return response


def kept_until_rights_end(response, photos):
    """No cache may keep a public file past the end of the rights of a photo it shows."""
    ends = [photo.rights_expire_at for photo in photos if photo.rights_until]
    if ends:
        seconds = int((min(ends) - timezone.now()).total_seconds())
        patch_cache_control(response, max_age=max(0, seconds))
    return response


@checked_view
def photo_file(request, name):
    """A rendition or the download of a photo: for everyone while the photo is public (and any
    cache may keep it), before that for staff who may see its office (privately)."""
    photo, stored = find_file(Photo.objects.all(), name)
    if Photo.objects.public().filter(pk=photo.pk).exists():
        return kept_until_rights_end(send_file(request, photo, stored, public=True), [photo])
    if may_see(request.user, photo):
        return send_file(request, photo, stored, public=False)
    raise Http404("No such photo file.")


@checked_view
def original(request, name):
    """The uploaded original, for the admin: staff who may see the photo's office only."""
    photo = Photo.objects.filter(file=f"{PHOTO_DIRECTORY}/{name}").first()
    if photo is None or not may_see(request.user, photo):
        raise Http404("No such photo.")
    return serve(request, photo.file, public=False)


def image_object(request, item: GalleryPhoto, licence: str) -> str:
    """schema.org ImageObject as JSON-LD (with what Google shows as licensable image
    metadata), safe to place inside a <script> element."""
    absolute = request.build_absolute_uri
    photo, local = item.photo, item.localized
    page = absolute(item.page_url)
    data = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": absolute(item.download["url"]) if item.download else absolute(item.src),
        "thumbnailUrl": absolute(item.src),
        "url": page,
        "width": photo.width,
        "height": photo.height,
        "caption": local.caption,
        "description": local.alt_text,
        "inLanguage": local.lang,
        "license": licence or page,
        "acquireLicensePage": page,
        "uploadDate": photo.uploaded_at.isoformat(),
    }
    if photo.credit:
        data |= {"creditText": photo.credit, "copyrightNotice": photo.credit}
    data = {key: value for key, value in data.items() if value not in ("", None)}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308


def photo_detail(request, pk):
    """A photo's own page: the image, its texts and rights, the download, where it appears."""
    photos = in_language(Photo.objects.public().select_related("office"), also=["office"])
    photo = get_object_or_404(photos, pk=pk)
    adopt_related([photo], "office")
    if not photo.has_renditions:
        raise Http404("This photo is still being processed.")
    depends_on(f"photo:{photo.pk}", "list:releases")
    # The page is gone the second the rights end (no write purges it then).
    changes_at(photo.rights_expire_at)
    item = GalleryPhoto(photo, photo.rendition_url, photo.get_absolute_url())
    licence = licence_url(photo, get_language() or "de")
    return render(
        request,
        "photos/photo_detail.html",
        {
            "photo": photo,
            "item": item,
            "local": photo.localized,
            "licence_url": licence,
            "appearances": public_pages(photo),
            "json_ld": image_object(request, item, licence),
        },
    )
