""" "Download all": one zip of the downloads of a set of photos, with a credits.txt.

A zip is built once for what it holds (the caller's `key`, e.g. a release's version, and each
photo's download as it is now) and kept in the protected storage; the next request sends the
same file. A changed photo makes new renditions under new names, so its zips are new ones too.
"""

import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Sequence

from django.core.files import File
from django.utils.translation import gettext as _

from newsroom.protected_files import protected_storage

from .gallery import download_name, pixels
from .models import Photo

ZIP_DIRECTORY = f"{Photo._meta.app_label}/zips"
CHUNK = 1024 * 1024


def zip_name(key: str, photos: Sequence[Photo], title: str, language: str) -> str:
    """The stored name of the zip of `photos` for `key`: the same while nothing in it changes
    (a photo's new texts make a new download, under a new name)."""
    held = [f"{photo.pk}:{photo.renditions['download']['name']}" for photo in photos]
    parts = [key, title, language, *held]
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"{ZIP_DIRECTORY}/{digest}.zip"


def credits_text(photos: Sequence[Photo], title: str) -> str:
    """Who took each photo and how it may be used, in the page's language."""
    lines = [title, "=" * len(title), ""]
    for photo in photos:
        local = photo.localized
        download = photo.renditions["download"]
        lines.append(download_name(photo))
        if local.caption:
            lines.append(f"  {_('Caption')}: {local.caption}")
        if photo.credit:
            lines.append(f"  {_('Photo:')} {photo.credit}")
        lines.append(f"  {_('Licence')}: {photo.get_licence_display()}")
        if photo.rights_until:
            lines.append(f"  {_('May be used until')}: {photo.rights_until:%d.%m.%Y}")
        lines.append(f"  {pixels(download['width'], download['height'])}")
        lines.append("")
    return "\n".join(lines)


def photos_zip(key: str, photos: Sequence[Photo], title: str, language: str) -> str:
    """The stored name of the zip of the downloads of `photos` (each with its download), built
    now if it does not exist yet."""
    storage = protected_storage()
    name = zip_name(key, photos, title, language)
    if storage.exists(name):
        return name
    # Built in a temporary file, each photo copied in chunks: a dozen print-size photos are
    # never in memory at once.
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            # JPEGs are compressed already: stored as they are, the zip is built at disk speed.
            for photo in photos:
                with (
                    storage.open(photo.renditions["download"]["name"], "rb") as source,
                    archive.open(download_name(photo), "w", force_zip64=True) as target,
                ):
                    shutil.copyfileobj(source, target, CHUNK)
            archive.writestr("credits.txt", credits_text(photos, title), zipfile.ZIP_DEFLATED)
        buffer.seek(0)
        # Two requests may build it at once: each writes its own file, the name stays the first's.
        saved = storage.save(name, File(buffer))
    if saved != name:
        storage.delete(saved)
    return name
