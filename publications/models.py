"""Publications: documents that journalists download, grouped into series such as "Schlaglicht"."""

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organisation
from newsroom.uploads import IMAGE_VALIDATORS, validate_document_size

from .documents import LABELS_BY_MIME_TYPE, inspect_document


def document_storage():
    # Kept apart from MEDIA_ROOT so that a file is only ever reached through the download view.
    return storages["documents"]


def document_upload_to(instance, filename):
    return f"publications/{filename}"


class Series(models.Model):
    """A series of publications, e.g. "Schlaglicht"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = pgettext_lazy("plural", "series")

    def __str__(self):
        return self.title


class PublicationQuerySet(models.QuerySet):
    def public(self):
        """Publications whose publication time has come."""
        return self.filter(published_at__lte=timezone.now())


class Publication(models.Model):
    """A downloadable document. Size, MIME type and page count are read from the file itself."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("series"),
    )
    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("issuer"),
    )
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"),
        storage=document_storage,
        upload_to=document_upload_to,
        max_length=255,
        validators=[validate_document_size],
    )
    file_size = models.PositiveBigIntegerField(_("size in bytes"), editable=False, default=0)
    mime_type = models.CharField(_("MIME type"), max_length=120, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    cover = models.ImageField(
        _("cover image"), upload_to="covers/", blank=True, validators=IMAGE_VALIDATORS
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        db_index=True,
        help_text=_("The publication is public from this time on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and (not self.file._committed or not self.mime_type):
            self.read_file_facts()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.file and not self.file._committed:
            try:
                self.read_file_facts()
            except ValidationError as error:
                raise ValidationError({"file": error.error_list}) from error

    def read_file_facts(self):
        """Set type, size and page count from the file; give a newly attached file a safe name."""
        self.file.open("rb")
        inspection = inspect_document(self.file.file)
        self.mime_type = inspection.doc_type.mime_type
        self.file_size = self.file.size
        if inspection.page_count is not None:
            self.page_count = inspection.page_count
        if not self.file._committed:
            self.file.name = f"{self.slug or 'document'}.{inspection.doc_type.extension}"

    def get_download_url(self) -> str:
        return reverse("publications:download", kwargs={"slug": self.slug})

    @property
    def type_label(self) -> str:
        return LABELS_BY_MIME_TYPE.get(self.mime_type, self.mime_type)

    @property
    def download_name(self) -> str:
        extension = self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else ""
        return f"{self.slug}.{extension}" if extension else self.slug


@receiver(pre_delete, sender=Publication)
def refuse_to_delete_a_public_publication(sender, instance, **kwargs):
    """A document that was public is part of the record; set a later date to hide it instead."""
    if instance.published_at <= timezone.now():
        raise ProtectedError(
            "A publication that was public is part of the record and is not deleted.", {instance}
        )
