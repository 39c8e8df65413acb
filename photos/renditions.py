"""The renditions of a press photo, made once from the uploaded original with Pillow.

`generate(photo)` reads the original from the protected storage and writes, under
`photos/renditions/` with new random names:

- web sizes (`WIDTHS`, never wider than the original) as WebP (alpha kept) and progressive JPEG;
- a 1200×630 JPEG for link previews, cropped around the photo's focus point;
- the full-size download, a JPEG that carries the credit, licence and caption (EXIF Artist,
  Copyright, ImageDescription and an XMP packet with the IPTC Core fields) and nothing else.

Every rendition is upright (EXIF orientation applied), in sRGB and 8 bits per channel, and carries
no metadata of the upload: no GPS position, camera serial or embedded thumbnail. It then records
in `photo.renditions`:

    {"source": <photo.file.name>, "made_from": <fingerprint of what the files show>,
     "widths": [{"width", "height", "webp", "jpeg", "webp_size", "jpeg_size"}, …],  # ascending
     "social": {"name", "width", "height", "size"},
     "download": {"name", "width", "height", "size", "content_type"}}

A file Pillow cannot read, or one with more pixels than NEWSROOM_MAX_IMAGE_PIXELS, gets
`{"source": …, "made_from": …, "error": <why>}` and no files: pages do not show it, the admin can
say why.
"""

import hashlib
import io
import logging
import secrets
import unicodedata
import warnings
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from PIL import Image, ImageCms, ImageOps

from newsroom.cache import content_changed
from newsroom.protected_files import protected_storage

from .models import LICENCE_URLS, Licence, Photo

logger = logging.getLogger(__name__)

RENDITION_DIRECTORY = "photos/renditions"
# Web sizes: a phone (480), a phone at 1.75× (720), a tablet or the column on a 2× screen (960),
# a wide screen (1600).
WIDTHS = (480, 720, 960, 1600)
SOCIAL_SIZE = (1200, 630)  # what Open Graph and Twitter cards display without cropping
WEB_JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEB_WEBP = {"quality": 80}
DOWNLOAD_JPEG = {"quality": 92, "optimize": True, "progressive": True, "subsampling": 0}
BACKGROUND = (255, 255, 255)  # what transparent parts become in a JPEG

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class UnusableImage(Exception):
    """The original cannot be made into renditions (not an image, too many pixels, broken)."""


# What the files show, besides the pixels: a change of any of these makes new renditions.


def fingerprint(photo: Photo) -> str:
    parts = [photo.file.name, photo.credit, photo.licence, photo.caption, photo.alt_text]
    parts += [str(photo.focus_x), str(photo.focus_y)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def is_current(photo: Photo) -> bool:
    """Whether `photo.renditions` were made from the photo as it is (or failed on it)."""
    return photo.renditions.get("made_from") == fingerprint(photo)


def rendition_names(renditions: dict) -> list[str]:
    """Every file a `photo.renditions` record names (the sizes, the social crop, the download)."""
    names = [
        name for entry in renditions.get("widths", []) for name in (entry["webp"], entry["jpeg"])
    ]
    names += [renditions[part]["name"] for part in ("social", "download") if part in renditions]
    return names


def delete_files(names: list[str]) -> None:
    storage = protected_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the rendition %s.", name, exc_info=True)


# Reading the original.


def _open(file) -> Image.Image:
    """Open the original's first frame, refusing what has too many pixels before decoding it."""
    with warnings.catch_warnings():
        # Above Pillow's own limit it warns (and at twice the limit refuses): ours is the rule.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(file)
    width, height = image.size
    if width * height > settings.NEWSROOM_MAX_IMAGE_PIXELS:
        raise UnusableImage(f"{width}×{height} pixels is more than NEWSROOM_MAX_IMAGE_PIXELS")
    image.seek(0)  # the first frame of an animated GIF or WebP
    return image


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The decoded image, upright, as 8-bit RGB or RGBA in sRGB, without any of its metadata.

    Decoded at full size: the download is. `Image.draft` (a JPEG decoded at 1/2 to 1/8 scale)
    would spare work only for the web sizes, which are reduced from this one decode instead.
    """
    image.load()
    # In place: a 40-megapixel original is in memory once, not twice.
    ImageOps.exif_transpose(image, in_place=True)
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # Pillow's own conversion to 8 bits clips 16-bit values instead of scaling them.
        top = 65535 if mode.startswith("I;16") else max(image.getextrema()[1], 255)
        image = image.convert("I").point(lambda value: value * (255 / top)).convert("L")
    elif mode in ("P", "PA", "LA", "La", "RGBa"):
        # Palette (GIF, PNG-8): its transparent colour becomes alpha.
        image = image.convert("RGBA" if mode != "P" or "transparency" in image.info else "RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel that hides nothing only costs bytes
    target = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken or unusual profile: the plain conversion below is the best guess.
            logger.info("Ignoring an unusable colour profile.", exc_info=True)
    if image.mode != target:
        # CMYK (Adobe's inverted CMYK is undone by Pillow when reading), L, 1, YCbCr, LAB…
        image = image.convert(target)
    image.info = {}
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """A JPEG has no transparency: transparent parts become white, not black."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# Metadata of the download (IPTC Photo Metadata Standard, XMP and EXIF mappings).


SPELLED_OUT = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "©": "(c)",
        "–": "-",
    }
)


