"""The press office's roles, as Django groups, and the permissions each one holds.

Press officers write and submit; press leads also approve, schedule, publish, correct and
withdraw, and decide when a publication is public (its date, replacing a public file). The data
migrations call `sync_roles`, so a new permission here needs a new migration that calls it again.
"""

PRESS_OFFICERS = "Press officers"
PRESS_LEADS = "Press leads"

_EDIT = ("view", "add", "change")
_ALL = ("view", "add", "change", "delete")

# (app label, model name) -> actions, per role. Officers never delete.
ROLE_PERMISSIONS = {
    PRESS_OFFICERS: {
        ("releases", "release"): (*_EDIT, "submit"),
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        ("releases", "correction"): ("view",),
        ("releases", "topic"): ("view",),
        ("releases", "releaseevent"): ("view",),
        ("releases", "revision"): ("view",),
        ("releases", "previewlink"): ("view",),
        ("contacts", "organisation"): ("view",),
        ("contacts", "contact"): _EDIT,
        ("publications", "series"): ("view",),
        # Officers write publications that go public with their release; no date, no
        # replacing the file of a public one (publications.Publication.publishing_changes).
        ("publications", "publication"): _EDIT,
        ("publications", "publicationfileversion"): ("view",),
        # Appointments: written like releases; applications hold personal data (leads only).
        ("appointments", "appointment"): (*_EDIT, "submit"),
        ("appointments", "notice"): ("view",),
        ("appointments", "appointmentevent"): ("view",),
    },
    PRESS_LEADS: {
        ("releases", "release"): (*_ALL, "submit", "approve", "correct", "withdraw"),
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        ("releases", "correction"): _ALL,
        ("releases", "topic"): _ALL,
        ("releases", "releaseevent"): ("view",),
        ("releases", "revision"): ("view",),
        ("releases", "previewlink"): _ALL,
        ("contacts", "organisation"): _ALL,
        ("contacts", "contact"): _ALL,
        ("publications", "series"): _ALL,
        ("publications", "publication"): (*_ALL, "publish"),
        ("publications", "publicationfileversion"): ("view",),
        ("appointments", "appointment"): (*_ALL, "submit", "approve", "correct", "cancel"),
        ("appointments", "notice"): ("view",),
        ("appointments", "appointmentevent"): ("view",),
        ("appointments", "accreditation"): ("view", "change", "delete", "decide"),
        # Legal pages: three fixed pages, edited (never added or deleted); feedback closed.
        ("legal", "legalpage"): ("view", "change"),
        ("legal", "legalpagerevision"): ("view",),
        ("legal", "feedback"): ("view", "change", "delete"),
    },
}


def sync_roles(apps):
    """Create the groups and grant them what ROLE_PERMISSIONS lists (for data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate finishes; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for (app_label, model), actions in grants.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=codenames,
                )
            )
