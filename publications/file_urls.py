"""Covers under their random names, checked on every request: newsroom/urls.py mounts them in
the `files` namespace, outside the language prefixes."""

from django.urls import path

from . import views

urlpatterns = [
    path("titelbilder/<filename:name>", views.cover, name="cover"),
]
