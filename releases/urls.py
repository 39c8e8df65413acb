from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("", views.home, name="home"),
    path("pressemitteilungen/", views.release_list, name="list"),
    path("pressemitteilungen/<slug:slug>/", views.release_detail, name="detail"),
    path("themen/<slug:slug>/", views.topic_detail, name="topic"),
    path("herausgeber/<slug:slug>/", views.issuer_detail, name="issuer"),
    path("vorschau/<str:token>/", views.preview_link, name="preview_link"),
]
