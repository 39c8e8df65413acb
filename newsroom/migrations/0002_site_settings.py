"""The portal's own settings (name, logo, footer links) as one row edited in the admin; the name
an installation had set in NEWSROOM_SITE_NAME becomes the row's name."""

import os

import django.db.models.deletion
from django.db import migrations, models

import newsroom.uploads


def create_the_row(apps, schema_editor):
    SiteSettings = apps.get_model("newsroom", "SiteSettings")
    name = os.environ.get("NEWSROOM_SITE_NAME", "").strip() or "Newsroom"
    SiteSettings.objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"name": name[:200]}
    )


def let_portal_administrators_edit_it(apps, schema_editor):
    """The group exists if the press offices' migration ran first (its grants could not name
    these models yet); otherwise that migration grants them itself (releases.roles)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Portal administrators").first()
    if group is None:
        return
    # Permissions are normally made after migrate finishes; the group needs them now.
    config = apps.get_app_config("newsroom")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    codenames = [
        "view_sitesettings",
        "change_sitesettings",
        *(f"{action}_footerlink" for action in ("view", "add", "change", "delete")),
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=codenames)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0001_public_change_counter'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='SiteSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Shown in the page header, page and feed titles, e-mails and link previews.', max_length=200, verbose_name='portal name')),
                ('logo', models.ImageField(blank=True, upload_to='site/', validators=[newsroom.uploads.MaxSizeValidator('NEWSROOM_MAX_IMAGE_SIZE'), newsroom.uploads.MaxPixelsValidator()], verbose_name='logo')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'site settings',
                'verbose_name_plural': 'site settings',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='site_settings_one_row')],
            },
        ),
        migrations.CreateModel(
            name='FooterLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=100, verbose_name='label')),
                ('url', models.URLField(max_length=500, verbose_name='URL')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='footer_links', to='newsroom.sitesettings')),
            ],
            options={
                'verbose_name': 'footer link',
                'verbose_name_plural': 'footer links',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
        migrations.RunPython(let_portal_administrators_edit_it, migrations.RunPython.noop),
    ]
