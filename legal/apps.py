from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal pages")

    def ready(self):
        from newsroom.public import watch_public_models

        from .models import LegalPage

        # A legal page is public the moment it is saved: the pages showing it are built anew.
        watch_public_models(LegalPage)
