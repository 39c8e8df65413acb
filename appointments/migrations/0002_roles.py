"""Grant the press roles the appointments' permissions (releases.roles.ROLE_PERMISSIONS)."""

from django.db import migrations


def grant(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_appointments"),
        ("releases", "0013_folded_german_search"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
