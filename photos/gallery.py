"""What a gallery shows of a photo: its renditions as `srcset`s, its texts, its download.

The addresses come from one function (`url`), so that the same gallery serves the public page
(`photos:file`) and an embargo link's page (the link's own addresses, valid while it is).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models import FilteredRelation, Q
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _

from newsroom.translations import adopt_related, page_language, source_language

from .models import LICENCE_URLS, Photo


def basename(name: str) -> str:
    return PurePosixPath(name).name


def licence_url(photo: Photo, language: str) -> str:
    """The licence's deed for a Creative Commons photo, in the page's language; else ""."""
    url = LICENCE_URLS.get(photo.licence)
    return f"{url}deed.{'en' if language.startswith('en') else 'de'}" if url else ""


def file_size(size: int) -> str:
    """ "6,2 MB" on a German page, "6.2 MB" on an English one (decimal units, as on a disk)."""
    if size >= 1_000_000:
        return f"{number_format(size / 1_000_000, 1)} MB"
    return f"{number_format(max(1, round(size / 1000)), 0)} kB"


def pixels(width: int, height: int) -> str:
    """ "4.000 × 2.667 px" on a German page, "4,000 × 2,667 px" on an English one."""
    grouped = [number_format(value, force_grouping=True) for value in (width, height)]
    return f"{grouped[0]} × {grouped[1]} px"


def download_name(photo: Photo) -> str:
    """The name a download is saved under: office, number and caption, e.g.
    "smwa-12-ministerin-besucht-werk.jpg"."""
    office = slugify(photo.office.short_name or photo.office.slug)[:20]
    caption = slugify(photo.caption)[:50].strip("-")
    return "-".join(part for part in (office, str(photo.pk), caption) if part) + ".jpg"


def with_photos(uses):
    """`uses` (image rows: a release's, an appointment's) with each photo and its translation
    into the page's language in the same query; `photos_of` hands them over."""
    uses = uses.select_related("photo")
    language = page_language()
    if language == source_language():
        return uses
    # The photo's translation (the image row has none of its own).
    translation = FilteredRelation(
        "photo__translations", condition=Q(photo__translations__language=language)
    )
    return uses.annotate(photo_translation=translation).select_related("photo_translation")


def photos_of(uses) -> list[Photo]:
    """The photos of image rows loaded `with_photos`, in their order, each with its text in the
    page's language (`photo.localized`)."""
    uses = list(uses)
    adopt_related(uses, "photo")
    return [use.photo for use in uses]


def shown(photos: Iterable[Photo]) -> list[Photo]:
    """The photos a public page may show: in rights, with renditions."""
    return [photo for photo in photos if photo.has_renditions and not photo.rights_expired]


@dataclass
class GalleryPhoto:
    """One photo of a gallery, with every address it needs (`url(storage name)`)."""

    photo: Photo
    url: Callable[[str], str]
    # The photo's own page (None where it is not public yet: an embargo link's page).
    page_url: str | None = None

    @property
    def localized(self):
        return self.photo.localized

    def srcset(self, fmt: str) -> str:
        return ", ".join(
            f"{self.url(entry[fmt])} {entry['width']}w" for entry in self.photo.renditions["widths"]
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def middle(self) -> dict:
        return self.photo.middle_rendition()

    @property
    def src(self) -> str:
        return self.url(self.middle["jpeg"])

    @property
    def width(self) -> int:
        return self.middle["width"]

    @property
    def height(self) -> int:
        return self.middle["height"]

    @property
    def download(self) -> dict | None:
        download = self.photo.renditions.get("download")
        return {**download, "url": self.url(download["name"])} if download else None

    @property
    def social(self) -> dict:
        """The crop for link previews (og:image), with its "url"; the middle one without."""
        social = self.photo.renditions.get("social") or {"name": self.middle["jpeg"], **self.middle}
        return {**social, "url": self.url(social["name"])}

    @property
    def download_facts(self) -> str:
        """ "JPEG, 6,2 MB, 4.000 × 2.667 px" (in the page's number format)."""
        download = self.download
        size = pixels(download["width"], download["height"])
        return f"JPEG, {file_size(download['size'])}, {size}"

    @property
    def download_label(self) -> str:
        """ "Download the photo in print quality (JPEG, 6,2 MB, 4.000 × 2.667 px)"."""
        return format_html(
            '{} <span class="photo-download__facts">({})</span>',
            _("Download the photo in print quality"),
            self.download_facts,
        )


def gallery(photos: Iterable[Photo], url=None, *, linked: bool = True) -> list[GalleryPhoto]:
    """The gallery items of the `photos` a page may show; `url` makes a file's address (default:
    the public one), `linked`: each links its photo page."""
    return [
        GalleryPhoto(
            photo,
            url or photo.rendition_url,
            photo.get_absolute_url() if linked else None,
        )
        for photo in shown(photos)
    ]
