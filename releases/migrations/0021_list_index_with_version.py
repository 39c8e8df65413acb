"""The list index carries each release's version (PostgreSQL; other databases ignore it): a
list's ids, teaser versions and total come from the index alone (releases/models.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0020_search_vectors_in_row"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="release",
            name="release_live_newest",
        ),
        migrations.AddIndex(
            model_name="release",
            index=models.Index(
                fields=["state", "-first_published_at", "-go_live_at", "-id"],
                include=("version",),
                name="release_live_newest",
            ),
        ),
    ]
