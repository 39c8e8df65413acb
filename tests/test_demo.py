"""`manage.py demo`: the seed-shaped content and the demo users, idempotently."""

import io

from django.contrib.auth import authenticate
from django.core import serializers
from django.core.management import call_command
from django.test import RequestFactory

from appointments.models import Appointment, AppointmentImage
from contacts.models import Contact, Organisation
from photos.models import Photo, PhotoTranslation
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
    Photo,
    PhotoTranslation,
    Appointment,
    AppointmentImage,
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
    # The embargoed release, the two drafts and the authority's release in review stay hidden.
    assert Release.objects.exclude(pk__in=Release.objects.live()).count() == 4


def login(username, password):
    # The login throttle (django-axes) needs the request that tries to log in.
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


def test_demo_users_can_log_in_with_the_printed_passwords(db):
    output = run_demo()
    for username, office, role in [
        ("officer", "smwa", "officer"),
        ("lead", "smwa", "lead"),
        ("officer-smk", "smk", "officer"),
        ("lead-smk", "smk", "lead"),
        ("officer-lasuv", "lasuv", "officer"),
        ("lead-lasuv", "lasuv", "lead"),
    ]:
        password = f"newsroom-{username}"
        assert f"{username}" in output and password in output
        user = login(username, password)
        assert user.is_staff
        assert [(m.organisation.slug, m.role) for m in user.office_memberships.all()] == [
            (office, role)
        ]
    portal = login("portal", "newsroom-portal")
    assert portal.groups.filter(name="Portal administrators").exists()
    assert login("admin", "newsroom-admin").is_superuser


def test_demo_has_three_offices_one_reviewed_by_its_ministry(db):
    run_demo()
    authority = Organisation.objects.get(slug="lasuv")
    assert authority.parent.slug == "smwa" and authority.reviewed_by_parent
    assert Organisation.objects.filter(slug__in=["smwa", "smk", "lasuv"]).count() == 3
    waiting = Release.objects.get(issuer=authority, state="in_review")
    lead = authority.parent.memberships.get(role="lead").user
    assert lead.has_perm("releases.approve_release", waiting)


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
    assert "newsroom-officer " not in output  # (officer-smk's password begins alike)


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


def test_demo_has_a_joint_release_of_two_ministries(client, db):
    run_demo()
    joint = Release.objects.live().get(co_issuers__slug="smk")
    assert joint.issuer.slug == "smwa"
    assert joint.revisions.get().snapshot["co_issuers"][0]["name"].endswith("für Kultus")
    for page in ("/herausgeber/smwa/", "/herausgeber/smk/"):
        assert joint.title in client.get(page).content.decode()
