"""Grant the press roles the media library's permissions, and the appointments' photo rows
(releases.roles.ROLE_PERMISSIONS)."""

from django.db import migrations


def grant(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0001_initial"),
        # The image rows that show photos: their permissions are granted here too.
        ("releases", "0018_photos"),
        ("appointments", "0004_images"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
