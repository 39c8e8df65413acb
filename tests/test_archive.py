"""Backups: export_content writes everything with checksums; import_content restores it whole."""

import io
import json
import zipfile

import pytest
from django.core import serializers
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from newsroom.archive import FILE_FIELDS, MODELS, model

# Transactional: restoring starts from a flushed database, which PostgreSQL cannot flush inside
# the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    return {
        label: serializers.serialize(
            "json", model(label).objects.order_by("pk"), use_natural_foreign_keys=True
        )
        for label in MODELS
        if label != "auth.Group"
    }


def stored_files() -> dict:
    files = {}
    for label, field, alias in FILE_FIELDS:
        for name in model(label).objects.exclude(**{field: ""}).values_list(field, flat=True):
            with storages[alias].open(name, "rb") as handle:
                files[(alias, name)] = handle.read()
    return files


def wipe_everything():
    """What a new server has: an empty, migrated database and no files."""
    files = stored_files()
    call_command("flush", "--no-input", verbosity=0)
    for alias, name in files:
        storages[alias].delete(name)


@pytest.fixture
def demo_archive(transactional_db, tmp_path):
    call_command("demo", stdout=io.StringIO())
    from releases.models import Release
    from releases.workflow import take
    from tests.conftest import role

    lead = model("auth.User").objects.get(username="lead")
    lead.groups.add(role("Press leads"))
    seed = Release.objects.live().first()
    take(seed.pk, "correct", lead, comment="Eine Korrektur, die mit muss.")
    path = tmp_path / "newsroom.zip"
    call_command("export_content", str(path), stdout=io.StringIO())
    return path


def test_export_holds_every_record_and_file_with_checksums(demo_archive):
    with zipfile.ZipFile(demo_archive) as archive:
        manifest = json.loads(archive.read("content.json"))
        names = archive.namelist()
    assert manifest["counts"]["releases.Release"] == 11
    assert manifest["counts"]["releases.Revision"] >= 11
    assert manifest["counts"]["contacts.Contact"] == 2
    pdf = next(f for f in manifest["files"] if f["storage"] == "documents")
    assert pdf["name"].endswith(".pdf") and len(pdf["sha256"]) == 64
    assert f"files/documents/{pdf['name']}" in names


def test_import_restores_the_demo_content_without_loss(demo_archive):
    before, files_before = snapshot(), stored_files()
    wipe_everything()
    from releases.models import Release

    assert not Release.objects.exists()

    call_command("import_content", str(demo_archive), stdout=io.StringIO())

    assert snapshot() == before
    assert stored_files() == files_before
    assert model("auth.Group").objects.get(name="Press leads").permissions.exists()


def test_import_refuses_a_database_that_has_content(demo_archive):
    with pytest.raises(CommandError, match="empty"):
        call_command("import_content", str(demo_archive), stdout=io.StringIO())


def test_a_damaged_archive_changes_nothing(demo_archive, tmp_path):
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(demo_archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("files/documents/"):
                data = data.replace(b"Schlaglicht", b"Schlagloch")
            target.writestr(item, data)
    wipe_everything()
    with pytest.raises(CommandError, match="Checksum"):
        call_command("import_content", str(damaged), stdout=io.StringIO())
    from releases.models import Release

    assert not Release.objects.exists()
