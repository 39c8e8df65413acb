from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("kontakte/", views.directory, name="directory"),
    path("kontakte/<slug:slug>.vcf", views.vcard, name="vcard"),
]
