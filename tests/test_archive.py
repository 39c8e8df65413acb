"""Backups: export_content writes everything the site holds, signed; import_content restores it
into an empty site all or nothing, and refuses an altered, foreign or hostile archive."""

import hashlib
import hmac
import io
import json
import re
import tracemalloc
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from PIL import Image

from alerts.models import Delivery, Kind, Mailing, Subscriber
from newsroom.archive import (
    DOCUMENT_CHECKS,
    EXCLUDE,
    archived_models,
    file_fields,
    for_backup,
)
from releases.models import Release, Topic
from releases.roles import sync_roles
from releases.search import FTS_TABLE, search
from tests.conftest import role

# Transactional: restoring starts from a flushed database, which PostgreSQL cannot flush inside
# the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

KEY = "a-backup-key-for-the-tests-0123456789abcdef"
# Microseconds that Django's JSON serialiser would cut to milliseconds.
PRECISE = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.NEWSROOM_BACKUP_KEY = KEY


# --- what a site holds --------------------------------------------------------------------------


def site_storages() -> list[str]:
    return sorted(alias for alias in django_settings.STORAGES if alias != "staticfiles")


def stored_files() -> dict:
    """Every file in every storage of the site (the tests' storages are all on disk)."""
    files = {}
    for alias in site_storages():
        root = Path(storages[alias].location)
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file():
                files[(alias, path.relative_to(root).as_posix())] = path.read_bytes()
    return files


def natural(field, value):
    # Content types and permissions are made by migrate, with ids that differ between databases.
    if value is not None and field.related_model in (ContentType, Permission):
        return field.related_model.objects.get(pk=value).natural_key()
    return value


