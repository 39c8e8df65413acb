"""A photo's files under their random names, checked on every request, one address for every
language: newsroom/urls.py mounts them outside the language prefixes (namespace `photos`)."""

from django.urls import path

from . import views

app_name = "photos"

urlpatterns = [
    path("fotos/dateien/<filename:name>", views.photo_file, name="file"),
    path("fotos/original/<filename:name>", views.original, name="original"),
]
