"""`manage.py demo`: the seed-shaped content and the demo users, idempotently."""

import io

from django.contrib.auth import authenticate
from django.core import serializers
from django.core.management import call_command
from django.test import RequestFactory

from appointments.models import Appointment
from contacts.models import Contact, Organisation
from publications.models import Publication, Series
from releases.models import Release, ReleaseContact, ReleaseImage, ReleaseLink, Topic

MODELS = [
    Organisation,
    Contact,
    Series,
    Publication,
    Topic,
    Release,
    ReleaseContact,
    ReleaseLink,
    ReleaseImage,
    Appointment,
]


def snapshot(django_user_model):
    rows = []
    for model in [*MODELS, django_user_model]:
        rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return rows


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_the_seed_release_and_more_live_releases(db):
    run_demo()
    assert Release.objects.live().count() >= 9
    assert Topic.objects.filter(releases__in=Release.objects.live()).distinct().count() >= 4
    assert Series.objects.get(slug="schlaglicht").publications.get().mime_type == (
        "application/pdf"
    )
    # The embargoed and the draft demo releases stay hidden.
    assert Release.objects.exclude(pk__in=Release.objects.live()).count() == 2


def login(username, password):
    # The login throttle (django-axes) needs the request that tries to log in.
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


def test_demo_users_can_log_in_with_the_printed_passwords(db):
    output = run_demo()
    for username, role in [("officer", "Press officers"), ("lead", "Press leads")]:
        password = f"newsroom-{username}"
        assert f"{username}" in output and password in output
        user = login(username, password)
        assert user.is_staff and user.groups.filter(name=role).exists()
    assert login("admin", "newsroom-admin").is_superuser


def test_running_demo_twice_changes_nothing(db, django_user_model):
    run_demo()
    before = snapshot(django_user_model)
    output = run_demo()
    assert snapshot(django_user_model) == before
    assert "nothing changed" in output


def test_demo_does_not_reset_a_changed_password(db, django_user_model):
    run_demo()
    officer = django_user_model.objects.get(username="officer")
    officer.set_password("a-new-secret-1")
    officer.save()
    output = run_demo()
    assert login("officer", "a-new-secret-1")
    assert "newsroom-officer" not in output


def test_demo_has_two_upcoming_appointments_of_the_ministry_one_with_accreditation(
    db, client, django_user_model
):
    run_demo()
    upcoming = Appointment.objects.live().upcoming()
    assert [a.issuer.slug for a in upcoming] == ["smwa", "smwa"]
    assert [a.requires_accreditation for a in upcoming] == [True, False]
    accredited = upcoming[0]
    assert accredited.accreditation_open and accredited.capacity
    assert accredited.revisions.count() == 1
    page = client.get(accredited.get_absolute_url())
    assert page.status_code == 200 and accredited.title in page.content.decode()
    # Run again: the appointments are not created twice.
    run_demo()
    assert Appointment.objects.count() == 2