def tables() -> dict:
    """Every row of every table but the excluded ones, with all its fields."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in EXCLUDE:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if not (model._meta.auto_created and field.primary_key)
        ]
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        rows = [tuple(natural(f, v) for f, v in zip(fields, row, strict=True)) for row in rows]
        # Many-to-many rows get new ids when they are set again: compare them without.
        snapshot[model._meta.label] = sorted(rows, key=repr) if model._meta.auto_created else rows
    return snapshot


def wipe_everything():
    """What a new server has: an empty, migrated database (with the groups the data migrations
    make) and no files."""
    call_command("flush", "--no-input", verbosity=0)
    if connection.vendor == "sqlite":
        # The search index is no model table, which flush leaves alone.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    sync_roles(apps)
    for alias, name in stored_files():
        storages[alias].delete(name)


@pytest.fixture(autouse=True)
def empty_storages():
    # The storages live for the whole test session; start from nothing, like a new server.
    for alias, name in stored_files():
        storages[alias].delete(name)


def png(colour="red", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def add_editor_image(release) -> str:
    name = default_storage.save("editor/2026/karte.png", ContentFile(png()))
    Release.objects.filter(pk=release.pk).update(
        body=f'{release.body}<p><img src="{default_storage.url(name)}" alt="Karte"></p>'
    )
    return name


def add_alerts_and_admin_log(release, user):
    subscriber = Subscriber.objects.create(
        email="jana@example.org",
        confirmed_at=PRECISE,
        consent_text="Ich möchte Pressemitteilungen per E-Mail erhalten.",
        consent_version="2026-01",
    )
    subscriber.topics.add(*Topic.objects.all()[:1])
    mailing = Mailing.objects.create(kind=Kind.DIGEST, digest_date=date(2016, 11, 13))
    delivery = Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status="sent", sent_at=PRECISE
    )
    delivery.releases.add(release)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Release),
        object_id=str(release.pk),
        object_repr=str(release),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Titel"]}}]',
        action_time=PRECISE,
    )


def export(path) -> Path:
    call_command("export_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path


def restore(path):
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def full_site(transactional_db, tmp_path):
    """The demo site with a correction, an editor image, a subscriber with consent record, a
    mailing with a delivery and an admin log entry, exported."""
    from releases.workflow import take

    call_command("demo", stdout=io.StringIO())
    lead = apps.get_model("auth.User").objects.get(username="lead")
    lead.groups.add(role("Press leads"))
    seed = Release.objects.live().first()
    take(seed.pk, "correct", lead, comment="Eine Korrektur, die mit muss.")
    add_editor_image(seed)
    add_alerts_and_admin_log(seed, lead)
    return export(tmp_path / "newsroom.zip")


@pytest.fixture
def site(transactional_db, tmp_path, officer, lead, make_release, make_publication):
    """A small site: a release with an editor image, a publication (PDF), alerts, the admin log."""
    release = make_release(body="<p>Der Text.</p>")
    add_editor_image(release)
    make_publication()
    add_alerts_and_admin_log(release, lead)
    return export(tmp_path / "small.zip")


# --- completeness -------------------------------------------------------------------------------


def test_every_installed_model_is_archived_or_excluded_for_a_reason():
    archived = {model._meta.label for model in archived_models()}
    unclassified = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in archived and model._meta.label not in EXCLUDE
    ]
    assert unclassified == []
    assert not archived & set(EXCLUDE)
    assert all(reason for reason in EXCLUDE.values())


def test_every_document_field_has_a_content_check_for_restores():
    documents = [
        field
        for model in archived_models()
        for field in file_fields(model)
        if not isinstance(field, models.ImageField)
    ]
    assert documents
    assert [field for field in documents if field not in DOCUMENT_CHECKS] == []


def test_a_restored_release_is_found_by_search(site):
    wipe_everything()
    restore(site)
    assert list(search(Release.objects.live(), "Mitteilung")) == [Release.objects.get()]


def test_a_full_site_restores_table_by_table_and_file_by_file(full_site):
    before, files_before = tables(), stored_files()
    # Every table holding data is compared (and so archived), unless it is excluded.
    holding = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model._base_manager.exists()
    }
    assert holding - set(EXCLUDE) <= set(before)
    for label in ["alerts.Subscriber", "alerts.Delivery", "admin.LogEntry", "auth.User"]:
        assert before[label], label
    assert any(name.startswith("editor/") for _alias, name in files_before)
    assert any(alias == "documents" for alias, _name in files_before)

    wipe_everything()
    assert not Release.objects.exists() and stored_files() == {}
    restore(full_site)

    after = tables()
    for label in before:
        assert after[label] == before[label], label
    assert stored_files() == files_before
    assert Subscriber.objects.get().confirmed_at == PRECISE
    assert apps.get_model("auth.Group").objects.get(name="Press leads").permissions.exists()


def test_the_archive_lists_every_table_and_file_with_checksums(site):
    with zipfile.ZipFile(site) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = [json.loads(line) for line in archive.read("files.jsonl").splitlines()]
        users = archive.read("content/auth.user.jsonl").decode()
        for entry in files:
            data = archive.read(f"files/{entry['storage']}/{entry['name']}")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    rows = {entry["model"]: entry["rows"] for entry in manifest["content"]}
    assert rows["alerts.subscriber"] == rows["alerts.delivery"] == rows["admin.logentry"] == 1
    assert "sessions.session" not in rows and "auth.permission" not in rows
    assert {(entry["storage"], entry["name"][:7]) for entry in files} >= {
        ("default", "editor/"),
        ("documents", "publica"),
    }
    assert '"is_superuser": false' in users


def test_microseconds_survive_a_restore(site):
    wipe_everything()
    restore(site)
    assert Subscriber.objects.get().confirmed_at == PRECISE
    assert Delivery.objects.get().sent_at == PRECISE
    assert LogEntry.objects.get().action_time == PRECISE


def test_import_refuses_a_database_that_has_content(site):
    with pytest.raises(CommandError, match="empty"):
        restore(site)


# --- altered and hostile archives ---------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jsonl(entries) -> bytes:
    return b"".join(json.dumps(entry).encode() + b"\n" for entry in entries)


class Members(dict):
    """An archive's members, to be altered and written out again."""

    def records(self, name):
        return [json.loads(line) for line in self[name].splitlines()]

    def edit_records(self, name, change):
        self[name] = jsonl(change(record) or record for record in self.records(name))

    def edit_files(self, change):
        """`change(entry)` may alter a file list entry; the member moves with it."""
        entries = []
        for entry in self.records("files.jsonl"):
            data = self.pop(f"files/{entry['storage']}/{entry['name']}")
            data = change(entry, data) or data
            self[f"files/{entry['storage']}/{entry['name']}"] = data
            entries.append(entry)
        self["files.jsonl"] = jsonl(entries)

    def checksum_again(self):
        """What someone who changed a member would do: recompute every checksum."""
        entries = self.records("files.jsonl")
        for entry in entries:
            data = self[f"files/{entry['storage']}/{entry['name']}"]
            entry["size"], entry["sha256"] = len(data), sha256(data)
        self["files.jsonl"] = jsonl(entries)
        manifest = json.loads(self["manifest.json"])
        for entry in manifest["content"]:
            data = self[f"content/{entry['model']}.jsonl"]
            entry.update(size=len(data), sha256=sha256(data), rows=len(data.splitlines()))
        data = self["files.jsonl"]
        manifest["files"].update(size=len(data), sha256=sha256(data), count=len(entries))
        self["manifest.json"] = json.dumps(manifest).encode()

    def sign(self, key=KEY):
        self["manifest.hmac"] = (
            hmac.new(key.encode(), self["manifest.json"], hashlib.sha256).hexdigest().encode()
        )

    def write(self, path) -> Path:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in self.items():
                archive.writestr(name, data)
        return path


