"""Release images under their random names, and an embargo link's images and downloads, which
answer while the link is valid: newsroom/urls.py mounts them in the `files` namespace, outside the
language prefixes."""

from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)

from . import views

urlpatterns = [
    path("bilder/<filename:name>", views.release_image, name="release_image"),
    path(
        "vorschau/<token:token>/bilder/<filename:name>",
        views.preview_image,
        name="preview_image",
    ),
    path(
        "vorschau/<token:token>/publikationen/<slug:slug>/download/",
        views.preview_download,
        name="preview_download",
    ),
]
