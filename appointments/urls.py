from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)
from newsroom.cache import public_cache

from . import views

app_name = "appointments"

urlpatterns = [
    path("termine/", public_cache(views.appointment_list, views.LIST_QUERY), name="list"),
    path(
        "termine/archiv/", public_cache(views.appointment_archive, views.LIST_QUERY), name="archive"
    ),
    path("termine/<slug:slug>/", public_cache(views.appointment_detail), name="detail"),
    path("termine/<slug:slug>/kalender.ics", public_cache(views.appointment_ics), name="ics"),
    path("termine/<slug:slug>/akkreditierung/", views.apply, name="apply"),
    path("termine/<slug:slug>/akkreditierung/danke/", views.applied, name="applied"),
    path("akkreditierung/<token:token>/", views.confirm, name="confirm"),
]