def _ascii(text: str) -> str:
    """EXIF text fields are ASCII: "Müller" becomes "Mueller" (Pillow would write "M?ller"),
    "José" "Jose"; the XMP packet has the text as it is."""
    decomposed = unicodedata.normalize("NFKD", text.translate(SPELLED_OUT))
    return decomposed.encode("ascii", "ignore").decode()


def _copyright(photo: Photo) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        licence = str(photo.get_licence_display())
    return f"© {photo.credit} – {licence}" if photo.credit else licence


def _captions(photo: Photo) -> dict[str, str]:
    """The caption by language: the site's language first, then the translations."""
    captions = {settings.LANGUAGE_CODE: photo.caption}
    captions |= {row.language: row.caption for row in photo.translations.all() if row.caption}
    return {language: text for language, text in captions.items() if text}


def _alt(texts: dict[str, str]) -> str:
    """An XMP language alternative: x-default (the site's language) and each language."""
    items = []
    for number, (language, text) in enumerate(texts.items()):
        if number == 0:
            items.append(f'<rdf:li xml:lang="x-default">{escape(text)}</rdf:li>')
        items.append(f'<rdf:li xml:lang="{escape(language)}">{escape(text)}</rdf:li>')
    return f"<rdf:Alt>{''.join(items)}</rdf:Alt>"


def xmp_packet(photo: Photo) -> bytes:
    """The XMP packet of the download: creator, credit line, copyright notice, usage terms,
    licence URL, caption and alternative text, as the IPTC Photo Metadata Standard maps them."""
    usage = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            usage[code] = str(photo.get_licence_display())
    usage = {settings.LANGUAGE_CODE: usage.pop(settings.LANGUAGE_CODE, ""), **usage}
    fields = [
        f"<xmpRights:UsageTerms>{_alt(usage)}</xmpRights:UsageTerms>",
        f"<dc:rights>{_alt({settings.LANGUAGE_CODE: _copyright(photo)})}</dc:rights>",
        # Public domain (CC0) is not "rights-managed"; everything else is.
        f"<xmpRights:Marked>{'False' if photo.licence == Licence.CC0 else 'True'}"
        "</xmpRights:Marked>",
    ]
    if photo.credit:
        fields.insert(
            0,
            f"<dc:creator><rdf:Seq><rdf:li>{escape(photo.credit)}</rdf:li></rdf:Seq></dc:creator>",
        )
        fields.insert(1, f"<photoshop:Credit>{escape(photo.credit)}</photoshop:Credit>")
    if url := LICENCE_URLS.get(photo.licence):
        fields.append(f"<xmpRights:WebStatement>{escape(url)}</xmpRights:WebStatement>")
    if captions := _captions(photo):
        fields.append(f"<dc:description>{_alt(captions)}</dc:description>")
    if photo.alt_text:
        alt_text = _alt({settings.LANGUAGE_CODE: photo.alt_text})
        fields.append(
            f"<Iptc4xmpCore:AltTextAccessibility>{alt_text}</Iptc4xmpCore:AltTextAccessibility>"
        )
    body = "\n    ".join(fields)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"\n'
        '    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"\n'
        '    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">\n'
        f"    {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def download_exif(photo: Photo) -> Image.Exif:
    """EXIF of the download: who made it, under what terms, what it shows; nothing else."""
    exif = Image.Exif()
    if photo.credit:
        exif[0x013B] = _ascii(photo.credit)  # Artist
    exif[0x8298] = _ascii(_copyright(photo))  # Copyright
    if photo.caption:
        exif[0x010E] = _ascii(photo.caption)  # ImageDescription
    return exif


# The renditions.


def _name(label: str, extension: str) -> str:
    return f"{RENDITION_DIRECTORY}/{secrets.token_urlsafe(24)}-{label}.{extension}"


