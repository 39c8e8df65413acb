"""Making a photo's renditions after its upload, as a task (a worker, or at once in development).

A photo is saved in the admin's request; its renditions (a few seconds for a large original) are
made after the commit: by the worker (the request does not wait), or right after the commit with
the immediate backend (development, tests). Either way they cannot fail the request: a broken
file is logged and left without renditions, which pages skip.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks import task

from . import renditions
from .models import Photo


@task()
def make_renditions(photo_id: int) -> bool:
    """Make the renditions of a photo unless they are current; returns whether it made them."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or not photo.file or renditions.is_current(photo):
        return False  # deleted, or another run was first
    return bool(renditions.generate(photo).get("widths"))


@receiver(post_save, sender=Photo, dispatch_uid="photos.make_renditions")
def renditions_after_upload(sender, instance: Photo, raw=False, **kwargs):
    """A new file, credit, licence, caption or focus point: new renditions, after the commit."""
    if raw or not instance.file or renditions.is_current(instance):
        return
    photo_id = instance.pk
    # Robust: a queue that cannot take the task is logged, the saved photo stays saved.
    transaction.on_commit(lambda: make_renditions.enqueue(photo_id), robust=True)


@receiver(post_delete, sender=Photo, dispatch_uid="photos.delete_renditions")
def renditions_after_delete(sender, instance: Photo, **kwargs):
    names = renditions.rendition_names(instance.renditions)
    transaction.on_commit(lambda: renditions.delete_files(names))
