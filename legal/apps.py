from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal pages")

    def ready(self):
        from newsroom.apps import public_content_changed

        from .models import LegalPage

        # A legal page is public the moment it is saved: start a new page cache generation.
        for signal in (post_save, post_delete):
            signal.connect(public_content_changed, sender=LegalPage, weak=False)
