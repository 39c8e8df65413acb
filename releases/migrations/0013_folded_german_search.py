"""German search with umlaut folding on both databases: on SQLite an FTS5 table of Snowball
stems (created here, on SQLite only), on PostgreSQL the search vector rebuilt from the folded
words. Both are filled for every existing release."""

from django.db import migrations


def build_index(apps, schema_editor):
    from releases.search import create_fts_table, update_search_vector

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        create_fts_table(schema_editor)
    elif vendor != "postgresql":
        return
    releases = apps.get_model("releases", "Release").objects.using(schema_editor.connection.alias)
    for release in releases.iterator():
        update_search_vector(release)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from releases.search import FTS_TABLE

        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0012_protected_release_images"),
    ]

    operations = [migrations.RunPython(build_index, drop_index)]
