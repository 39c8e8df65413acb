"""Export every record and file of the newsroom to one ZIP archive, and restore it.

The archive holds `content.json` (Django's JSON serialisation with natural keys for users,
groups and permissions, plus a manifest of files with SHA-256 checksums) and the files
themselves under `files/<storage>/<name>`. Restoring checks every checksum before anything is
written, and goes into an empty database only. The archive contains password hashes and
personal data: store it like the database itself.
"""

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.color import no_style
from django.db import connection, transaction

FORMAT_VERSION = 1

# In dependency order, so that restoring meets every referenced row first.
MODELS = [
    "auth.Group",
    get_user_model()._meta.label,
    "contacts.Organisation",
    "contacts.Contact",
    "publications.Series",
    "publications.Publication",
    "releases.Topic",
    "releases.Release",
    "releases.ReleaseContact",
    "releases.ReleaseLink",
    "releases.ReleaseImage",
    "releases.Correction",
    "releases.OldSlug",
    "releases.Revision",
    "releases.ReleaseEvent",
    "releases.PreviewLink",
    "releases.PreviewAccess",
]
# (model label, file field, storage alias)
FILE_FIELDS = [
    ("contacts.Organisation", "logo", "default"),
    ("contacts.Contact", "photo", "default"),
    ("publications.Publication", "file", "documents"),
    ("publications.Publication", "cover", "default"),
    ("releases.ReleaseImage", "file", "default"),
]


class ArchiveError(Exception):
    """The archive cannot be restored (damaged, wrong format, or the database is not empty)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model(label: str):
    return apps.get_model(label)


def export_archive(path, log=lambda message: None) -> dict:
    """Write the archive to `path`; return the counts per model."""
    counts, files = {}, []
    objects = []
    for label in MODELS:
        queryset = model(label).objects.order_by("pk")
        counts[label] = queryset.count()
        objects.extend(
            json.loads(
                serializers.serialize(
                    "json",
                    queryset,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=label == "auth.Group",
                )
            )
        )
        log(f"{label}: {counts[label]}")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for label, field, alias in FILE_FIELDS:
            storage = storages[alias]
            names = model(label).objects.exclude(**{field: ""}).values_list(field, flat=True)
            for name in sorted(set(names)):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                files.append(
                    {"storage": alias, "name": name, "size": len(data), "sha256": sha256(data)}
                )
                archive.writestr(f"files/{alias}/{name}", data)
        manifest = {
            "format": FORMAT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "counts": counts,
            "files": files,
            "objects": objects,
        }
        archive.writestr("content.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    log(f"files: {len(files)}")
    return counts


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("content.json"))
    except (KeyError, ValueError) as error:
        raise ArchiveError("content.json is missing or not JSON.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise ArchiveError(f"Unknown archive format {manifest.get('format')!r}.")
    return manifest


def _checked_files(archive: zipfile.ZipFile, manifest: dict) -> list[tuple[str, str, bytes]]:
    checked = []
    for entry in manifest["files"]:
        name = entry["name"]
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise ArchiveError(f"Unsafe file name in the archive: {name}")
        try:
            data = archive.read(f"files/{entry['storage']}/{name}")
        except KeyError as error:
            raise ArchiveError(f"File missing from the archive: {name}") from error
        if sha256(data) != entry["sha256"]:
            raise ArchiveError(f"Checksum mismatch, the archive is damaged: {name}")
        checked.append((entry["storage"], name, data))
    return checked


def import_archive(path, log=lambda message: None) -> dict:
    """Restore the archive at `path` into this (empty) database and its storages."""
    release_model = model("releases.Release")
    if release_model.objects.exists() or model("contacts.Organisation").objects.exists():
        raise ArchiveError("The database already holds content; restore into an empty one.")
    with zipfile.ZipFile(path) as archive:
        manifest = _read_manifest(archive)
        files = _checked_files(archive, manifest)
    with transaction.atomic():
        # Groups made by the data migrations are replaced by the archived ones.
        model("auth.Group").objects.all().delete()
        objects = serializers.deserialize(
            "json", json.dumps(manifest["objects"]), handle_forward_references=True
        )
        saved = []
        for item in objects:
            item.save()
            saved.append(item)
        for item in saved:
            if item.deferred_fields:
                item.save_deferred_fields()
        # Explicit primary keys leave PostgreSQL's sequences behind; move them on.
        tables = [model(label) for label in MODELS]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(sql)
    for alias, name, data in files:
        storage = storages[alias]
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, ContentFile(data))
        if stored != name:
            raise ArchiveError(f"The storage renamed {name} to {stored}.")
    from releases.search import update_search_vector

    for release in release_model.objects.all():
        update_search_vector(release)
    counts = {label: model(label).objects.count() for label in MODELS}
    for label, count in counts.items():
        log(f"{label}: {count}")
    log(f"files: {len(files)}")
    return counts
