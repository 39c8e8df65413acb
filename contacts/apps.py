from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Issuers and press contacts")

    def ready(self):
        # Their changes purge the cached pages that show them.
        from newsroom.public import watch_public_models

        from .models import Contact, Organisation, OrganisationTranslation

        watch_public_models(Organisation, Contact, OrganisationTranslation)

        from newsroom.sitemaps import register_sitemaps

        from .sitemaps import IssuerSitemap

        register_sitemaps(issuers=IssuerSitemap, pages=["contacts:directory"])
