from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from .plaintext import clean_text_fields

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


def public_content_changed(sender, instance=None, **kwargs):
    """Purge the cached pages that show `instance` (newsroom/cache.py decides which)."""
    from .cache import content_changed

    content_changed(instance)


def public_content_about_to_change(sender, instance, **kwargs):
    from .cache import note_before_change

    note_before_change(instance)


def public_relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A release's topics or publications changed: the release's pages, not the topic's."""
    from .cache import content_changed

    if not action.startswith("post_"):
        return
    if not reverse:
        content_changed(instance)
    elif pk_set is None:  # a topic or publication cleared of all its releases
        content_changed()
    else:
        for release in model._base_manager.filter(pk__in=pk_set):
            content_changed(release)


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        for label in PUBLIC_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(public_content_changed, sender=model, weak=False)
            # What it was counts too: a topic that stops being public leaves the pages naming it.
            for signal in (pre_save, pre_delete):
                signal.connect(public_content_about_to_change, sender=model, weak=False)
            # What reaches pages, feeds and vCards is stored without control characters.
            pre_save.connect(clean_text_fields, sender=model, weak=False)
        for through in [
            apps.get_model("releases.Release").topics.through,
            apps.get_model("releases.Release").publications.through,
        ]:
            m2m_changed.connect(public_relation_changed, sender=through)
