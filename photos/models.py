"""Press photos as assets of an office: one file, its metadata, its renditions.

A photo is uploaded once into the media library and used by any number of releases and
appointments (their `…Image` rows say which, in which order). It is public while at least one of
those is public and its rights have not expired; nothing of it (rendition, download, page) is
reachable otherwise. The apps that use photos say which of their uses are public
(`register_public_use`), as `photos` imports none of them.

The uploaded original stays in the protected storage and is never sent to anyone: what pages and
downloads hand out are renditions (`photos.renditions`), made once after the upload, with the
orientation applied, personal metadata (GPS, camera serials) stripped and, in the high-resolution
download, the credit and licence written into its metadata.
"""

import datetime
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from newsroom.protected_files import CheckedImageField, unguessable_name
from newsroom.translations import Translatable, Translation, in_language
from newsroom.uploads import IMAGE_VALIDATORS

PHOTO_DIRECTORY = "photos"
# The rendition an `<img src>` names (browsers that read `srcset` choose their own).
MIDDLE_WIDTH = 960

# The page prints "Foto:" before a credit; what an officer typed of it is dropped on saving.
CREDIT_PREFIX = re.compile(r"^(?:\s*(?:foto|photo|bild|image)\s*:|\s*©|\s*\(c\))+\s*", re.I)

# Each app that shows photos registers a function returning, for `OuterRef("pk")` a photo, the
# queryset of its public uses (e.g. the image rows of live releases). See `Photo.objects.public`.
_public_uses: dict[str, Callable[[], models.QuerySet]] = {}


def register_public_use(name: str, uses: Callable[[], models.QuerySet]) -> None:
    _public_uses[name] = uses


class Appearance(NamedTuple):
    """A public page a photo appears on, as the photo's own page lists it."""

    kind: str  # "Press release", "Appointment"
    title: str
    url: str
    date: datetime.datetime | None
    lang_attribute: str = ""


# Each app that shows photos registers a function returning the public pages (`Appearance`s)
# of its content that show a given photo, for the photo's page.
_public_pages: dict[str, Callable[["Photo"], list[Appearance]]] = {}


def register_public_pages(name: str, pages: Callable[["Photo"], list[Appearance]]) -> None:
    _public_pages[name] = pages


def public_pages(photo: "Photo") -> list[Appearance]:
    """Where the public sees `photo`, newest first."""
    found = [page for pages in _public_pages.values() for page in pages(photo)]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(found, key=lambda page: page.date or oldest, reverse=True)


