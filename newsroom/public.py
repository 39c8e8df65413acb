"""What apps tell the shared layer about their public content, from their AppConfig.ready.

`newsroom` imports no app: each app names the models whose rows reach public pages and feeds,
and the relations between them. A change of one purges the cached pages that show it
(newsroom/cache.py decides which), and its text is stored without control characters.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .plaintext import clean_text_fields


def public_content_changed(sender, instance=None, **kwargs):
    """Purge the cached pages that show `instance`."""
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
        for related in model._base_manager.filter(pk__in=pk_set):
            content_changed(related)


def watch_public_models(*models, relations=()) -> None:
    """`models` reach public pages and feeds; `relations` are many-to-many tables among them."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(public_content_changed, sender=model, weak=False)
        # What it was counts too: a topic that stops being public leaves the pages naming it.
        for signal in (pre_save, pre_delete):
            signal.connect(public_content_about_to_change, sender=model, weak=False)
        # What reaches pages, feeds and vCards is stored without control characters.
        pre_save.connect(clean_text_fields, sender=model, weak=False)
    for through in relations:
        m2m_changed.connect(public_relation_changed, sender=through, weak=False)
