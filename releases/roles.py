"""The press office's roles, as Django groups, and the model permissions each one holds."""

PRESS_OFFICERS = "Press officers"
PRESS_LEADS = "Press leads"

_EDIT = ("view", "add", "change")
_ALL = ("view", "add", "change", "delete")

# (app label, model name) -> actions, per role. Leads may also delete; officers never.
ROLE_PERMISSIONS = {
    PRESS_OFFICERS: {
        ("releases", "release"): _EDIT,
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        ("releases", "correction"): ("view",),
        ("releases", "topic"): ("view",),
        ("contacts", "organisation"): ("view",),
        ("contacts", "contact"): _EDIT,
        ("publications", "series"): ("view",),
        ("publications", "publication"): _EDIT,
    },
    PRESS_LEADS: {
        ("releases", "release"): _ALL,
        ("releases", "releasecontact"): _ALL,
        ("releases", "releaselink"): _ALL,
        ("releases", "releaseimage"): _ALL,
        ("releases", "correction"): _ALL,
        ("releases", "topic"): _ALL,
        ("contacts", "organisation"): _ALL,
        ("contacts", "contact"): _ALL,
        ("publications", "series"): _ALL,
        ("publications", "publication"): _ALL,
    },
}
