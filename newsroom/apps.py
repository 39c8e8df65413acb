from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Everything whose change can alter a public page or feed.
PUBLIC_MODELS = [
    "releases.Release",
    "releases.ReleaseContact",
    "releases.ReleaseLink",
    "releases.ReleaseImage",
    "releases.Correction",
    "releases.Topic",
    "contacts.Organisation",
    "contacts.Contact",
    "publications.Series",
    "publications.Publication",
]


def public_content_changed(sender, **kwargs):
    from .cache import content_changed

    content_changed()


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        for label in PUBLIC_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(public_content_changed, sender=model, weak=False)
        for through in [
            apps.get_model("releases.Release").topics.through,
            apps.get_model("releases.Release").publications.through,
        ]:
            m2m_changed.connect(public_content_changed, sender=through)
