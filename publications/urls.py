from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "publications"

urlpatterns = [
    path("publikationen/", public_cache(views.library), name="library"),
    path("publikationen/reihe/<slug:slug>/", public_cache(views.series_detail), name="series"),
    path("publikationen/<slug:slug>/download/", views.download, name="download"),
]
