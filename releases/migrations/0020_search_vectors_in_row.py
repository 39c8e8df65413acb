"""The search index is built again, for two reasons.

- Its text: words on either side of a paragraph's end were indexed as one ("BrückenNeue"), and
  "&amp;" as the word "amp" (releases/search.py now reads rich text through
  newsroom.richtext.plain_text).
- PostgreSQL: the search vectors are kept in their rows (storage MAIN), not in the TOAST
  table. A broad search checks the newest releases' vectors one by one; kept apart, each check
  fetched and reassembled a vector of some 2 KB from the TOAST table, and a search of 100,000
  spent most of its 40 ms on that. In the row, a vector is read with the row, which the search
  reads anyway. The bodies, larger and never read row by row by a search, still go to the
  TOAST table first. A vector written again takes its new place.
"""

from django.db import migrations

TABLES = ["releases_release", "releases_releasetranslation"]
BATCH = 1000


def set_storage(schema_editor, storage: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE {storage}"
            )


def index_again(apps, schema_editor):
    from releases.search import index_many, update_translation_index

    set_storage(schema_editor, "MAIN")
    alias = schema_editor.connection.alias
    releases = apps.get_model("releases", "Release").objects.using(alias)
    rows = releases.only("pk", "title", "lead", "body", "background").order_by("pk")
    batch = []
    for release in rows.iterator(chunk_size=BATCH):
        batch.append(release)
        if len(batch) == BATCH:
            index_many(batch, alias)
            batch = []
    index_many(batch, alias)
    translations = apps.get_model("releases", "ReleaseTranslation").objects.using(alias)
    for translation in translations.order_by("pk").iterator(chunk_size=BATCH):
        update_translation_index(translation)


def keep_apart(apps, schema_editor):
    set_storage(schema_editor, "EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0019_feed_indexes"),
    ]

    operations = [migrations.RunPython(index_again, keep_apart, elidable=False)]
