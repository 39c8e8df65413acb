from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("publikationen/", views.library, name="library"),
    path("publikationen/reihe/<slug:slug>/", views.series_detail, name="series"),
    path("publikationen/<slug:slug>/download/", views.download, name="download"),
]
