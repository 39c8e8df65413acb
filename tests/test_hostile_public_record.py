"""Hostile tests: what outsiders holding a secret embargo link see, against the public record."""

from datetime import timedelta

from django.utils import timezone

from releases.models import PreviewLink, Release, State
from tests.helpers import change_url, release_post_data


def test_an_embargo_link_does_not_show_an_edit_that_voided_the_approval(
    client, officer, lead, make_release
):
    """An embargo link shows the release only while it stands approved (SHOWN_TO_LINK_HOLDERS):
    after an edit voids the approval, journalists holding the link read no unapproved draft."""
    go_live = timezone.now() + timedelta(days=1)
    release = make_release(
        "sperrfrist",
        live=False,
        state=State.APPROVED,
        go_live_at=go_live,
        first_published_at=go_live,
        body="<p>Freigegebener Text.</p>",
    )
    link = PreviewLink.objects.create(
        release=release, label="Zeitung", expires_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(officer)
    data = release_post_data(release, body="<p>Unfertiger Entwurf, nicht abgestimmt.</p>")
    client.post(change_url(release), data | {"confirm": "on"})
    assert Release.objects.get(pk=release.pk).state == State.IN_REVIEW  # the approval is void
    client.logout()
    page = client.get(link.get_absolute_url())
    assert page.status_code == 404
    assert "Unfertiger Entwurf" not in page.content.decode()
    assert "Freigegebener Text" not in page.content.decode()

    # Approved again, the link shows the new text.
    Release.objects.filter(pk=release.pk).update(
        state=State.APPROVED, go_live_at=go_live, first_published_at=go_live
    )
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200
    assert "Unfertiger Entwurf" in page.content.decode()
