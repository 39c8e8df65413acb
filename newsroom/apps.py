from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The shared layer. Apps register their public models with it (newsroom/public.py)."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import site

        site.watch()
