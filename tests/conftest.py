"""Fixtures named by role (officer, lead, stranger) and by the objects of the seed release."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.utils import timezone

from contacts.models import Contact, Organisation
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases.models import Release, ReleaseContact, State
from releases.roles import PRESS_LEADS, PRESS_OFFICERS, sync_roles


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with no cached page and no rate-limit counter of an earlier test."""
    for alias in caches:
        caches[alias].clear()
    yield


def role(name: str) -> Group:
    """The group the data migration made; transactional tests flush it, so make it again."""
    if not Group.objects.filter(name=name).exists():
        sync_roles(django_apps)
    return Group.objects.get(name=name)


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw-officer", is_staff=True)
    user.groups.add(role(PRESS_OFFICERS))
    return user


@pytest.fixture
def lead(django_user_model):
    user = django_user_model.objects.create_user("lead", password="pw-lead", is_staff=True)
    user.groups.add(role(PRESS_LEADS))
    return user


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("stranger", password="pw-stranger")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-root")


@pytest.fixture
def issuer(db):
    return Organisation.objects.create(
        name="Ministerium für Beispiele",
        short_name="MfB",
        slug="mfb",
        street_address="Musterstraße 1",
        postcode="01097",
        city="Dresden",
        directions="Straßenbahn 3 bis Carolaplatz.",
        legal_notice="Kein Zugang für verschlüsselte Dokumente.",
    )


@pytest.fixture
def contact(issuer):
    return Contact.objects.create(
        organisation=issuer,
        name="Erika Mustermann",
        slug="erika-mustermann",
        role="Pressesprecherin",
        phone="+49 351 111",
        fax="+49 351 112",
        email="presse@example.org",
    )


YESTERDAY = object()


@pytest.fixture
def make_publication(issuer):
    """Create a publication dated yesterday; `published_at=None` makes one that goes public
    with its release."""

    def make(slug="bericht", published_at=YESTERDAY, **fields):
        if published_at is YESTERDAY:
            published_at = timezone.now() - timedelta(days=1)
        publication = Publication(
            slug=slug,
            title=fields.pop("title", "Ein Bericht"),
            issuer=issuer,
            published_at=published_at,
            **fields,
        )
        publication.file = ContentFile(build_pdf("Ein Bericht", ["Seite eins"]), name="a.pdf")
        publication.save()
        return publication

    return make


@pytest.fixture
def series(db):
    return Series.objects.create(title="Schlaglicht", slug="schlaglicht")


@pytest.fixture
def make_release(issuer):
    """Create a release; `live=True` makes it approved with a go-live one hour ago."""

    def make(slug="mitteilung", *, live=True, contacts=(), **fields):
        now = timezone.now()
        defaults = {
            "issuer": issuer,
            "title": "Eine Mitteilung",
            "lead": "Der Vorspann.",
            "body": "<p>Der Text.</p>",
        }
        if live:
            defaults |= {
                "state": State.APPROVED,
                "go_live_at": now - timedelta(hours=1),
                "first_published_at": now - timedelta(hours=1),
            }
        release = Release.objects.create(slug=slug, **(defaults | fields))
        for order, item in enumerate(contacts):
            ReleaseContact.objects.create(release=release, contact=item, order=order)
        return release

    return make
