"""Create the press officer and press lead groups with their model permissions."""

from django.db import migrations

from releases.roles import ROLE_PERMISSIONS, sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0001_initial"),
        ("publications", "0001_initial"),
        ("releases", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
