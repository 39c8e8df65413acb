"""Back up everything the site holds to one ZIP archive, and restore it all or nothing.

An archive (format version 2) holds:

    manifest.json           format and version, the applied migrations, and for every member
                            below its size and SHA-256
    manifest.hmac           HMAC-SHA256 of manifest.json under the backup key
    content/<model>.jsonl   one record per line (Django's "python" serialisation with natural
                            keys for users, groups, permissions and content types), datetimes
                            to the microsecond
    files.jsonl             one line per file: storage alias, name, size, SHA-256
    files/<alias>/<name>    the files

The HMAC covers the manifest, the manifest covers every member's checksum and `files.jsonl`
every file's, so changing any byte without the key is detected. Everything is streamed:
records are read and written one at a time, files in chunks.

What is archived is derived, not listed: every model of the project's own apps, users, groups
and the admin log; every file field of those models with its storage; and the images the
rich-text editor uploaded (files without a model, under `editor/` in the default storage).
Models of installed apps that are deliberately left out are in EXCLUDE, each with its reason.

Restoring checks the signature, every checksum, every file name and every file's content (like
an upload) before writing anything; files are staged in a temporary directory, the database is
written in one transaction, and the files are moved into their storages before it commits. On
any error the transaction is rolled back and the files already moved are removed again.
"""

import hashlib
import hmac
import json
import os
import tempfile
import zipfile
import zlib
from collections import defaultdict
from datetime import UTC, datetime, time
from itertools import islice
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils.crypto import salted_hmac
from PIL import Image

from .editor_uploads import EXTENSIONS as EDITOR_IMAGE_FORMATS
from .richtext import RichTextField, sanitise_html
from .uploads import IMAGE_VALIDATORS

FORMAT = "newsroom-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.hmac"
FILE_LIST = "files.jsonl"
# Images uploaded through the rich-text editor: files that no model row points to.
EDITOR_DIRECTORY = "editor"
CHUNK_SIZE = 1024 * 1024
BATCH_SIZE = 500
MAX_MANIFEST_BYTES = 4 * 1024 * 1024

# Site data kept by installed apps other than the project's own (which are archived whole):
# groups (users come from AUTH_USER_MODEL), the admin log, and the second factors, without which
# no lead or superuser could sign in after a restore. Labels of apps not installed are skipped.
INCLUDE = [
    "auth.Group",
    "admin.LogEntry",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "otp_static.StaticToken",
    "django_otp_webauthn.WebAuthnCredential",
    "django_otp_webauthn.WebAuthnAttestation",
    "django_otp_webauthn.WebAuthnUserHandle",
]
# Installed models that are not archived, and why. A test fails for any model that is neither
# archived nor named here, so a new dependency's tables are never left out silently.
EXCLUDE = {
    "contenttypes.ContentType": "made by migrate; the archive names content types by natural key",
    "auth.Permission": "made by migrate; the archive names permissions by natural key",
    "sessions.Session": "sign-ins, not content: restored sessions would sign people in again",
    "axes.AccessAttempt": "login throttling counters: short-lived and keyed by IP address",
    "axes.AccessAttemptExpiration": "expiry times of the login throttling counters",
    "axes.AccessFailureLog": "failed sign-ins with IP addresses: security logs, not site data",
    "axes.AccessLog": "sign-ins with IP addresses: security logs, not site data",
    "django_tasks_database.DBTaskResult": (
        "the task queue: publish_due and send_alerts rebuild what is due from releases and "
        "mailings, and a restored 'running' task would never finish"
    ),
}


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message is one line for the operator."""


# --- what the apps tell the archive (from their AppConfig.ready; `newsroom` imports no app) ---

# Document file field -> check(file), which raises ValidationError for a file its upload refuses.
DOCUMENT_CHECKS = {}
# Run after the rows are restored, inside the restoring transaction: what saving raw skipped.
RESTORE_STEPS = []


def register_document_check(check, *fields) -> None:
    """Restoring checks every file of `fields` (file fields that are not image fields) with
    `check(file)`, as their upload was checked."""
    for field in fields:
        DOCUMENT_CHECKS[field] = check


# Model -> names(fields) -> [(storage alias, name)]: files a row names outside its file fields
# (a photo's renditions, listed in a JSON field). They are archived with the rows and, on a
# restore, checked as images are.
NAMED_FILES = {}
# What `referenced_files` records for such a file instead of a file field.
NAMED_IMAGE = "named image"


def register_named_files(model, names) -> None:
    """Archive the files `names(fields)` lists for each row of `model` (`fields`: the row's
    field values as the archive stores them), as images."""
    NAMED_FILES[model] = names


def register_restore_step(step) -> None:
    """`step()` runs once the rows are restored, before the transaction commits (e.g. to rebuild
    a search index that is no model)."""
    RESTORE_STEPS.append(step)


# --- what is archived -------------------------------------------------------------------------


def is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in (
        path.parts
    )


def archived_models() -> list:
    """Every model whose rows the archive holds, each after the models its natural keys need."""
    chosen = [get_user_model()]
    for label in INCLUDE:
        try:
            chosen.append(apps.get_model(label))
        except LookupError:
            continue
    for app_config in apps.get_app_configs():
        if is_project_app(app_config):
            chosen.extend(app_config.get_models())
    chosen = [
        model
        for model in dict.fromkeys(chosen)
        if model._meta.label not in EXCLUDE and not model._meta.proxy
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def file_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def storage_alias(field) -> str:
    """The STORAGES alias of a file field's storage."""
    storage = field.storage
    if getattr(field, "_storage_callable", None) is not None:
        storage = field._storage_callable()
    if storage is default_storage:
        return "default"
    for alias in settings.STORAGES:
        if storages[alias] is storage:
            return alias
    raise ArchiveError(f"{field} keeps its files in a storage that is not in STORAGES.")