def members(path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return Members({name: archive.read(name) for name in archive.namelist()})


def make_superuser(record):
    if record["fields"]["username"] == "officer":
        record["fields"]["is_superuser"] = True


def refused(path, match):
    """The import fails with one line and leaves database and storages exactly as they were."""
    before, files_before = tables(), stored_files()
    with pytest.raises(CommandError, match=match) as error:
        restore(path)
    assert "\n" not in str(error.value)
    assert tables() == before
    assert stored_files() == files_before


def refused_though_signed_again(altered, tmp_path, match):
    """Altered by someone who holds the key: with its checksums and signature made right again,
    the archive is still refused on a new server."""
    altered.checksum_again()
    altered.sign()
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), match)


def test_an_officer_made_superuser_is_refused(site, tmp_path):
    altered = members(site)
    altered.edit_records("content/auth.user.jsonl", make_superuser)
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), "Checksum mismatch")
    # With every checksum recomputed, the signature gives it away.
    altered.checksum_again()
    refused(altered.write(tmp_path / "b.zip"), "signature does not match")
    # And so does a signature made with another key.
    altered.sign("another-key-that-is-long-enough-0123456789")
    refused(altered.write(tmp_path / "c.zip"), "signature does not match")


def test_a_file_with_a_recomputed_checksum_is_refused(site, tmp_path):
    altered = members(site)
    pdf = next(name for name in altered if name.startswith("files/documents/"))
    altered[pdf] = altered[pdf].replace(b"Seite eins", b"Seite zwei")
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), "Checksum mismatch")
    altered.checksum_again()
    refused(altered.write(tmp_path / "b.zip"), "signature does not match")


def test_a_tampered_manifest_is_refused(site, tmp_path):
    altered = members(site)
    manifest = json.loads(altered["manifest.json"])
    manifest["content"] = [e for e in manifest["content"] if e["model"] != "auth.user"]
    altered["manifest.json"] = json.dumps(manifest).encode()
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), "signature does not match")


# Below, the archive is signed again with the key: what a backup of a compromised site, or
# someone holding the key, could bring. The checks of content still hold.


def test_imported_rich_text_is_sanitised(site, tmp_path):
    def add_script(record):
        record["fields"]["body"] += '<script>alert(1)</script><p onclick="x()">Hallo</p>'

    altered = members(site)
    altered.edit_records("content/releases.release.jsonl", add_script)
    altered.checksum_again()
    altered.sign()
    wipe_everything()
    restore(altered.write(tmp_path / "a.zip"))
    body = Release.objects.get().body
    assert "<p>Hallo</p>" in body
    assert "script" not in body and "onclick" not in body


def test_the_staticfiles_storage_is_refused(site, tmp_path):
    def to_static(entry, data):
        if entry["name"].startswith("editor/"):
            entry["storage"] = "staticfiles"

    altered = members(site)
    altered.edit_files(to_static)
    refused_though_signed_again(altered, tmp_path, "storage 'staticfiles'")
    assert not any(Path(django_settings.STATIC_ROOT).rglob("*.png"))


@pytest.mark.parametrize(
    "name", ["editor/../../outside.png", "/var/www/outside.png", "editor/..\\outside.png"]
)
def test_a_file_name_leaving_its_storage_is_refused(site, tmp_path, name):
    def escape(entry, data):
        if entry["name"].startswith("editor/"):
            entry["name"] = name

    altered = members(site)
    altered.edit_files(escape)
    refused_though_signed_again(altered, tmp_path, "Unsafe file name")


