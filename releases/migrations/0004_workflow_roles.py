"""Grant the workflow permissions (submit, approve, correct, withdraw) to the roles."""

from django.db import migrations

from releases.roles import sync_roles


def grant(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("releases", "0003_workflow")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
