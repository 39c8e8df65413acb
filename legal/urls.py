from django.urls import path

from newsroom.cache import public_cache

from . import views
from .models import PageKind

app_name = "legal"

urlpatterns = [
    path("impressum/", public_cache(views.legal_page), {"kind": PageKind.IMPRINT}, name="imprint"),
    path(
        "datenschutz/", public_cache(views.legal_page), {"kind": PageKind.PRIVACY}, name="privacy"
    ),
    path(
        "barrierefreiheit/",
        public_cache(views.legal_page),
        {"kind": PageKind.ACCESSIBILITY},
        name="accessibility",
    ),
    # A form with a CSRF token and a signed start time: never cached.
    path("barrierefreiheit/rueckmeldung/", views.feedback, name="feedback"),
    path("barrierefreiheit/rueckmeldung/danke/", views.feedback_sent, name="feedback_sent"),
]