def allowed_storages() -> set[str]:
    """The storages an archive may write to: those of the models' file fields, and the default
    one for the editor's images. Never `staticfiles`, which is built from the code."""
    aliases = {"default"}
    for model in archived_models():
        aliases.update(storage_alias(field) for field in file_fields(model))
    return aliases - {"staticfiles"}


# --- the key ----------------------------------------------------------------------------------


def backup_key_is_derived() -> bool:
    return not getattr(settings, "NEWSROOM_BACKUP_KEY", "")


def backup_key() -> bytes:
    """NEWSROOM_BACKUP_KEY; in development, when it is unset, a key derived from SECRET_KEY."""
    key = getattr(settings, "NEWSROOM_BACKUP_KEY", "")
    if key:
        if len(key) < 32:
            raise ArchiveError("NEWSROOM_BACKUP_KEY is too short: use 32+ random characters.")
        return key.encode()
    if getattr(settings, "PRODUCTION", False):
        raise ArchiveError("Set NEWSROOM_BACKUP_KEY (32+ random characters) to use backups.")
    return salted_hmac(
        "newsroom.archive", "backup key", secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()


def sign(data: bytes, key: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


# --- writing ----------------------------------------------------------------------------------


class FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def natural_relations(model, depth: int = 1) -> list[str]:
    """The foreign keys of `model` that are written as natural keys, and (to `depth`) those
    the natural keys read in turn: a permission's is its codename and its content type's."""
    names = []
    for field in model._meta.concrete_fields:
        if field.is_relation and hasattr(field.related_model, "natural_key"):
            names.append(field.name)
            if depth:
                inner = natural_relations(field.related_model, depth - 1)
                names += [f"{field.name}__{name}" for name in inner]
    return names


def for_backup(model):
    """The model's rows in pk order, with what their serialisation reads of other rows (natural
    keys, many-to-many ids) fetched for a whole batch: an archive of 100,000 releases and their
    log entries would otherwise ask for each author's username once per record."""
    queryset = with_related(model._base_manager.order_by("pk"), natural_relations(model))
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            target = field.related_model
            if hasattr(target, "natural_key"):
                related = with_related(target._base_manager.all(), natural_relations(target))
            else:
                related = target._base_manager.only("pk")
            queryset = queryset.prefetch_related(Prefetch(field.name, queryset=related))
    return queryset


def with_related(queryset, names: list[str]):
    # select_related() without names would join every foreign key: each record would carry a
    # copy of its release (text and all) through the batch.
    return queryset.select_related(*names) if names else queryset


def records(model):
    """The model's rows in the "python" serialisation, read from the database in batches."""
    queryset = for_backup(model)
    for batch in batched(queryset.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
        yield from serializers.serialize("python", batch, use_natural_foreign_keys=True)


class HashingWriter:
    """Writes one archive member and keeps its size and SHA-256."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.stream = archive.open(name, "w", force_zip64=True)
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes):
        self.stream.write(data)
        self.hash.update(data)
        self.size += len(data)

    def close(self) -> dict:
        self.stream.close()
        return {"size": self.size, "sha256": self.hash.hexdigest()}


def walk(storage, directory: str):
    """Every file name under `directory` of `storage`, sorted; nothing if it does not exist."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for name in sorted(directories):
        yield from walk(storage, f"{directory}/{name}")


def file_names(archived: list):
    """(alias, name) of every file the site holds, in a stable order."""
    for model in archived:
        for field in file_fields(model):
            alias = storage_alias(field)
            names = (
                model._base_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .order_by(field.name)
                .values_list(field.name, flat=True)
                .distinct()
            )
            for name in names.iterator(chunk_size=BATCH_SIZE):
                yield alias, name
    for name in walk(storages["default"], EDITOR_DIRECTORY):
        yield "default", name
    for model, names in NAMED_FILES.items():
        if model in archived:
            for fields in model._base_manager.order_by("pk").values().iterator(BATCH_SIZE):
                yield from names(fields)


def applied_migrations() -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def export_archive(path, log=lambda message: None) -> dict:
    """Write the archive to `path` (through a temporary file beside it); return row counts."""
    key = backup_key()
    path = Path(path)
    partial = path.with_name(f".{path.name}.part")
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # One snapshot of every table, however long the export takes.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            counts = _write(partial, key, log)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _write(path: Path, key: bytes, log) -> dict:
    archived = archived_models()
    content, counts = [], {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in archived:
            label = model._meta.label_lower
            writer, rows = HashingWriter(archive, f"content/{label}.jsonl"), 0
            for record in records(model):
                line = json.dumps(record, cls=FullPrecisionEncoder, ensure_ascii=False)
                writer.write(line.encode() + b"\n")
                rows += 1
            content.append({"model": label, "rows": rows, **writer.close()})
            counts[model._meta.label] = rows
            log(f"{model._meta.label}: {rows}")
        # The file list is known only once the files are written: it waits on disk, not in memory.
        seen, total = set(), 0
        with tempfile.TemporaryFile() as file_list:
            for alias, name in file_names(archived):
                if (alias, name) in seen:
                    continue
                seen.add((alias, name))
                try:
                    source = storages[alias].open(name, "rb")
                except FileNotFoundError:
                    log(f"Missing file, not archived: {alias}/{name}")
                    continue
                writer = HashingWriter(archive, f"files/{alias}/{name}")
                with source:
                    while chunk := source.read(CHUNK_SIZE):
                        writer.write(chunk)
                entry = {"storage": alias, "name": name, **writer.close()}
                file_list.write(json.dumps(entry, ensure_ascii=False).encode() + b"\n")
                total += 1
            file_list.seek(0)
            writer = HashingWriter(archive, FILE_LIST)
            while chunk := file_list.read(CHUNK_SIZE):
                writer.write(chunk)
            files = {"count": total, **writer.close()}
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "migrations": applied_migrations(),
            "content": content,
            "files": files,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        archive.writestr(MANIFEST, data)
        archive.writestr(SIGNATURE, sign(data, key))
    log(f"files: {total}")
    return counts


# --- reading ----------------------------------------------------------------------------------


def one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def read_manifest(archive: zipfile.ZipFile, key: bytes) -> dict:
    names = set(archive.namelist())
    if MANIFEST not in names:
        if "content.json" in names:
            raise ArchiveError(
                "This archive has format version 1, which was not authenticated and cannot be "
                "restored safely; export the site again with this version."
            )
        raise ArchiveError("This ZIP file is not a Newsroom backup (it has no manifest.json).")
    if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise ArchiveError("manifest.json is too large for a Newsroom backup.")
    data = archive.read(MANIFEST)
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise ArchiveError("manifest.json is not JSON: this is not a Newsroom backup.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This ZIP file is not a Newsroom backup (unknown manifest format).")
    if manifest.get("version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive has format version {manifest.get('version')!r}; this site reads "
            f"version {FORMAT_VERSION} only."
        )
    if SIGNATURE not in names or archive.getinfo(SIGNATURE).file_size > 128:
        raise ArchiveError("The archive is not signed (manifest.hmac is missing).")
    signature = archive.read(SIGNATURE).decode("ascii", "replace").strip()
    if not hmac.compare_digest(signature, sign(data, key)):
        raise ArchiveError(
            "The archive's signature does not match: it was altered, or written with another "
            "NEWSROOM_BACKUP_KEY."
        )
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
    if missing:
        raise ArchiveError(
            f"The archive comes from a newer version of the site ({missing[0]} is not applied "
            f"here): update the code and run migrate first."
        )
    return manifest


def content_entries(manifest: dict) -> list[tuple]:
    """(model, manifest entry) in restoring order; refuses models this site does not restore."""
    archived = {model._meta.label_lower: model for model in archived_models()}
    entries = {}
    for entry in manifest["content"]:
        if entry["model"] not in archived:
            raise ArchiveError(f"The archive holds {entry['model']}, which is not restored here.")
        entries[entry["model"]] = entry
    return [(model, entries[label]) for label, model in archived.items() if label in entries]


def open_member(archive: zipfile.ZipFile, name: str):
    try:
        return archive.open(name)
    except KeyError as error:
        raise ArchiveError(f"{name} is missing from the archive.") from error


def check_member(archive: zipfile.ZipFile, name: str, entry: dict):
    digest, size = hashlib.sha256(), 0
    with open_member(archive, name) as stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise ArchiveError(f"Checksum mismatch, the archive was altered or damaged: {name}")


def lines(archive: zipfile.ZipFile, name: str, entry: dict):
    """The JSON objects of a member, one per line, checked against the manifest as they are read:
    the last one is only handed out once the whole member has matched its checksum."""
    digest, size, previous = hashlib.sha256(), 0, None
    with open_member(archive, name) as stream:
        for line in stream:
            digest.update(line)
            size += len(line)
            if previous is not None:
                yield previous
            try:
                previous = json.loads(line)
            except ValueError as error:
                raise ArchiveError(f"{name} holds a line that is not JSON.") from error
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise ArchiveError(f"Checksum mismatch, the archive was altered or damaged: {name}")
    if previous is not None:
        yield previous


def check_name(name) -> str:
    """A stored file name must stay inside its storage: relative, no `..`, no odd characters."""
    path = PurePosixPath(name) if isinstance(name, str) else None
    if (
        path is None
        or not name
        or len(name) > 1000
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in name.split("/"))
        or any(character in name for character in "\\\x00:")
    ):
        raise ArchiveError(f"Unsafe file name in the archive: {name!r}")
    try:
        validate_file_name(name, allow_relative_path=True)
    except Exception as error:  # SuspiciousFileOperation
        raise ArchiveError(f"Unsafe file name in the archive: {name!r}") from error
    return name


def referenced_files(archive: zipfile.ZipFile, entries: list) -> dict:
    """(alias, name) -> the file fields whose restored rows will point to it."""
    references = defaultdict(set)
    for model, entry in entries:
        fields = [(field, storage_alias(field)) for field in file_fields(model)]
        name = f"content/{entry['model']}.jsonl"
        for record in lines(archive, name, entry):
            if not isinstance(record, dict) or record.get("model") != entry["model"]:
                raise ArchiveError(f"{name} holds a record of another model.")
            for field, alias in fields:
                value = record.get("fields", {}).get(field.name)
                if value:
                    references[(alias, check_name(value))].add(field)
            if model in NAMED_FILES:
                for alias, value in NAMED_FILES[model](record.get("fields", {})):
                    references[(alias, check_name(value))].add(NAMED_IMAGE)
    return references


def verify_image(file, formats=None):
    file.seek(0)
    try:
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds of error
        raise ValidationError("The file is not an image that can be opened.") from error
    finally:
        file.seek(0)
    if formats is not None and image_format not in formats:
        raise ValidationError(f"Images of type {image_format} are not accepted here.")


def check_content(path: Path, alias: str, name: str, fields: set):
    """Check a staged file as its upload was checked: images by the image validators and
    Pillow, documents by the check their app registered."""
    with open(path, "rb") as handle:
        file = File(handle, name=name)
        try:
            if not fields:
                for validator in IMAGE_VALIDATORS:
                    validator(file)
                verify_image(file, EDITOR_IMAGE_FORMATS)
            for field in fields:
                if field == NAMED_IMAGE:
                    for validator in IMAGE_VALIDATORS:
                        validator(file)
                    verify_image(file, EDITOR_IMAGE_FORMATS)
                    continue
                field.run_validators(file)
                if isinstance(field, models.ImageField):
                    verify_image(file)
                elif field in DOCUMENT_CHECKS:
                    DOCUMENT_CHECKS[field](file)
                else:
                    # A file no check vouches for is never written into a storage.
                    raise ArchiveError(f"{alias}/{name}: {field} has no registered content check.")
        except ValidationError as error:
            raise ArchiveError(f"{alias}/{name} was refused: {' '.join(error.messages)}") from error


def same_file(storage, name: str, sha256: str) -> bool:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def stage_files(archive, manifest, references, staging: Path) -> list[tuple]:
    """Copy every file out of the archive, check it, and return (alias, name, path, present)."""
    allowed = allowed_storages()
    staged = []
    for number, entry in enumerate(lines(archive, FILE_LIST, manifest["files"])):
        alias, name = entry.get("storage"), check_name(entry.get("name"))
        if alias not in allowed:
            raise ArchiveError(f"The archive writes to the storage {alias!r}: not accepted.")
        fields = references.get((alias, name), set())
        if not fields and not (alias == "default" and name.startswith(f"{EDITOR_DIRECTORY}/")):
            raise ArchiveError(f"{alias}/{name} belongs to no record in the archive.")
        path, digest, size = staging / str(number), hashlib.sha256(), 0
        with open_member(archive, f"files/{alias}/{name}") as source, open(path, "wb") as target:
            while chunk := source.read(CHUNK_SIZE):
                size += len(chunk)
                if size > entry["size"]:
                    break
                digest.update(chunk)
                target.write(chunk)
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise ArchiveError(f"Checksum mismatch, the archive was altered or damaged: {name}")
        check_content(path, alias, name, fields)
        present = storages[alias].exists(name)
        if present and not same_file(storages[alias], name, entry["sha256"]):
            raise ArchiveError(
                f"{alias}/{name} already exists with other content; restore onto empty storages."
            )
        staged.append((alias, name, path, present))
    if len(staged) != manifest["files"]["count"]:
        raise ArchiveError("files.jsonl does not list the files the manifest counts.")
    return staged


def check_empty(entries_models: list):
    Group = apps.get_model("auth.Group")
    occupied = [
        model._meta.label
        for model in entries_models
        if model is not Group and model._base_manager.exists()
    ]
    if occupied:
        raise ArchiveError(
            f"The database already holds content ({', '.join(occupied[:3])}); restore into an "
            f"empty, migrated database."
        )


class NaturalKeys:
    """The rows that natural keys name, looked up once per restore: the records of a site name
    the same few users, groups and content types over and over, and Django's deserializer asks
    the database for each mention."""

    def __init__(self):
        self.pks = {}
        self.named = {}  # model -> its relations to models with natural keys

    def pk(self, model, key):
        """The pk of the row `key` names; None while there is none (a forward reference, left
        to the deserializer)."""
        key = tuple(key)
        if (model, key) not in self.pks:
            try:
                self.pks[model, key] = model._default_manager.get_by_natural_key(*key).pk
            except (model.DoesNotExist, model.MultipleObjectsReturned):
                return None  # the deserializer finds it later, or says what is wrong
        return self.pks[model, key]

    def resolve(self, model, record: dict) -> dict:
        """`record` with the natural keys it names replaced by pks where the rows exist."""
        fields = record.get("fields", {})
        if model not in self.named:
            self.named[model] = [
                field
                for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
                if field.related_model
                and hasattr(field.related_model._default_manager, "get_by_natural_key")
            ]
        for field in self.named[model]:
            target, value = field.related_model, fields.get(field.name)
            if not value:
                continue
            if field.many_to_many:
                fields[field.name] = [self._pk_or_key(target, item) for item in value]
            else:
                fields[field.name] = self._pk_or_key(target, value)
        return record

    def _pk_or_key(self, model, value):
        if not isinstance(value, list):  # already a pk
            return value
        pk = self.pk(model, value)
        return value if pk is None else pk


def load(archive, model, entry, known: NaturalKeys) -> tuple[int, list]:
    """Save the model's records; return their number and those waiting for forward references."""
    name = f"content/{entry['model']}.jsonl"
    rich_text = [f.attname for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
    rows, deferred = 0, []
    stream = (known.resolve(model, record) for record in lines(archive, name, entry))
    objects = serializers.deserialize("python", stream, handle_forward_references=True)
    for item in objects:
        if type(item.object) is not model:
            raise ArchiveError(f"{name} holds a record of another model.")
        # Saving raw skips the field's own sanitising: apply it here.
        for attname in rich_text:
            setattr(item.object, attname, sanitise_html(getattr(item.object, attname) or ""))
        item.save()
        if item.deferred_fields:
            deferred.append(item)
        rows += 1
    if rows != entry["rows"]:
        raise ArchiveError(f"{name} holds {rows} records, the manifest says {entry['rows']}.")
    return rows, deferred


def restore(archive, entries, staged, log) -> dict:
    counts, placed = {}, []
    try:
        with transaction.atomic():
            # The groups made by the data migrations are replaced by the archived ones.
            apps.get_model("auth.Group").objects.all().delete()
            waiting = []
            with connection.constraint_checks_disabled():
                known = NaturalKeys()
                for model, entry in entries:
                    counts[model._meta.label], deferred = load(archive, model, entry, known)
                    waiting.extend(deferred)
                for item in waiting:
                    item.save_deferred_fields()
            tables = [model._meta.db_table for model, _entry in entries]
            tables += [
                field.remote_field.through._meta.db_table
                for model, _entry in entries
                for field in model._meta.local_many_to_many
            ]
            connection.check_constraints(table_names=tables)
            # Explicit primary keys leave PostgreSQL's sequences behind; move them on.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _e in entries]):
                    cursor.execute(sql)
            for step in RESTORE_STEPS:
                step()
            # Last, still inside the transaction: a file that cannot be stored undoes it all.
            for alias, name, path, present in staged:
                if present:
                    continue
                with open(path, "rb") as handle:
                    stored = storages[alias].save(name, File(handle, name=name))
                placed.append((alias, stored))
                if stored != name:
                    raise ArchiveError(f"The storage {alias} renamed {name} to {stored}.")
    except BaseException:
        for alias, name in placed:
            storages[alias].delete(name)
        raise
    for label, count in counts.items():
        log(f"{label}: {count}")
    log(f"files: {len(staged)}")
    return counts


def import_archive(path, log=lambda message: None) -> dict:
    """Restore the archive at `path` into this empty database and its storages, all or nothing."""
    key = backup_key()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ArchiveError(f"{path} is not a ZIP archive, or it is truncated.") from error
    except OSError as error:
        raise ArchiveError(f"Cannot read {path}: {error.strerror or one_line(error)}") from error
    staging_root = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    with archive, tempfile.TemporaryDirectory(prefix="newsroom-restore-", dir=staging_root) as tmp:
        try:
            manifest = read_manifest(archive, key)
            entries = content_entries(manifest)
            for _model, entry in entries:
                check_member(archive, f"content/{entry['model']}.jsonl", entry)
            check_member(archive, FILE_LIST, manifest["files"])
            references = referenced_files(archive, entries)
            staged = stage_files(archive, manifest, references, Path(tmp))
            check_empty([model for model, _entry in entries])
            return restore(archive, entries, staged, log)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ArchiveError(f"The archive is damaged: {one_line(error)}") from error
        except (KeyError, TypeError) as error:
            # Only a manifest or record of the wrong shape gets here.
            raise ArchiveError(f"The archive is malformed: {one_line(error)}") from error
        except (DeserializationError, DatabaseError, ValidationError) as error:
            raise ArchiveError(f"The archive cannot be restored: {one_line(error)}") from error
