"""Press leads may view subscribers (addresses masked), mailings and the delivery log. The
permission to read addresses (`view_subscriber_address`) is granted to nobody by default."""

from django.db import migrations

PRESS_LEADS = "Press leads"  # releases.roles.PRESS_LEADS
GRANTS = ["view_subscriber", "view_mailing", "view_delivery"]


def permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate finishes; the group needs them now.
    app_config = apps.get_app_config("alerts")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="alerts", codename__in=GRANTS)


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=PRESS_LEADS).first()
    if group is not None:
        group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=PRESS_LEADS).first()
    if group is not None:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("releases", "0004_workflow_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