def test_a_record_pointing_outside_its_storage_is_refused(site, tmp_path):
    def escape(record):
        record["fields"]["file"] = "../../etc/passwd"

    altered = members(site)
    altered.edit_records("content/publications.publication.jsonl", escape)
    refused_though_signed_again(altered, tmp_path, "Unsafe file name")


@pytest.mark.parametrize(
    ("prefix", "content", "match"),
    [
        ("editor/", b"<svg onload='alert(1)'/>", "not an image"),
        ("publications/", b"<html><script>alert(1)</script></html>", "bericht.pdf was refused"),
    ],
)
def test_files_are_checked_like_uploads(site, tmp_path, prefix, content, match):
    def replace(entry, data):
        if entry["name"].startswith(prefix):
            return content

    altered = members(site)
    altered.edit_files(replace)
    refused_though_signed_again(altered, tmp_path, match)


def test_a_file_belonging_to_no_record_is_refused(site, tmp_path):
    def elsewhere(entry, data):
        if entry["name"].startswith("editor/"):
            entry["name"] = "organisations/unlisted.png"

    altered = members(site)
    altered.edit_files(elsewhere)
    refused_though_signed_again(altered, tmp_path, "belongs to no record")


def test_a_failing_record_rolls_back_and_a_rerun_works(site, tmp_path):
    def dangling(record):
        record["fields"]["mailing"] = 999_999

    altered = members(site)
    altered.edit_records("content/alerts.delivery.jsonl", dangling)
    refused_though_signed_again(altered, tmp_path, "cannot be restored")
    restore(site)
    assert Delivery.objects.count() == 1


def test_a_file_failing_to_store_removes_the_files_stored_before(site, tmp_path, monkeypatch):
    wipe_everything()
    saved = []
    original = FileSystemStorage._save

    def disk_full_on_the_second(storage, name, content):
        if saved:
            raise OSError(28, "No space left on device")
        saved.append(original(storage, name, content))
        return saved[-1]

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full_on_the_second)
    refused(site, "No space left")
    assert saved  # one file had been stored, and is gone again
    monkeypatch.undo()
    restore(site)
    assert Subscriber.objects.count() == 1 and len(stored_files()) == 2


# --- archives that are no archive -------------------------------------------------------------


