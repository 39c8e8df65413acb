from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "publications"

# The dependency keys of these pages (newsroom/cache.py): any public document or office change.
SHOWS = ["list:publications", "list:issuers"]

urlpatterns = [
    path("publikationen/", public_cache(views.library, keys=SHOWS), name="library"),
    path(
        "publikationen/reihe/<slug:slug>/",
        public_cache(views.series_detail, keys=SHOWS),
        name="series",
    ),
    path("publikationen/<slug:slug>/download/", views.download, name="download"),
]
