"""The index the feeds' latest-withdrawal lookup walks (releases/feeds.py, `feed_state`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0018_photos"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="release",
            index=models.Index(fields=["state", "withdrawn_at"], name="release_withdrawn"),
        ),
    ]
