from django.apps import AppConfig
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _


def public_publications_of_issuer():
    from .models import Publication

    return Publication.objects.public().filter(issuer=OuterRef("pk"))


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        # `contacts` cannot import this app; it learns here what makes an issuer public.
        from contacts.models import register_public_content

        register_public_content(public_publications_of_issuer)

        # Their changes purge the cached pages that show them.
        from newsroom.public import watch_public_models

        from .models import Publication, Series

        watch_public_models(Series, Publication)
