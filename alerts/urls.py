from django.urls import path

import newsroom.converters  # noqa: F401  (registers <token:…>)

from . import views

app_name = "alerts"

urlpatterns = [
    path("benachrichtigungen/", views.subscribe, name="subscribe"),
    path("benachrichtigungen/angefordert/", views.requested, name="requested"),
    path("benachrichtigungen/bestaetigen/<token:token>/", views.confirm, name="confirm"),
    path("benachrichtigungen/verwalten/<token:token>/", views.manage, name="manage"),
    path("benachrichtigungen/abmelden/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
