from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = _("Media library")

    def ready(self):
        # A photo's texts and rights reach public pages: their changes purge the pages showing
        # it (releases/dependencies.py says which keys).
        from newsroom.public import watch_public_models

        from . import tasks  # noqa: F401 - renditions are made after each upload
        from .models import Photo, PhotoTranslation

        watch_public_models(Photo, PhotoTranslation)

        # The second a public photo's rights end, the pages showing it change: no cached page
        # or edge copy may outlive it.
        from newsroom.go_live import register_page_change

        from .models import next_rights_end

        register_page_change("photo rights", next_rights_end)

        # A backup holds the renditions too: a restored site shows its photos at once, under
        # the names its pages and feeds were built with.
        from newsroom.archive import register_named_files

        from .renditions import rendition_names

        register_named_files(
            Photo,
            lambda fields: [("protected", name) for name in rendition_names(fields["renditions"])],
        )