def social_box(size: tuple[int, int], focus: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest 1200:630 box in an image of `size`, centred on the focus point as far as the
    edges allow."""
    width, height = size
    ratio = SOCIAL_SIZE[0] / SOCIAL_SIZE[1]
    box_width, box_height = min(width, round(height * ratio)), min(height, round(width / ratio))
    left = round(width * focus[0] / 100 - box_width / 2)
    top = round(height * focus[1] / 100 - box_height / 2)
    left = min(max(left, 0), width - box_width)
    top = min(max(top, 0), height - box_height)
    return left, top, left + box_width, top + box_height


class Part(NamedTuple):
    """One rendition, encoded: `kind` is "download", "social" or "web"."""

    kind: str
    extension: str
    content: bytes
    width: int
    height: int


def encode(photo: Photo, image: Image.Image) -> list[Part]:
    """The renditions of the upright sRGB `image` with the texts of `photo`, encoded (nothing
    written): the download, the social crop, then each web size widest first, WebP before JPEG."""
    # The download first: the only rendition at full size.
    full = _flatten(image)
    content = _encode(
        full, "JPEG", **DOWNLOAD_JPEG, exif=download_exif(photo), xmp=xmp_packet(photo)
    )
    parts = [Part("download", "jpg", content, full.width, full.height)]
    del full

    # The social crop, from the full image: a small focus region keeps all its detail.
    box = social_box(image.size, (photo.focus_x, photo.focus_y))
    crop = _flatten(image.crop(box))
    if crop.width > SOCIAL_SIZE[0]:
        crop = crop.resize(SOCIAL_SIZE, Image.Resampling.LANCZOS, reducing_gap=3.0)
    parts.append(Part("social", "jpg", _encode(crop, "JPEG", **WEB_JPEG), *crop.size))
    del crop

    # Web sizes, widest first, each from the one before (much faster than from the original).
    wanted = [width for width in WIDTHS if width <= image.width] or [image.width]
    current = image
    for width in sorted(wanted, reverse=True):
        height = max(1, round(image.height * width / image.width))
        if current.width != width:
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        parts.append(Part("web", "webp", _encode(current, "WEBP", **WEB_WEBP), width, height))
        jpeg = _encode(_flatten(current), "JPEG", **WEB_JPEG)
        parts.append(Part("web", "jpg", jpeg, width, height))
    return parts


def _store(parts: list[Part], written: list[str]) -> dict:
    """Write the encoded `parts` under new names, appending each name to `written`; returns the
    record of them (without "source" and "made_from")."""
    storage = protected_storage()
    record: dict = {"widths": []}
    for part in parts:
        label = f"{part.width}x{part.height}" if part.kind == "social" else str(part.width)
        name = storage.save(_name(label, part.extension), ContentFile(part.content))
        written.append(name)
        size = len(part.content)
        if part.kind in ("download", "social"):
            record[part.kind] = {
                "name": name,
                "width": part.width,
                "height": part.height,
                "size": size,
            }
            if part.kind == "download":
                record["download"]["content_type"] = "image/jpeg"
        elif part.extension == "webp":
            record["widths"].append(
                {"width": part.width, "height": part.height, "webp": name, "webp_size": size}
            )
        else:
            record["widths"][-1] |= {"jpeg": name, "jpeg_size": size}
    record["widths"].reverse()  # ascending
    return record


def _decode(photo: Photo) -> Image.Image:
    try:
        with photo.file.storage.open(photo.file.name, "rb") as file:
            return _upright_srgb(_open(file))
    except UnusableImage:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError) as broken:
        # Not an image, truncated, or a format Pillow reads but cannot decode.
        raise UnusableImage(str(broken) or type(broken).__name__) from broken


def generate(photo: Photo) -> dict:
    """Make the renditions of `photo` and record them; returns what was recorded.

    Writes with a conditional `update()` (no `save()`, no signals): if the photo's file or text
    changed meanwhile, that change's own run records its renditions and this one's are deleted.
    The previous renditions are deleted once the new record is committed.
    """
    made_from = fingerprint(photo)
    written: list[str] = []
    try:
        parts = encode(photo, _decode(photo))
        renditions = _store(parts, written)
        del parts
    except UnusableImage as unusable:
        logger.warning("No renditions for photo %s: %s", photo.pk, unusable)
        delete_files(written)
        renditions = {"error": str(unusable)}
    except Exception:
        delete_files(written)
        raise
    renditions = {"source": photo.file.name, "made_from": made_from, **renditions}
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if current is None or fingerprint(current) != made_from:
            transaction.on_commit(lambda: delete_files(written))
            return {}
        old = rendition_names(current.renditions)
        Photo.objects.filter(pk=photo.pk).update(renditions=renditions)
        transaction.on_commit(lambda: delete_files(old))
        current.renditions = renditions
        # Pages that skipped the photo while it had no renditions now show it.
        content_changed(current)
    photo.renditions = renditions
    return renditions
