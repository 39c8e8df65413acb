"""A photo's public page, in German and under /en/ (namespace `photo_pages`: the files, outside
the language prefixes, hold the namespace `photos`; see photos/file_urls.py)."""

from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "photo_pages"

urlpatterns = [
    # The view records what it shows (`photo:<id>`, the releases it lists).
    path("fotos/<int:pk>/", public_cache(views.photo_detail, keys=[]), name="detail"),
]
