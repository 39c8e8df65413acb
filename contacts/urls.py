from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "contacts"

urlpatterns = [
    path("kontakte/", public_cache(views.directory), name="directory"),
    path("kontakte/<slug:slug>.vcf", public_cache(views.vcard), name="vcard"),
]
