"""Revisions: every save is a snapshot; any two can be compared; an old one can be restored."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from releases import revisions
from releases.models import Release, ReleaseLink, Topic
from tests.helpers import release_post_data


@pytest.fixture
def edited(client, officer, make_release, contact):
    """A draft saved three times through the admin by the officer."""
    release = make_release("versionen", live=False, created_by=officer, contacts=[contact])
    release.topics.add(Topic.objects.create(name="Verkehr", slug="verkehr"))
    ReleaseLink.objects.create(release=release, title="Fahrplan", url="https://example.org/")
    client.force_login(officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    for lead in ["Der erste Vorspann.", "Der zweite, bessere Vorspann.", "Der dritte Vorspann."]:
        release.refresh_from_db()
        client.post(url, release_post_data(release, lead=lead))
    release.refresh_from_db()
    return release


def test_every_save_records_a_full_snapshot(edited, contact):
    assert [r.number for r in edited.revisions.all()] == [4, 3, 2]
    snapshot = edited.revisions.get(number=3).snapshot
    assert snapshot["lead"] == "Der zweite, bessere Vorspann."
    assert snapshot["contacts"] == [{"id": contact.pk, "name": contact.name}]
    assert snapshot["topics"][0]["name"] == "Verkehr"
    assert snapshot["links"] == [{"title": "Fahrplan", "url": "https://example.org/", "order": 0}]
    assert snapshot["issuer"]["name"] == edited.issuer.name


def test_history_page_lists_versions_with_author_and_time(client, edited, officer):
    response = client.get(reverse("admin:releases_release_revisions", args=[edited.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<td>officer</td>") == 3


def test_diff_is_word_level_and_field_by_field(client, edited):
    url = reverse("admin:releases_release_revisions", args=[edited.pk])
    page = client.get(url, {"old": 2, "new": 3}).content.decode()
    assert "<del>erste</del>" in page or "<del>erste </del>" in page
    assert "<ins>zweite, bessere</ins>" in page
    assert "Vorspann" in page


def test_word_diff_escapes_markup():
    diff = revisions.word_diff("a <b>", "a <script>")
    assert "<script>" not in diff and "&lt;script&gt;" in diff


def test_compare_reports_list_changes():
    old = {"topics": [{"id": 1, "name": "Verkehr"}], "title": "A"}
    new = {"topics": [{"id": 2, "name": "Kultur"}], "title": "A"}
    assert [change.field for change in revisions.compare(old, new)] == ["topics"]


def test_restoring_creates_a_new_version_with_the_old_content(client, edited, contact):
    Contact.objects.create(organisation=contact.organisation, name="Neu", slug="neu")
    edited.release_contacts.all().delete()
    edited.links.all().delete()
    restore = reverse("admin:releases_release_restore", args=[edited.pk, 2])
    data = {"opened_version": edited.version, "confirm": "on"}
    assert client.post(restore, data).status_code == 302

    edited.refresh_from_db()
    assert edited.version == 5
    assert edited.lead == "Der erste Vorspann."
    assert list(edited.contacts.all()) == [contact]
    assert list(edited.links.values_list("title", flat=True)) == ["Fahrplan"]
    newest = edited.revisions.first()
    assert (newest.number, newest.restored_from) == (5, 2)
    assert [r.number for r in edited.revisions.all()] == [5, 4, 3, 2]


def test_restore_asks_first_and_needs_the_change_permission(client, edited, stranger):
    restore = reverse("admin:releases_release_restore", args=[edited.pk, 2])
    page = client.get(restore)
    assert page.status_code == 200 and "Wiederherstellen" in page.content.decode()
    assert client.post(restore, {"opened_version": edited.version}).status_code == 200
    assert Release.objects.get(pk=edited.pk).version == 4
    client.force_login(stranger)
    client.post(restore, {"opened_version": edited.version, "confirm": "on"})
    assert Release.objects.get(pk=edited.pk).version == 4
