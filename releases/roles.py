"""The press office's roles, as Django groups, and the permissions each one holds.

Press officers write and submit; press leads also approve, schedule, publish, correct and
withdraw, and decide when a publication is public (its date, replacing a public file). The data
migrations call `sync_roles`, so a new permission here needs a new migration that calls it again.

Officers and leads hold their role per press office (`contacts.OfficeMembership`): the group
says what the role may do, `contacts.offices.OfficeBackend` grants it for that office's content
only. Portal administrators are a group of their own, granted portal-wide: they manage offices,
memberships, topics, series and users, the legal pages, accessibility feedback and the alert
subscribers, and see everything (they approve nothing).
"""

PRESS_OFFICERS = "Press officers"
PRESS_LEADS = "Press leads"
PORTAL_ADMINISTRATORS = "Portal administrators"

# The groups that stand for a role in an office (contacts.OfficeMembership.Role).
OFFICE_ROLES = {"officer": PRESS_OFFICERS, "lead": PRESS_LEADS}

# What the press leads of a parent office (a ministry) may do in a subordinate office that has
# "parent office reviews" set: read and review, not write.
PARENT_REVIEW = frozenset(
    {
        "releases.view_release",
        "releases.approve_release",
        "releases.view_revision",
        "releases.view_releaseevent",
        "releases.view_previewlink",
        "releases.view_correction",
        "appointments.view_appointment",
        "appointments.approve_appointment",
        "appointments.view_appointmentevent",
        "appointments.view_notice",
        # The photos the child's releases show.
        "photos.view_photo",
    }
)

# What the members of a joint release's co-issuing offices may do with it: read it, its
# versions, history and corrections (what goes out in their name); its lead issuer's office
# writes, moves and shares it (preview links).
CO_ISSUER_VIEW = frozenset(
    {
        "releases.view_release",
        "releases.view_revision",
        "releases.view_releaseevent",
        "releases.view_correction",
        # Its photos (contacts.offices finds them through the release), never to reuse them.
        "photos.view_photo",
    }
)

_EDIT = ("view", "add", "change")
_ALL = ("view", "add", "change", "delete")

# (app label, model name) -> actions, per role. Officers never delete a release, a publication
# or a contact.
ROLE_PERMISSIONS = {
    PRESS_OFFICERS: {
        ("releases", "release"): (*_EDIT, "submit"),
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        # A release's English version is written with it (part of its version).
        ("releases", "releasetranslation"): _ALL,
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
        ("publications", "publicationtranslation"): _ALL,
        ("publications", "publicationfileversion"): ("view",),
        # The office's media library: a photo in use is never deleted (PROTECT), an unused one
        # is anybody's of the office to clear away.
        ("photos", "photo"): _ALL,
        # Appointments: written like releases; applications hold personal data (leads only).
        ("appointments", "appointment"): (*_EDIT, "submit"),
        ("appointments", "appointmentimage"): _ALL,
        ("appointments", "notice"): ("view",),
        ("appointments", "appointmentevent"): ("view",),
    },
    PRESS_LEADS: {
        ("releases", "release"): (*_ALL, "submit", "approve", "correct", "withdraw"),
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        ("releases", "releasetranslation"): _ALL,
        ("releases", "correction"): _ALL,
        # Topics are portal-wide, curated by portal administrators.
        ("releases", "topic"): ("view",),
        ("releases", "releaseevent"): ("view",),
        ("releases", "revision"): ("view",),
        ("releases", "previewlink"): _ALL,
        # Their own office's address and legal notice; offices are made by portal administrators.
        ("contacts", "organisation"): ("view", "change"),
        # Its name and directions in English, edited by the leads directly.
        ("contacts", "organisationtranslation"): _ALL,
        ("contacts", "contact"): _ALL,
        ("publications", "series"): _ALL,
        ("publications", "publication"): (*_ALL, "publish"),
        ("publications", "publicationtranslation"): _ALL,
        ("publications", "publicationfileversion"): ("view",),
        ("photos", "photo"): _ALL,
        ("appointments", "appointment"): (*_ALL, "submit", "approve", "correct", "cancel"),
        ("appointments", "appointmentimage"): _ALL,
        ("appointments", "notice"): ("view",),
        ("appointments", "appointmentevent"): ("view",),
        ("appointments", "accreditation"): ("view", "change", "delete", "decide"),
    },
    PORTAL_ADMINISTRATORS: {
        ("auth", "user"): ("view", "add", "change"),
        ("auth", "group"): ("view",),
        ("accounts", "securityevent"): ("view",),
        ("contacts", "organisation"): _ALL,
        ("contacts", "organisationtranslation"): _ALL,
        ("contacts", "officemembership"): _ALL,
        ("contacts", "contact"): ("view",),
        ("releases", "topic"): _ALL,
        ("releases", "topictranslation"): _ALL,
        ("publications", "series"): _ALL,
        ("releases", "release"): ("view",),
        ("releases", "releaseevent"): ("view",),
        ("releases", "revision"): ("view",),
        ("releases", "previewlink"): ("view",),
        ("releases", "correction"): ("view",),
        ("publications", "publication"): ("view",),
        ("publications", "publicationfileversion"): ("view",),
        ("photos", "photo"): ("view",),
        ("appointments", "appointment"): ("view",),
        ("appointments", "notice"): ("view",),
        ("appointments", "appointmentevent"): ("view",),
        # The portal's legal pages (three fixed pages, edited, never added or deleted) and the
        # feedback on its accessibility statement: the portal's, not any one office's.
        ("legal", "legalpage"): ("view", "change"),
        ("legal", "legalpagerevision"): ("view",),
        ("legal", "feedback"): ("view", "change", "delete"),
        # The alert service's subscribers (addresses masked: `alerts.view_subscriber_address`
        # is granted to nobody by default), its mailings and delivery log.
        ("alerts", "subscriber"): ("view",),
        ("alerts", "mailing"): ("view",),
        ("alerts", "delivery"): ("view",),
        # The portal's own name, logo and footer links (one row, never added or deleted).
        ("newsroom", "sitesettings"): ("view", "change"),
        ("newsroom", "footerlink"): _ALL,
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
