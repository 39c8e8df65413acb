"""The releases' pages under another path, for tests of what follows the URLconf."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(
    path("anderswo/", include("releases.urls")), prefix_default_language=False
)
