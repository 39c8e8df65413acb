from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "releases"

urlpatterns = [
    path("", public_cache(views.home), name="home"),
    path("pressemitteilungen/", public_cache(views.release_list), name="list"),
    path("pressemitteilungen/<slug:slug>/", public_cache(views.release_detail), name="detail"),
    path("themen/<slug:slug>/", public_cache(views.topic_detail), name="topic"),
    path("herausgeber/<slug:slug>/", public_cache(views.issuer_detail), name="issuer"),
    path("vorschau/<str:token>/", views.preview_link, name="preview_link"),
]
