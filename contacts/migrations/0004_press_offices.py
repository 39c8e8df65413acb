"""Press offices: each issuer's officers and leads, parent offices, portal administrators.

An existing installation needs no manual step: every member of the "Press officers" and "Press
leads" groups becomes a member of every office with that role (a lead stays a lead), and leaves
the group, which from now on only says what the role may do. Leads no longer curate topics or
make and delete offices: the new "Portal administrators" group does.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The names as they were when this migration was written (releases.roles).
PRESS_OFFICERS = "Press officers"
PRESS_LEADS = "Press leads"
ROLES = [("officer", PRESS_OFFICERS), ("lead", PRESS_LEADS)]  # later wins: a lead stays one
# (app label, codename) taken from the leads, given to portal administrators.
LEADS_NO_LONGER = [
    ("releases", "add_topic"),
    ("releases", "change_topic"),
    ("releases", "delete_topic"),
    ("contacts", "add_organisation"),
    ("contacts", "delete_organisation"),
]


def _leads_no_longer(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for app_label, codename in LEADS_NO_LONGER:
        found |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return found


def groups_to_offices(apps, schema_editor):
    from releases.roles import sync_roles

    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("contacts", "Organisation")
    OfficeMembership = apps.get_model("contacts", "OfficeMembership")
    offices = list(Organisation.objects.all())
    for role, group_name in ROLES:
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for user in group.user_set.all():
            for office in offices:
                OfficeMembership.objects.update_or_create(
                    user=user, organisation=office, defaults={"role": role}
                )
            # The group now defines the role; held directly it would grant it in every office.
            user.groups.remove(group)
    leads = Group.objects.filter(name=PRESS_LEADS).first()
    if leads is not None:
        leads.permissions.remove(*_leads_no_longer(apps))
    # Makes the portal administrators' group (and gives the roles their new permissions).
    sync_roles(apps)


def offices_to_groups(apps, schema_editor):
    """Back to global roles: whoever leads any office becomes a lead, any member an officer."""
    Group = apps.get_model("auth", "Group")
    OfficeMembership = apps.get_model("contacts", "OfficeMembership")
    for role, group_name in ROLES:
        group, _ = Group.objects.get_or_create(name=group_name)
        users = OfficeMembership.objects.filter(role=role).values_list("user", flat=True)
        group.user_set.add(*set(users))
    officers = Group.objects.get(name=PRESS_OFFICERS)
    officers.user_set.remove(*Group.objects.get(name=PRESS_LEADS).user_set.all())
    Group.objects.get(name=PRESS_LEADS).permissions.add(*_leads_no_longer(apps))


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0003_organisation_always_public'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='parent',
            field=models.ForeignKey(blank=True, help_text='The ministry a subordinate authority belongs to.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='contacts.organisation', verbose_name='parent office'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='reviewed_by_parent',
            field=models.BooleanField(default=True, help_text="The press leads of the parent office may review this office's press releases and appointments: request changes, approve and publish them.", verbose_name='parent office reviews'),
        ),
        migrations.CreateModel(
            name='OfficeMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('officer', 'press officer'), ('lead', 'press lead')], max_length=20, verbose_name='role in the office')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='contacts.organisation', verbose_name='press office')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='office_memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'press office membership',
                'verbose_name_plural': 'press office memberships',
                'ordering': ['organisation__name', 'user__username'],
                'constraints': [models.UniqueConstraint(fields=('user', 'organisation'), name='one_role_per_user_and_office')],
            },
        ),
        migrations.RunPython(groups_to_offices, offices_to_groups),
    ]
