"""The one history of a release: saves with their diff, transitions, restores, corrections,
withdrawals (`newsroom.history`) and the life of its preview links, in the order they happened."""

from django.utils.translation import gettext as _

from newsroom import history
from newsroom.history import Entry

from .models import PreviewAccess, Release
from .revisions import compare


def preview_link_entries(release: Release) -> list[Entry]:
    """Each preview link's creation, revocation and use."""
    found = []
    for link in release.preview_links.select_related("created_by"):
        found.append(
            Entry(
                link.created_at,
                link.created_by,
                _("Preview link created"),
                [
                    _("for %(recipient)s") % {"recipient": link.label},
                    _("valid until %(when)s") % {"when": history.when(link.expires_at)},
                ],
            )
        )
        if link.revoked_at:
            found.append(
                Entry(
                    link.revoked_at,
                    None,
                    _("Preview link revoked"),
                    [_("for %(recipient)s") % {"recipient": link.label}],
                )
            )
    for access in PreviewAccess.objects.filter(link__release=release).select_related("link"):
        found.append(
            Entry(
                access.accessed_at,
                None,
                _("Preview link used"),
                [_("by the holder of the link for %(name)s") % {"name": access.link.label}],
            )
        )
    return found


def entries(release: Release) -> list[Entry]:
    """Every event of `release`, oldest first."""
    return history.entries(release, compare, more=preview_link_entries(release))