class Licence(models.TextChoices):
    EDITORIAL = "editorial", _("Free for editorial use in connection with the release")
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC0 = "cc0-1.0", _("CC0 1.0 (public domain)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


# The licence texts of the Creative Commons licences (pages link them, downloads name them).
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def photo_name(instance, filename):
    return unguessable_name(PHOTO_DIRECTORY, filename)


def rights_end(day: datetime.date) -> datetime.datetime:
    """The instant rights that run until `day` (inclusive) end: the next midnight, site time."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


class PhotoQuerySet(models.QuerySet):
    def in_rights(self, now: datetime.datetime | None = None):
        """Photos whose rights have not expired at `now`."""
        today = timezone.localdate(now or timezone.now())
        return self.filter(Q(rights_until__isnull=True) | Q(rights_until__gte=today))

    def public(self):
        """The one definition of a public photo: in rights, and used by something public."""
        used = Q(pk__in=[])
        for uses in _public_uses.values():
            used |= Exists(uses())
        return self.in_rights().filter(used)

    def in_language(self, language: str | None = None):
        return in_language(self, language)


def next_rights_end() -> datetime.datetime | None:
    """When the rights of a public photo next end (read from the primary, as go-live seconds
    are: a replica may lag behind a change made a moment ago)."""
    day = (
        Photo.objects.using(DEFAULT_DB_ALIAS)
        .public()
        .filter(rights_until__isnull=False)
        .aggregate(first=models.Min("rights_until"))["first"]
    )
    return rights_end(day) if day else None


class Photo(Translatable, models.Model):
    """A press photo of an office, with what journalists need to use it lawfully."""

    office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("press office"),
    )
    file = CheckedImageField(
        _("image"),
        view_name="photos:original",
        upload_to=photo_name,
        max_length=200,
        db_index=True,
        validators=IMAGE_VALIDATORS,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("Describes the image for people who cannot see it."),
    )
    is_decorative = models.BooleanField(
        _("decorative"), default=False, help_text=_("Only decorative images may omit the alt text.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_(
            "Photographer or agency, e.g. “SMWA/Jane Doe”: the page prints “Photo:” before it. A "
            "leading “Foto:”, “Photo:” or “©” is removed on saving."
        ),
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.EDITORIAL
    )
    rights_until = models.DateField(
        _("rights until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day the photo may be shown. After it, the photo leaves every public page."
        ),
    )
    # Where the subject is, in per cent of width and height: crops keep it in the picture.
    focus_x = models.PositiveSmallIntegerField(
        _("focus (horizontal, %)"), default=50, validators=[MaxValueValidator(100)]
    )
    focus_y = models.PositiveSmallIntegerField(
        _("focus (vertical, %)"), default=50, validators=[MaxValueValidator(100)]
    )
    # What `photos.renditions` made of the file (names, widths, sizes); empty until it has run.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["office", "-uploaded_at"], name="photo_office_newest")]

    def __str__(self):
        return self.caption or self.alt_text or f"{_('Photo')} {self.pk}"

    def get_absolute_url(self) -> str:
        """The photo's own page (404 while the photo is not public)."""
        return reverse("photo_pages:detail", kwargs={"pk": self.pk})

    def clean(self):
        self.credit = CREDIT_PREFIX.sub("", self.credit).strip()
        if not self.alt_text.strip() and not self.is_decorative:
            raise ValidationError({"alt_text": _("Describe the image, or mark it as decorative.")})

    @property
    def rights_expire_at(self) -> datetime.datetime | None:
        return rights_end(self.rights_until) if self.rights_until else None

    @property
    def changes_pages_at(self) -> datetime.datetime | None:
        """When the pages showing the photo change by themselves (newsroom.cache): its rights
        end."""
        return self.rights_expire_at

    @property
    def rights_expired(self) -> bool:
        return self.rights_until is not None and self.rights_until < timezone.localdate()

    # The renditions, as `photos.renditions.generate` recorded them (see its docstring for the
    # shape). Read from the JSON alone: a gallery of twelve photos costs no query per image.

    @property
    def has_renditions(self) -> bool:
        """Whether the renditions of the current file exist (a page shows no photo without)."""
        return bool(self.renditions.get("widths")) and self.renditions.get("source") == (
            self.file.name
        )

    @property
    def rendition_widths(self) -> list[dict]:
        """The width renditions, narrowest first, each with its "url"s added."""
        if not self.has_renditions:
            return []
        return [
            {
                **entry,
                "webp_url": self.rendition_url(entry["webp"]),
                "jpeg_url": self.rendition_url(entry["jpeg"]),
            }
            for entry in self.renditions["widths"]
        ]

    def srcset(self, fmt: str = "jpeg") -> str:
        """`<url> 480w, <url> 960w, …` of the renditions in `fmt` ("webp" or "jpeg")."""
        if not self.has_renditions:
            return ""
        return ", ".join(
            f"{self.rendition_url(entry[fmt])} {entry['width']}w"
            for entry in self.renditions["widths"]
        )

    def middle_rendition(self) -> dict | None:
        """The rendition an `<img src>` names: 960 px wide, or the widest narrower one."""
        widths = self.renditions.get("widths") if self.has_renditions else None
        if not widths:
            return None
        fitting = [entry for entry in widths if entry["width"] <= MIDDLE_WIDTH]
        return fitting[-1] if fitting else widths[0]

    @property
    def src(self) -> str:
        """The URL of the middle JPEG rendition, for `<img src>`; "" without renditions."""
        middle = self.middle_rendition()
        return self.rendition_url(middle["jpeg"]) if middle else ""

    @property
    def src_width(self) -> int:
        middle = self.middle_rendition()
        return middle["width"] if middle else 0

    @property
    def src_height(self) -> int:
        middle = self.middle_rendition()
        return middle["height"] if middle else 0

    @property
    def social(self) -> dict | None:
        """The 1200×630 crop for link previews (og:image), with its "url"; None without."""
        social = self.renditions.get("social") if self.has_renditions else None
        return {**social, "url": self.rendition_url(social["name"])} if social else None

    @property
    def download(self) -> dict | None:
        """The full-size JPEG with credit and licence in its metadata, with its "url"."""
        download = self.renditions.get("download") if self.has_renditions else None
        return {**download, "url": self.rendition_url(download["name"])} if download else None

    def rendition_url(self, name: str) -> str:
        """The public address of a rendition file (the view checks who may have it)."""
        return reverse("photos:file", kwargs={"name": PurePosixPath(name).name})


class PhotoTranslation(Translation):
    """A photo's caption and alternative text in another language."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="translations")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)

    fields = ("caption", "alt_text")

    class Meta:
        verbose_name = _("photo translation")
        verbose_name_plural = _("photo translations")
        constraints = [
            models.UniqueConstraint(fields=["photo", "language"], name="photo_translation_once")
        ]
