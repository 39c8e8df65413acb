"""The portal's legal pages, its accessibility feedback and the alert subscribers belong to the
portal administrators, not to the leads of every office (releases.roles.ROLE_PERMISSIONS): the
administrators get them (`sync_roles`), the leads' group loses them."""

from django.db import migrations

# The name as it was when this migration was written (releases.roles.PRESS_LEADS).
PRESS_LEADS = "Press leads"
# (app label, codename) taken from the leads.
LEADS_NO_LONGER = [
    ("legal", "view_legalpage"),
    ("legal", "change_legalpage"),
    ("legal", "view_legalpagerevision"),
    ("legal", "view_feedback"),
    ("legal", "change_feedback"),
    ("legal", "delete_feedback"),
    ("alerts", "view_subscriber"),
    ("alerts", "view_mailing"),
    ("alerts", "view_delivery"),
]


def _leads_no_longer(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for app_label, codename in LEADS_NO_LONGER:
        found |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return found


def to_portal_administrators(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)  # grants the portal administrators what ROLE_PERMISSIONS now lists
    leads = apps.get_model("auth", "Group").objects.filter(name=PRESS_LEADS).first()
    if leads is not None:
        leads.permissions.remove(*_leads_no_longer(apps))


def back_to_leads(apps, schema_editor):
    leads = apps.get_model("auth", "Group").objects.filter(name=PRESS_LEADS).first()
    if leads is not None:
        leads.permissions.add(*_leads_no_longer(apps))


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0002_pages_and_roles"),
        ("contacts", "0004_press_offices"),
        # It granted the leads the alert subscribers, mailings and deliveries.
        ("alerts", "0002_press_leads_view_alerts"),
    ]

    operations = [migrations.RunPython(to_portal_administrators, back_to_leads)]
