"""The three legal pages, empty until a press lead (or `manage.py demo`) writes them, and the
press leads' permissions on them (releases.roles.ROLE_PERMISSIONS)."""

from django.db import migrations

TITLES = {
    "impressum": ("Impressum", "Legal notice"),
    "datenschutz": ("Datenschutzerklärung", "Privacy policy"),
    "barrierefreiheit": ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
}


def create_pages(apps, schema_editor):
    from releases.roles import sync_roles

    LegalPage = apps.get_model("legal", "LegalPage")
    for kind, (title_de, title_en) in TITLES.items():
        LegalPage.objects.get_or_create(
            kind=kind, defaults={"title_de": title_de, "title_en": title_en}
        )
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_initial"),
        ("releases", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
