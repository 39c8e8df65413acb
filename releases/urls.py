from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)
from newsroom.cache import public_cache

from . import views
from .dependencies import EVERY_LIST, RELEASE_LISTS
from .feeds import feeds_page
from .filters import ReleaseFilterForm

app_name = "releases"

# What the list pages read from the query string; any other parameter leaves the page cache
# alone (see newsroom/cache.py).
LIST_QUERY = [*ReleaseFilterForm.query_parameters(), "seite"]
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
    # "Download all": a zip of the release's photos (a file, not a page: not in the page cache).
    path("pressemitteilungen/<slug:slug>/fotos.zip", views.photos_zip, name="photos_zip"),
    path("themen/<slug:slug>/", public_cache(views.topic_detail, LIST_QUERY, LISTS), name="topic"),
    path(
        "herausgeber/<slug:slug>/",
        public_cache(views.issuer_detail, LIST_QUERY, ISSUER_PAGE),
        name="issuer",
    ),
    path("vorschau/<token:token>/", views.preview_link, name="preview_link"),
    path("feeds/", public_cache(feeds_page, keys=EVERY_LIST), name="feeds"),
]
