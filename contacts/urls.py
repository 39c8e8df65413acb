from django.urls import path

from newsroom.cache import public_cache

from . import views

app_name = "contacts"

# The dependency keys of these pages (newsroom/cache.py): any public contact or office change.
SHOWS = ["list:contacts", "list:issuers"]

urlpatterns = [
    path("kontakte/", public_cache(views.directory, keys=SHOWS), name="directory"),
    path("kontakte/<slug:slug>.vcf", public_cache(views.vcard, keys=SHOWS), name="vcard"),
]
