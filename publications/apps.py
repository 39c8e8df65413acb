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

        from .models import Publication, PublicationTranslation, Series

        watch_public_models(Series, Publication, PublicationTranslation)

        # A document's own date makes it public with no write: no cached page, kept feed or
        # edge copy may outlive that second.
        from newsroom.go_live import register_page_change

        from .models import next_own_date

        register_page_change("publication dates", next_own_date)

        from newsroom.sitemaps import register_sitemaps

        from .sitemaps import SeriesSitemap

        register_sitemaps(series=SeriesSitemap, pages=["publications:library"])

        # The backup archive (in `newsroom`) checks restored documents as uploads are checked.
        from newsroom.archive import register_document_check

        from .documents import inspect_document
        from .models import PublicationFileVersion

        register_document_check(
            inspect_document,
            Publication._meta.get_field("file"),
            PublicationFileVersion._meta.get_field("file"),
        )
