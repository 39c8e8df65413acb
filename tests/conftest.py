"""Fixtures named by role (officer, lead, stranger) and by the objects of the seed release."""

import hashlib
import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from contacts.models import Contact, OfficeMembership, Organisation
from newsroom import site
from newsroom.cache import current_generation
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases.models import Release, ReleaseContact, State
from releases.roles import PORTAL_ADMINISTRATORS, PRESS_LEADS, PRESS_OFFICERS, sync_roles
from tests.helpers import join_every_office


@pytest.fixture(scope="session", autouse=True)
def renditions_encoded_once():
    """Encode a photo's renditions once per session for the same pixels and texts: the demo
    (loaded by many tests) and `make_photo` show the same pictures again and again, and encoding
    them was a third of the suite's time. Each distinct photo is still encoded for real, and its
    files are written anew under new names every time, as `generate` does."""
    from photos import renditions

    encode, encoded = renditions.encode, {}

    def remembered(photo, image):
        key = hashlib.sha256(image.tobytes())
        for part in (image.mode, image.size, (photo.focus_x, photo.focus_y)):
            key.update(repr(part).encode())
        key.update(renditions.xmp_packet(photo))
        key.update(renditions.download_exif(photo).tobytes())
        digest = key.digest()
        if digest not in encoded:
            encoded[digest] = encode(photo, image)
        return encoded[digest]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(renditions, "encode", remembered)
        yield


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with no cached page and no rate-limit counter of an earlier test."""
    for alias in caches:
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in German: a request under /en/ leaves English active in the thread, and
    addresses built outside a request (`get_absolute_url()`) would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def portal_settings_read(request, empty_caches):
    """Pages read the portal's settings (newsroom/site.py) from the cache, which the first page
    after a change fills: tests, and their query budgets, see pages as every later one does."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_database:
        request.getfixturevalue("db")
        site.current()
        # Likewise the content generation (newsroom/cache.py), which the first page after a
        # go-live second describes for every process: lists keep their totals under it.
        current_generation()


@contextmanager
def shared_transaction(django_db_blocker):
    """A transaction left open around a group of tests and rolled back after them: rows written
    in it once (with `django_db_blocker.unblock()`) are seen by every test of the group, and
    pytest-django runs each test in a savepoint inside it, so what a test writes is undone. Not
    for transactional tests (their flush would empty it) nor around tests that create the same
    rows again (e.g. the `officer` fixture's user beside the demo's)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker):
    """The demo content (`manage.py demo`, with its users), loaded once for a class of tests."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("demo", stdout=io.StringIO())
        yield


def role(name: str) -> Group:
    """The group the data migration made; transactional tests flush it, so make it again."""
    if not Group.objects.filter(name=name).exists():
        sync_roles(django_apps)
    return Group.objects.get(name=name)


def member_of_every_office(user, office_role: str):
    """Give `user` the role in every press office, also in those the test makes later (as the
    migration does for the old global groups); the offices' own tests use single offices."""
    role(PRESS_OFFICERS), role(PRESS_LEADS)
    join_every_office(user, office_role)

    def join(office):
        OfficeMembership.objects.create(user=user, organisation=office, role=office_role)

    uid = f"member-of-every-office-{user.pk}"
    post_save.connect(
        # Not for rows loaded as they are (fixtures, a restored archive): those bring their own.
        lambda instance, created, raw=False, **kwargs: created and not raw and join(instance),
        sender=Organisation,
        weak=False,
        dispatch_uid=uid,
    )
    return uid


# Officers and leads work in the test's office (`issuer`) and every other one there is or will be.
@pytest.fixture
def officer(django_user_model, issuer):
    user = django_user_model.objects.create_user("officer", password="pw-officer", is_staff=True)
    uid = member_of_every_office(user, OfficeMembership.Role.OFFICER)
    yield user
    post_save.disconnect(sender=Organisation, dispatch_uid=uid)


@pytest.fixture
def lead(django_user_model, issuer):
    user = django_user_model.objects.create_user("lead", password="pw-lead", is_staff=True)
    uid = member_of_every_office(user, OfficeMembership.Role.LEAD)
    yield user
    post_save.disconnect(sender=Organisation, dispatch_uid=uid)


@pytest.fixture
def portal_admin(django_user_model, db):
    """A portal administrator: the group's permissions, granted portal-wide."""
    user = django_user_model.objects.create_user(
        "portal-admin", password="pw-portal", is_staff=True, email="portal@example.org"
    )
    user.groups.add(role(PORTAL_ADMINISTRATORS))
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
