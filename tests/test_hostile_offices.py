"""Hostile tests: press offices attacked with crafted admin requests.

A user who holds a role in one office must not use that role's permissions on another office's
content, also where the admin asks Django's permission question without the object (inlines).
"""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from releases.models import PreviewLink
from tests import test_offices
from tests.helpers import change_url, release_post_data

# The offices, people and releases of the permission matrix (fixtures).
offices, people, releases = test_offices.offices, test_offices.people, test_offices.releases


def preview_link_post(release, label):
    return release_post_data(release) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-label": label,
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "10:00:00",
    }


def test_a_lead_elsewhere_cannot_make_a_preview_link_where_they_are_an_officer(
    client, people, releases
):
    # "mixed" is an officer of the ministry and a lead of the other ministry: only leads make
    # embargo links, and only for their own office's releases.
    client.force_login(people["mixed"])
    release = releases["ministry"]
    client.post(change_url(release), preview_link_post(release, "Durchgestochen"))
    assert not PreviewLink.objects.filter(label="Durchgestochen").exists()


def test_a_lead_elsewhere_cannot_revoke_or_extend_a_preview_link_where_they_are_an_officer(
    client, people, releases
):
    release = releases["ministry"]
    expires = timezone.now() + timedelta(days=1)
    link = PreviewLink.objects.create(release=release, label="Für die Zeitung", expires_at=expires)
    client.force_login(people["mixed"])
    data = release_post_data(release) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-INITIAL_FORMS": "1",
        "preview_links-0-id": link.pk,
        "preview_links-0-release": release.pk,
        "preview_links-0-label": "Für die Zeitung",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "10:00:00",
        "preview_links-0-revoke": "on",
    }
    client.post(change_url(release), data)
    link.refresh_from_db()
    assert link.revoked_at is None
    assert link.expires_at == expires


def test_a_lead_of_one_office_cannot_rewrite_the_portals_privacy_policy(client, people):
    from legal.models import LegalPage, PageKind

    page, _ = LegalPage.objects.get_or_create(
        kind=PageKind.PRIVACY, defaults={"title_de": "Datenschutz", "body_de": "<p>Echt.</p>"}
    )
    # The authority's lead is a press lead of one small office, not a portal administrator.
    client.force_login(people["lead_c"])
    url = reverse("admin:legal_legalpage_change", args=[page.pk])
    form = client.get(url).content.decode()
    data = {"title_de": "Datenschutz", "body_de": "<p>Gefälscht.</p>", "title_en": ""}
    for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', form):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    client.post(url, data)
    page.refresh_from_db()
    assert "Gefälscht" not in page.body_de


def test_a_lead_of_one_office_cannot_read_the_portals_accessibility_feedback(client, people):
    from legal.models import Feedback

    Feedback.objects.create(message="Bitte größere Schrift.", name="Anna Privat", email="a@x.org")
    client.force_login(people["lead_c"])
    listed = client.get(reverse("admin:legal_feedback_changelist"))
    assert "Bitte größere Schrift" not in listed.content.decode()


def test_a_restore_cannot_move_a_release_into_an_office_the_user_has_no_role_in(
    client, people, offices
):
    from releases.models import Release
    from tests.helpers import new_release_data

    # Someone in both offices writes a release for the ministry, then files it under the other.
    client.force_login(people["mixed"])
    ministry, other = offices["ministry"], offices["other"]
    client.post(reverse("admin:releases_release_add"), new_release_data(issuer=ministry.pk))
    release = Release.objects.get(slug="neue-mitteilung")
    client.post(change_url(release), release_post_data(release, issuer=other.pk))
    release.refresh_from_db()
    assert release.issuer == other and release.revisions.filter(number=1).exists()
    # The other ministry's lead, who has no role in the ministry, restores the first version.
    client.force_login(people["lead_b"])
    url = reverse("admin:releases_release_restore", args=[release.pk, 1])
    client.post(url, {"opened_version": release.version, "confirm": "on"})
    release.refresh_from_db()
    assert release.issuer == other


def test_view_on_site_does_not_name_another_offices_draft(client, people, releases):
    from django.contrib.contenttypes.models import ContentType

    from releases.models import Release

    content_type = ContentType.objects.get_for_model(Release)
    theirs, mine = releases["other"], releases["ministry"]
    client.force_login(people["officer_a"])
    # Django's "view on site" redirect would answer with the address, which holds the slug.
    response = client.get(f"/admin/r/{content_type.pk}/{theirs.pk}/")
    assert theirs.slug not in response.get("Location", "")
    assert response.status_code == 404
    # One's own office's release: the redirect still works.
    response = client.get(f"/admin/r/{content_type.pk}/{mine.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(mine.get_absolute_url())


def test_a_lead_cannot_rename_their_office_after_another(client, people, offices):
    authority = offices["authority"]
    identity = (authority.name, authority.short_name, authority.slug)
    client.force_login(people["lead_c"])
    url = reverse("admin:contacts_organisation_change", args=[authority.pk])
    form = client.get(url).content.decode()
    data = {
        "name": "Sächsische Staatskanzlei",
        "short_name": "SK",
        "slug": "staatskanzlei",
        "city": "Chemnitz",  # what the office may change itself
    }
    for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', form):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 302, "the address change is saved"
    authority.refresh_from_db()
    assert authority.city == "Chemnitz"
    assert (authority.name, authority.short_name, authority.slug) == identity
