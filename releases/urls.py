from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("", views.home, name="home"),
    path("pressemitteilungen/<slug:slug>/", views.release_detail, name="detail"),
    path("vorschau/<str:token>/", views.preview_link, name="preview_link"),
]
