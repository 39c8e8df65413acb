"""Publications: documents that journalists download, grouped into series such as "Schlaglicht"."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Exists, F, ProtectedError, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import ALWAYS_PUBLIC_HELP, Organisation
from newsroom.protected_files import CheckedImageField, unguessable_name
from newsroom.translations import Translatable, Translation, in_language
from newsroom.uploads import IMAGE_VALIDATORS, validate_document_size

from .documents import LABELS_BY_MIME_TYPE, inspect_document


def document_storage():
    # Kept apart from MEDIA_ROOT so that a file is only ever reached through the download view.
    return storages["documents"]


def document_upload_to(instance, filename):
    return f"publications/{filename}"


class SeriesQuerySet(models.QuerySet):
    def public(self):
        """Series the public may see: marked public by a lead, or holding a public publication
        (so a series made for an embargoed release's document waits for that release)."""
        public_here = Publication.objects.public().filter(series=models.OuterRef("pk"))
        return self.filter(models.Q(always_public=True) | models.Exists(public_here))


def next_own_date():
    """The next own date of a publication (read from the primary, as go-live seconds are): a
    document may become public then with no write to purge the pages, feeds and lists that
    will show it. Publications that will stay hidden then count too: a generation ended early
    costs a few cold pages, one ended late shows a stale record."""
    return (
        Publication.objects.using(DEFAULT_DB_ALIAS)
        .filter(published_at__gt=timezone.now())
        .aggregate(first=models.Min("published_at"))["first"]
    )


# Pages print "Reihe" before a series' name and its name before its publications' titles.
SERIES_WORD = re.compile(r"^\s*(?:reihe|series|schriftenreihe)\b[\s:„“\"]*", re.I)


class Series(models.Model):
    """A series of publications, e.g. "Schlaglicht"."""

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "Only the name, e.g. “Schlaglicht”: pages print “Series” before it and the name "
            "before the titles of its publications. A leading “Reihe” is removed on saving."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    always_public = models.BooleanField(
        _("always public"), default=False, help_text=ALWAYS_PUBLIC_HELP
    )

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = pgettext_lazy("plural", "series")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:series", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        self.title = SERIES_WORD.sub("", self.title).strip(' „“"').strip() or self.title


# How `releases` tells a live release and one that has been public, each a function that takes a
# relation prefix (e.g. "release__") and returns a Q. `releases` depends on this app, never the
# reverse, so it hands them over in its AppConfig.ready(); until it has, no publication linked to
# a release is public. `public_date` is the release field a publication without a date of its
# own shows as its date.
RELEASE_VISIBILITY = {}


def register_release_visibility(*, live, has_been_public, public_date: str):
    RELEASE_VISIBILITY.update(live=live, has_been_public=has_been_public, public_date=public_date)


class PublicationQuerySet(models.QuerySet):
    def _release_links(self, condition: str | None = None):
        """The links between a publication (OuterRef) and its releases, those meeting `condition`
        ("live", "has_been_public") if given."""
        # The reverse side of Release.publications: reached by name, without importing releases.
        links = self.model.releases.through.objects.filter(publication=models.OuterRef("pk"))
        if condition is None:
            return links
        if condition not in RELEASE_VISIBILITY:
            return links.none()
        return links.filter(RELEASE_VISIBILITY[condition]("release__"))

    def _visible(self, release_condition: str):
        own_date_has_come = Q(published_at__lte=timezone.now())
        linked = Exists(self._release_links())
        through_a_release = Exists(self._release_links(release_condition))
        return self.filter(
            (own_date_has_come & (Q(stands_alone=True) | ~linked | through_a_release))
            | (Q(published_at__isnull=True) & through_a_release)
        )

    def public(self):
        """The one definition of a public publication: its own date has come, and it is linked to
        no release, or to at least one live release, or a lead made it public on its own
        (`stands_alone`). Without a date of its own ("with its release") it is public as soon as
        one of its releases is live; linked to none, never.

        Two EXISTS per row, each stopping at the first link it finds.
        """
        return self._visible("live")

    def has_been_public(self):
        """Publications that are or were public: part of the record, not deleted, and their file
        is replaced by a lead only. (A release that was public stays so when withdrawn.)"""
        return self._visible("has_been_public")

    def with_public_date(self):
        """Annotate `public_date`: the publication's own date or, for one that goes public with
        its release, the date of its first live release."""
        field = RELEASE_VISIBILITY.get("public_date")
        if field is None:
            return self.annotate(public_date=F("published_at"))
        first_live = (
            self._release_links("live")
            .order_by(f"release__{field}")
            .values(f"release__{field}")[:1]
        )
        return self.annotate(public_date=Coalesce("published_at", Subquery(first_live)))

    def in_language(self, language: str | None = None):
        """With each publication's title in the page's language joined in."""
        return in_language(self, language)

    def newest_first(self):
        """With `public_date`, newest first: the order of every public list and feed."""
        return self.with_public_date().order_by(F("public_date").desc(nulls_last=True), "-pk")


PUBLISH_PERMISSION = "publications.publish_publication"


COVER_DIRECTORY = "covers"


def cover_name(instance, filename):
    return unguessable_name(COVER_DIRECTORY, filename)


class Publication(Translatable, models.Model):
    """A downloadable document. Size, MIME type, page count and checksum are read from the file.

    Its visibility follows `PublicationQuerySet.public()`: the publication date has come, and it
    is linked to no release or to a live one (or a lead made it public on its own, so that a
    draft referring to it does not hide it). Without a date ("with its press release", what a
    publication made from a release's "+" gets) it is public exactly when one of its releases
    is; linked to none and without a date it is not public at all. Setting or changing the date
    or `stands_alone`, and replacing the file of a publication that is or was public, need a
    press lead (`publish_publication`); a replaced file is kept as a `PublicationFileVersion`.
    """

    title = models.CharField(
        _("title"),
        max_length=250,
        help_text=_(
            "Without the series' name: pages print it before the title. A leading "
            "“Series name:” is removed on saving."
        ),
    )
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
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False, blank=True)
    # Stored outside MEDIA_ROOT under a random name, served by publications.views.cover.
    cover = CheckedImageField(
        _("cover image"),
        view_name="files:cover",
        upload_to=cover_name,
        blank=True,
        db_index=True,
        validators=IMAGE_VALIDATORS,
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        default=None,
        db_index=True,
        help_text=_(
            "The publication is public from this time on, once a press release it is linked to "
            "is public. Empty: public with its press release (a publication without a release "
            "and without a date is not public)."
        ),
    )
    stands_alone = models.BooleanField(
        _("public on its own"),
        default=False,
        help_text=_(
            "Public from its date whatever press releases it is linked to, e.g. a report that "
            "later releases refer to. Without this, a publication linked to press releases is "
            "public only with one of them."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        permissions = [
            (
                "publish_publication",
                _("Can set the date of a publication and replace the file of a public one"),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save; a replaced file is kept as a version, never deleted.

        Whoever sets `changed_by` (the admin does) is checked against `publishing_changes()`
        here too, whatever form or script got this far.
        """
        changed_by = getattr(self, "changed_by", None)
        if changed_by is not None:
            self.check_publishing(changed_by, error=PermissionDenied)
        replacing = self.pk is not None and self.file and not self.file._committed
        if self.file and (not self.file._committed or not self.mime_type):
            self.read_file_facts()
        with transaction.atomic():
            if replacing:
                self.keep_stored_file(replaced_by=changed_by)
            super().save(*args, **kwargs)

    @property
    def changes_pages_at(self):
        """When the pages that will show the publication change by themselves (newsroom.cache):
        its own date, if still to come."""
        return self.published_at

    def keep_stored_file(self, replaced_by=None):
        """Record the file stored now as a version, before a new one takes its place."""
        stored = Publication.objects.filter(pk=self.pk).first()
        if stored is None or not stored.file:
            return None
        checksum = stored.sha256
        if not checksum:
            try:
                checksum = file_sha256(stored.file)
                stored.file.close()
            except OSError:
                checksum = ""
        return PublicationFileVersion.objects.create(
            publication=stored,
            file=stored.file.name,
            sha256=checksum,
            file_size=stored.file_size,
            mime_type=stored.mime_type,
            page_count=stored.page_count,
            had_been_public=Publication.objects.has_been_public().filter(pk=self.pk).exists(),
            replaced_by=replaced_by,
        )

    def publishing_changes(self) -> dict[str, str]:
        """What in this unsaved state only a press lead may do, by field, with the reason: setting
        or changing the date, replacing the file of a publication that is or was public."""
        stored = Publication.objects.filter(pk=self.pk).first() if self.pk else None
        changes = {}
        if self.published_at != (stored.published_at if stored else None):
            changes["published_at"] = _(
                "Only a press lead may set or change the publication date: it decides when the "
                "document is public. Leave it as it was (empty: public with its press release)."
            )
        if self.stands_alone != (stored.stands_alone if stored else False):
            changes["stands_alone"] = _(
                "Only a press lead may make a publication public on its own, or undo that."
            )
        replacing = stored is not None and self.file and not self.file._committed
        if replacing and Publication.objects.has_been_public().filter(pk=self.pk).exists():
            changes["file"] = _(
                "This document is or was public: only a press lead may replace its file. "
                "The file stays as it is."
            )
        return changes

    def check_publishing(self, user, error=ValidationError):
        """Refuse what `publishing_changes()` finds unless `user` may publish publications."""
        if user.has_perm(PUBLISH_PERMISSION, self):
            return
        changes = self.publishing_changes()
        if changes:
            if error is ValidationError:
                raise ValidationError(changes)
            raise error(" ".join(str(reason) for reason in changes.values()))

    @property
    def is_public(self) -> bool:
        return self.pk is not None and Publication.objects.public().filter(pk=self.pk).exists()

    @property
    def has_been_public(self) -> bool:
        return (
            self.pk is not None
            and Publication.objects.has_been_public().filter(pk=self.pk).exists()
        )

    def clean(self):
        super().clean()
        # "Schlaglicht: Kreativwirtschaft" in the series "Schlaglicht" would be shown twice.
        if self.series_id and self.title:
            prefix = f"{self.series.title}:"
            if self.title.casefold().startswith(prefix.casefold()):
                self.title = self.title[len(prefix) :].strip() or self.title
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
        self.sha256 = file_sha256(self.file)
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


def file_sha256(field_file) -> str:
    """The SHA-256 of a stored or uploaded file, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    field_file.open("rb")
    field_file.seek(0)
    for chunk in field_file.chunks():
        digest.update(chunk)
    field_file.seek(0)
    return digest.hexdigest()


class PublicationTranslation(Translation):
    """A publication's title and description in another language; the document stays as it is."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="translations"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    fields = ("title", "description")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language"], name="publication_translation_once"
            )
        ]


class PublicationFileVersion(models.Model):
    """A file a publication had before it was replaced. The file stays in the documents storage
    under its old name (nothing is deleted or overwritten) and goes into every backup."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="file_versions",
        verbose_name=_("publication"),
    )
    file = models.FileField(_("file"), storage=document_storage, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    mime_type = models.CharField(_("MIME type"), max_length=120, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    had_been_public = models.BooleanField(_("had been public"), default=False)
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier file")
        verbose_name_plural = _("earlier files")

    def __str__(self):
        return self.file.name


@receiver(pre_delete, sender=Publication)
def refuse_to_delete_a_public_publication(sender, instance, **kwargs):
    """A document that is or was public is part of the record; a lead may set a later date to
    hide it instead."""
    if instance.has_been_public:
        raise ProtectedError(
            "A publication that was public is part of the record and is not deleted.", {instance}
        )
