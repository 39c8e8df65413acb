"""The old addresses of release images, and an embargo link's photos, zip and downloads, which
answer while the link is valid: newsroom/urls.py mounts them in the `files` namespace, outside the
language prefixes."""

from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)

from . import views

urlpatterns = [
    # Before the media library: redirects to the photo's download while the photo is public.
    path("bilder/<filename:name>", views.release_image, name="release_image"),
    path(
        "vorschau/<token:token>/fotos/<filename:name>",
        views.preview_photo,
        name="preview_photo",
    ),
    path("vorschau/<token:token>/fotos.zip", views.preview_photos_zip, name="preview_photos_zip"),
    path(
        "vorschau/<token:token>/publikationen/<slug:slug>/download/",
        views.preview_download,
        name="preview_download",
    ),
]
