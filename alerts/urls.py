from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("benachrichtigungen/", views.subscribe, name="subscribe"),
    path("benachrichtigungen/angefordert/", views.requested, name="requested"),
    path("benachrichtigungen/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("benachrichtigungen/verwalten/<str:token>/", views.manage, name="manage"),
    path("benachrichtigungen/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
