from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("publikationen/<slug:slug>/download/", views.download, name="download"),
]