def test_a_truncated_archive_gives_one_line(site, tmp_path):
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(site.read_bytes()[: site.stat().st_size // 2])
    wipe_everything()
    refused(truncated, "not a ZIP archive, or it is truncated")


def test_a_file_that_is_not_a_zip_gives_one_line(transactional_db, tmp_path):
    other = tmp_path / "backup.zip"
    other.write_bytes(b"%PDF-1.4 not a zip at all")
    refused(other, "not a ZIP archive")
    refused(tmp_path / "missing.zip", "Cannot read")


def test_a_foreign_zip_gives_one_line(transactional_db, tmp_path):
    foreign = Members({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"})
    refused(foreign.write(tmp_path / "foreign.zip"), "not a Newsroom backup")


def test_an_old_format_archive_gives_one_line(transactional_db, tmp_path):
    old = Members({"content.json": json.dumps({"format": 1, "objects": []}).encode()})
    refused(old.write(tmp_path / "old.zip"), "format version 1")


def test_a_newer_format_version_gives_one_line(site, tmp_path):
    altered = members(site)
    manifest = json.loads(altered["manifest.json"])
    manifest["version"] = 3
    altered["manifest.json"] = json.dumps(manifest).encode()
    altered.sign()
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), "format version 3")


def test_an_archive_from_a_newer_schema_gives_one_line(site, tmp_path):
    altered = members(site)
    manifest = json.loads(altered["manifest.json"])
    manifest["migrations"].append("releases.9999_from_the_future")
    altered["manifest.json"] = json.dumps(manifest).encode()
    altered.sign()
    wipe_everything()
    refused(altered.write(tmp_path / "a.zip"), "newer version of the site")


def test_production_needs_a_backup_key(site, settings, tmp_path):
    settings.NEWSROOM_BACKUP_KEY = ""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Set NEWSROOM_BACKUP_KEY"):
        export(tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


NATURAL_KEY_LOOKUP = re.compile(r'"(username|app_label|codename)" = |"auth_group"\."name" = ')


def test_export_and_restore_ask_the_database_per_batch_not_per_record(
    transactional_db, tmp_path, issuer, lead, make_release, django_user_model
):
    """Records name users, groups, content types and topics; a backup reads them with their
    batch, and a restore looks each name up once."""
    topic = Topic.objects.create(name="Verkehr", slug="verkehr")

    authors = []
    for name in ["officer1", "officer2"]:
        authors.append(django_user_model.objects.create_user(name, is_staff=True))
        authors[-1].groups.add(role("Press officers"))

    def add(start, count):
        for number in range(start, start + count):
            author = authors[number % 2]
            release = make_release(f"mitteilung-{number}", created_by=author, last_edited_by=lead)
            release.topics.add(topic)
            LogEntry.objects.create(
                user=author,
                # Content types are not archived: a restore names them anew.
                content_type=ContentType.objects.get(app_label="releases", model="release"),
                object_id=str(release.pk),
                object_repr=str(release),
                action_flag=CHANGE,
                action_time=PRECISE,
            )

    def queries(name):
        path = tmp_path / name
        with CaptureQueriesContext(connection) as exported:
            export(path)
        wipe_everything()
        with CaptureQueriesContext(connection) as restored:
            restore(path)
        # A restore writes each record, and Django's many-to-many writes read what is there;
        # the rows the records name by natural key are looked up once each.
        lookups = [query for query in restored if NATURAL_KEY_LOOKUP.search(query["sql"])]
        return len(exported), len(lookups)

    add(0, 2)
    few = queries("few.zip")
    add(2, 10)
    assert LogEntry.objects.count() == 12 and Release.objects.count() == 12
    assert queries("more.zip") == few


def test_a_backup_joins_only_the_rows_its_natural_keys_name():
    """Records are read with the users, groups and content types they name, never with their
    release (its text and all) copied into every record of a batch."""
    for model in archived_models():
        named = {
            field.related_model._meta.db_table
            for field in model._meta.concrete_fields
            if field.is_relation and hasattr(field.related_model, "natural_key")
        } | {"django_content_type"}  # a permission's natural key names its content type
        joined = set(re.findall(r'JOIN "(\w+)"', str(for_backup(model).query)))
        assert joined <= named, (model._meta.label, joined - named)


# --- size ---------------------------------------------------------------------------------------


def big_document(size: int) -> bytes:
    """A DOCX-shaped ZIP file of `size` bytes or so: random, so that nothing compresses it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr("word/document.xml", "<document/>")
        document.writestr("word/media/scan.bin", random_bytes(size))
    return buffer.getvalue()


def random_bytes(size: int, seed: str = "") -> bytes:
    return hashlib.shake_256(f"newsroom{seed}".encode()).digest(size)


# Above what the export and the import hold whatever the size (some 6 MB, most of it Django's
# own), below the size of the file and of the records that go through.
MEMORY_LIMIT = 8 * 1024 * 1024


@pytest.mark.slow
def test_memory_stays_bounded_whatever_the_archive_size(tmp_path, issuer, lead):
    from publications.models import Publication

    publication = Publication(title="Jahresbericht", slug="jahresbericht", issuer=issuer)
    publication.file = ContentFile(big_document(9 * 1024 * 1024), name="jahresbericht.docx")
    publication.save()
    release_type = ContentType.objects.get_for_model(Release)
    LogEntry.objects.bulk_create(
        LogEntry(
            user=lead,
            content_type=release_type,
            object_id=str(number),
            object_repr=f"Mitteilung {number}",
            action_flag=CHANGE,
            change_message=random_bytes(2000, seed=str(number)).hex(),
            action_time=PRECISE,
        )
        for number in range(2_200)
    )
    path = tmp_path / "big.zip"
    tracemalloc.start()
    try:
        export(path)
        export_peak = tracemalloc.get_traced_memory()[1]
        wipe_everything()
        tracemalloc.reset_peak()
        restore(path)
        import_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A 9 MB file and 8.8 MB of records went through, a megabyte or so at a time.
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert sum(entry["size"] for entry in manifest["content"]) > MEMORY_LIMIT
    assert path.stat().st_size > MEMORY_LIMIT + MEMORY_LIMIT // 2
    assert LogEntry.objects.count() == 2_200
    assert export_peak < MEMORY_LIMIT, export_peak
    assert import_peak < MEMORY_LIMIT, import_peak
