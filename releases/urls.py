from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)
from newsroom.cache import public_cache

from . import views
from .dependencies import RELEASE_LISTS
from .filters import ReleaseFilterForm

app_name = "releases"

# What the list pages read from the query string; any other parameter leaves the page cache
# alone (see newsroom/cache.py).
LIST_QUERY = [*ReleaseFilterForm.base_fields, "seite"]
# What the pages show, for their dependency keys (releases/dependencies.py); a release page adds
# its own keys in the view.
LISTS = RELEASE_LISTS
ISSUER_PAGE = [*RELEASE_LISTS, "list:contacts", "list:publications"]

urlpatterns = [
    path("", public_cache(views.home, keys=LISTS), name="home"),
    path(
        "pressemitteilungen/", public_cache(views.release_list, LIST_QUERY, LISTS), name="list"
    ),
    path(
        "pressemitteilungen/<slug:slug>/",
        public_cache(views.release_detail, keys=[]),
        name="detail",
    ),
    path("themen/<slug:slug>/", public_cache(views.topic_detail, LIST_QUERY, LISTS), name="topic"),
    path(
        "herausgeber/<slug:slug>/",
        public_cache(views.issuer_detail, LIST_QUERY, ISSUER_PAGE),
        name="issuer",
    ),
    path("vorschau/<token:token>/", views.preview_link, name="preview_link"),
]

# Files, outside the language prefixes (newsroom/urls.py mounts them): release images under their
# random names, and an embargo link's images and downloads, which answer while the link is valid.
file_patterns = [
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
