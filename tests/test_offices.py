"""Press offices: offices × roles × actions, crafted requests across offices, mail, migration.

Three offices: a ministry, a second ministry, and an authority under the first (whose
releases the ministry's leads review). Users hold roles per office; `mixed` is an officer of
the ministry and a lead of the second ministry, who must not approve the ministry's releases.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from appointments import workflow as appointment_workflow
from appointments.models import Accreditation, Appointment
from contacts.models import Contact, OfficeMembership, Organisation
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases import workflow
from releases.models import PreviewLink, Release, ReleaseEvent, State
from releases.roles import PORTAL_ADMINISTRATORS
from tests.conftest import role
from tests.helpers import change_url, new_release_data, post_transition, release_post_data

OFFICER, LEAD = OfficeMembership.Role.OFFICER, OfficeMembership.Role.LEAD


@pytest.fixture
def offices(db):
    role("Press leads")  # the role groups (a flushed database lacks them)
    ministry = Organisation.objects.create(name="Ministerium A", short_name="MA", slug="ma")
    other = Organisation.objects.create(name="Ministerium B", short_name="MB", slug="mb")
    authority = Organisation.objects.create(
        name="Landesamt C", short_name="LC", slug="lc", parent=ministry
    )
    return {"ministry": ministry, "other": other, "authority": authority}


@pytest.fixture
def people(offices, django_user_model):
    def user(name, *roles):
        person = django_user_model.objects.create_user(
            name, password="pw", is_staff=True, email=f"{name}@example.org"
        )
        for office, office_role in roles:
            OfficeMembership.objects.create(
                user=person, organisation=offices[office], role=office_role
            )
        return person

    portal = user("portal")
    portal.groups.add(Group.objects.get(name=PORTAL_ADMINISTRATORS))
    return {
        "officer_a": user("officer_a", ("ministry", OFFICER)),
        "lead_a": user("lead_a", ("ministry", LEAD)),
        "lead_b": user("lead_b", ("other", LEAD)),
        "officer_c": user("officer_c", ("authority", OFFICER)),
        "lead_c": user("lead_c", ("authority", LEAD)),
        "mixed": user("mixed", ("ministry", OFFICER), ("other", LEAD)),
        "portal": portal,
    }


def make_release(office, slug, state=State.DRAFT, author=None):
    return Release.objects.create(
        issuer=office,
        slug=slug,
        title=f"Mitteilung {slug}",
        lead="Vorspann.",
        body="<p>Text.</p>",
        state=state,
        created_by=author,
        last_edited_by=author,
    )


@pytest.fixture
def releases(offices, people):
    """A draft and a release in review (last edited by the office's officer) per office."""
    writers = {"ministry": "officer_a", "other": "lead_b", "authority": "officer_c"}
    made = {}
    for key, office in offices.items():
        author = people[writers[key]]
        made[key] = make_release(office, f"entwurf-{key}", author=author)
        made[f"{key}_review"] = make_release(office, f"pruefung-{key}", State.IN_REVIEW, author)
    return made


def log_in(client, people, who):
    client.force_login(people[who])


def admin(name, *args):
    return reverse(f"admin:releases_release_{name}", args=args)


# The matrix: who may do what with a release of which office. "edit" is a crafted change POST,
# "review" publishing a release in review (approve, publish now), "submit" submitting a draft.
ALL = {"list", "view", "edit", "submit", "review", "history", "links", "delete"}
READ = {"list", "view", "history", "links"}
MATRIX = {
    ("officer_a", "ministry"): ALL - {"review", "delete"},
    ("lead_a", "ministry"): ALL,
    # An officer here, a lead elsewhere: writes here, approves only there.
    ("mixed", "ministry"): ALL - {"review", "delete"},
    ("mixed", "other"): ALL,
    ("lead_b", "ministry"): set(),
    ("officer_a", "other"): set(),
    # The ministry's leads review the authority's releases: read and approve, not write.
    ("lead_a", "authority"): READ | {"review"},
    ("officer_a", "authority"): set(),
    ("lead_c", "authority"): ALL,
    ("officer_c", "authority"): ALL - {"review", "delete"},
    # An authority's lead has no say over the ministry.
    ("lead_c", "ministry"): set(),
    # Portal administrators see everything and write nothing.
    ("portal", "ministry"): READ,
    ("portal", "authority"): READ,
}


HISTORY = ("history", "revisions")
# Another office's object: refused, or (the pages that look it up in the admin's scoped
# queryset) not found.
REFUSED = {403, 404}


def outcomes(client, release, review):
    """What the logged-in user could do: the set of actions that succeeded."""
    done = set()
    listed = client.get(admin("changelist")).content.decode()
    if f"/admin/releases/release/{release.pk}/change/" in listed:
        done.add("list")
    page = client.get(change_url(release))
    assert page.status_code in {200, 403}
    if page.status_code == 200:
        done.add("view")
        if 'id="preview_links-group"' in page.content.decode():
            done.add("links")
    statuses = {client.get(admin(name, release.pk)).status_code for name in HISTORY}
    assert statuses == {200} or statuses <= REFUSED
    if statuses == {200}:
        done.add("history")
    preview = client.get(admin("preview", release.pk)).status_code
    assert preview == 200 if "view" in done else preview in REFUSED
    edited = client.post(change_url(release), release_post_data(release, title="Geändert"))
    assert edited.status_code in {302, 403, 200}
    if Release.objects.filter(pk=release.pk, title="Geändert").exists():
        done.add("edit")
    response = post_transition(client, release, "submit")
    assert response.status_code in {302, *REFUSED}
    if Release.objects.filter(pk=release.pk, state=State.IN_REVIEW).exists():
        done.add("submit")
    response = post_transition(client, review, "publish_now")
    assert response.status_code in {302, *REFUSED}
    if Release.objects.filter(pk=review.pk, state=State.APPROVED).exists():
        done.add("review")
    # A draft of the same office that has no history yet (an audit event is never deleted).
    draft = make_release(release.issuer, f"loeschbar-{release.pk}")
    deleting = client.get(admin("delete", draft.pk)).status_code
    assert deleting in {200, 403}
    client.post(admin("delete", draft.pk), {"post": "yes"})
    if not Release.objects.filter(pk=draft.pk).exists():
        assert deleting == 200
        done.add("delete")
    return done


@pytest.mark.parametrize(("who", "office"), list(MATRIX))
def test_release_permission_matrix(client, people, releases, who, office):
    log_in(client, people, who)
    done = outcomes(client, releases[office], releases[f"{office}_review"])
    assert done == MATRIX[(who, office)]


def test_the_preview_link_list_needs_the_role_in_the_releases_office(client, people, releases):
    release = releases["ministry"]
    PreviewLink.objects.create(
        release=release, label="Für die Zeitung", expires_at=timezone.now() + timedelta(days=1)
    )
    log_in(client, people, "lead_a")
    assert "Für die Zeitung" in client.get(change_url(release)).content.decode()
    log_in(client, people, "lead_b")
    assert client.get(change_url(release)).status_code == 403
    # A crafted add of a preview link to another office's release changes nothing.
    data = release_post_data(release) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-label": "Gestohlen",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "10:00:00",
    }
    assert client.post(change_url(release), data).status_code == 403
    assert not PreviewLink.objects.filter(label="Gestohlen").exists()


def test_without_parent_review_the_ministry_has_no_say_over_the_authority(
    client, people, offices, releases
):
    Organisation.objects.filter(pk=offices["authority"].pk).update(reviewed_by_parent=False)
    log_in(client, people, "lead_a")
    assert outcomes(client, releases["authority"], releases["authority_review"]) == set()


def test_bulk_delete_skips_another_offices_release(client, people, releases):
    log_in(client, people, "lead_b")
    mine, theirs = releases["other"], releases["ministry"]
    client.post(
        admin("changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert not Release.objects.filter(pk=mine.pk).exists()
    assert Release.objects.filter(pk=theirs.pk).exists()


def test_the_issuer_choice_offers_only_the_users_offices(client, people, offices):
    log_in(client, people, "officer_a")
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "releases", "model_name": "release", "field_name": "issuer", "term": ""},
    ).json()
    assert [row["text"] for row in found["results"]] == ["Ministerium A"]
    # A crafted add for another office is refused and creates nothing.
    response = client.post(admin("add"), new_release_data(issuer=offices["other"].pk))
    assert response.status_code == 200 and "issuer" in response.context["adminform"].form.errors
    assert not Release.objects.exists()
    response = client.post(admin("add"), new_release_data(issuer=offices["ministry"].pk))
    assert response.status_code == 302
    assert Release.objects.get().issuer == offices["ministry"]


def test_moving_a_release_to_another_office_is_refused(client, people, offices, releases):
    log_in(client, people, "officer_a")
    release = releases["ministry"]
    response = client.post(
        change_url(release), release_post_data(release, issuer=offices["other"].pk)
    )
    assert response.status_code == 200
    release.refresh_from_db()
    assert release.issuer == offices["ministry"]


def test_a_release_links_only_its_offices_publications(client, people, offices, releases):
    """Linking another office's unpublished document would publish it with one's release."""
    theirs = Publication(slug="geheim", title="Geheim", issuer=offices["other"])
    theirs.file = ContentFile(build_pdf("Geheim", ["Sperrfrist"]), name="geheim.pdf")
    theirs.save()
    log_in(client, people, "lead_a")
    release = releases["ministry"]
    response = client.post(
        change_url(release), release_post_data(release, publications=[theirs.pk])
    )
    assert response.status_code == 200
    assert not release.publications.exists()


# Contacts, publications, appointments, the audit log: lists and pages per office ----------------


@pytest.fixture
def office_objects(offices, releases, make_appointment_for):
    contact = Contact.objects.create(organisation=offices["ministry"], name="Presse", slug="p")
    publication = Publication(slug="bericht-a", title="Bericht A", issuer=offices["ministry"])
    publication.file = ContentFile(build_pdf("Bericht", ["Seite"]), name="a.pdf")
    publication.save()
    appointment = make_appointment_for(offices["ministry"])
    application = Accreditation.objects.create(
        appointment=appointment,
        name="Journalistin",
        outlet="Zeitung",
        email="j@example.org",
        confirmed_at=timezone.now(),
    )
    event = ReleaseEvent.objects.create(
        release=releases["ministry"], action="save", from_state="draft", to_state="draft"
    )
    return {
        "contacts.contact": contact,
        "publications.publication": publication,
        "appointments.appointment": appointment,
        "appointments.accreditation": application,
        "releases.releaseevent": event,
        "contacts.organisation": offices["ministry"],
    }


@pytest.fixture
def make_appointment_for():
    def make(office):
        now = timezone.now()
        return Appointment.objects.create(
            issuer=office,
            slug=f"termin-{office.slug}",
            title="Pressekonferenz",
            starts_at=now + timedelta(days=3),
            requires_accreditation=True,
        )

    return make


def model_url(label, action, *args):
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model}_{action}", args=args)


@pytest.mark.parametrize(
    "label",
    [
        "contacts.contact",
        "publications.publication",
        "appointments.appointment",
        "appointments.accreditation",
        "releases.releaseevent",
        "contacts.organisation",
    ],
)
@pytest.mark.parametrize(("who", "sees"), [("lead_a", True), ("lead_b", False), ("portal", None)])
def test_other_offices_objects_are_neither_listed_nor_opened(
    client, people, office_objects, label, who, sees
):
    """A lead of another office gets 403 on every page of the object, also for a POST."""
    obj = office_objects[label]
    log_in(client, people, who)
    if sees is None:
        # Portal administrators see all but applications (personal data: the office's leads).
        sees = label != "appointments.accreditation"
    listed = client.get(model_url(label, "changelist")).content.decode()
    assert (model_url(label, "change", obj.pk) in listed) == sees
    expected = 200 if sees else 403
    assert client.get(model_url(label, "change", obj.pk)).status_code == expected
    history = client.get(model_url(label, "history", obj.pk)).status_code
    assert history == 200 if sees else history in REFUSED
    if who == "lead_b":
        assert client.post(model_url(label, "change", obj.pk), {"name": "x"}).status_code == 403
        assert client.post(model_url(label, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_door_list_needs_a_lead_of_the_appointments_office(client, people, office_objects):
    appointment = office_objects["appointments.appointment"]
    url = reverse("admin:appointments_appointment_door_list_csv", args=[appointment.pk])
    log_in(client, people, "lead_b")
    assert client.get(url).status_code == 403
    log_in(client, people, "lead_a")
    assert client.get(url).status_code == 200


def test_an_appointment_is_approved_only_in_its_office(people, offices, make_appointment_for):
    appointment = make_appointment_for(offices["ministry"])
    Appointment.objects.filter(pk=appointment.pk).update(
        state=State.IN_REVIEW, go_live_at=None, last_edited_by=people["officer_a"]
    )
    with pytest.raises(Exception) as refused:
        appointment_workflow.take(
            appointment.pk, "publish_now", people["mixed"], version=appointment.version
        )
    assert type(refused.value).__name__ == "PermissionDenied"
    appointment_workflow.take(
        appointment.pk, "publish_now", people["lead_a"], version=appointment.version
    )
    assert Appointment.objects.live().filter(pk=appointment.pk).exists()


def test_a_series_is_changed_only_by_the_offices_that_publish_in_it(client, people, office_objects):
    series = Series.objects.create(title="Schlaglicht", slug="schlaglicht")
    office_objects["publications.publication"].series = series
    office_objects["publications.publication"].save()
    url = model_url("publications.series", "change", series.pk)
    data = {"title": "Umbenannt", "slug": "schlaglicht", "publications-TOTAL_FORMS": "0"}
    data |= {"publications-INITIAL_FORMS": "0"}
    log_in(client, people, "lead_b")
    # Every office sees the series (to file its documents), but not the ministry's documents.
    page = client.get(url)
    assert page.status_code == 200 and "Bericht A" not in page.content.decode()
    assert client.post(url, data).status_code == 403
    log_in(client, people, "lead_a")
    assert client.post(url, data).status_code == 302
    assert Series.objects.get().title == "Umbenannt"


def test_unpublished_documents_are_seen_only_by_their_office(client, people, office_objects):
    publication = office_objects["publications.publication"]
    url = reverse("publications:download", kwargs={"slug": publication.slug})
    log_in(client, people, "lead_b")
    assert client.get(url).status_code == 404
    log_in(client, people, "officer_a")
    assert client.get(url).status_code == 200


# Mail: review requests to the leads who may approve, never to every lead --------------------


def submitted_to(release, author, capture) -> set[str]:
    mail.outbox.clear()
    with capture(execute=True):
        workflow.take(release.pk, "submit", author)
    return {address for message in mail.outbox for address in message.to}


def test_a_review_request_goes_to_the_leads_of_the_releases_office(
    people, releases, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert submitted_to(releases["ministry"], people["officer_a"], capture) == {
        "lead_a@example.org"
    }
    # The authority's leads and, as the ministry reviews it, the ministry's leads.
    assert submitted_to(releases["authority"], people["officer_c"], capture) == {
        "lead_c@example.org",
        "lead_a@example.org",
    }


def test_without_parent_review_the_authoritys_requests_stay_in_the_authority(
    people, offices, releases, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=offices["authority"].pk).update(reviewed_by_parent=False)
    release, capture = releases["authority"], django_capture_on_commit_callbacks
    assert submitted_to(release, people["officer_c"], capture) == {"lead_c@example.org"}


def test_an_appointment_review_request_goes_to_its_offices_leads(
    people, offices, make_appointment_for, django_capture_on_commit_callbacks
):
    appointment = make_appointment_for(offices["other"])
    Appointment.objects.filter(pk=appointment.pk).update(state=State.DRAFT, go_live_at=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_workflow.take(appointment.pk, "submit", people["mixed"])
    assert {address for message in mail.outbox for address in message.to} == {"lead_b@example.org"}


# The backend itself ---------------------------------------------------------------------------


def test_a_role_counts_in_its_office_only(people, releases):
    mixed = people["mixed"]
    assert mixed.has_perm("releases.approve_release")  # somewhere: the menus and lists
    assert mixed.has_perm("releases.approve_release", releases["other"])
    assert not mixed.has_perm("releases.approve_release", releases["ministry"])
    assert mixed.has_perm("releases.change_release", releases["ministry"])
    assert not people["lead_b"].has_perm("releases.view_release", releases["ministry"])
    assert people["portal"].has_perm("releases.view_release", releases["ministry"])
    assert not people["portal"].has_perm("releases.change_release", releases["ministry"])


def test_offered_transitions_follow_the_office(people, releases):
    review = releases["ministry_review"]
    assert "publish_now" not in [t.name for t in workflow.available(review, people["mixed"])]
    assert "publish_now" in [t.name for t in workflow.available(review, people["lead_a"])]


def test_portal_administrators_manage_offices_and_topics_but_grant_nothing_portal_wide(
    client, people, offices
):
    log_in(client, people, "portal")
    assert client.get(reverse("admin:contacts_organisation_add")).status_code == 200
    assert client.get(reverse("admin:releases_topic_add")).status_code == 200
    page = client.get(reverse("admin:auth_user_change", args=[people["lead_a"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="office_memberships-0-role"' in html
    assert 'name="is_superuser"' not in html and 'name="groups"' not in html
    log_in(client, people, "lead_a")
    assert client.get(reverse("admin:contacts_organisation_add")).status_code == 403
    assert client.get(reverse("admin:releases_topic_add")).status_code == 403


def test_a_portal_administrator_who_makes_themself_lead_is_on_the_trail_and_mailed_to_the_leads(
    client, people, offices, django_capture_on_commit_callbacks
):
    portal, ministry = people["portal"], offices["ministry"]
    log_in(client, people, "portal")
    data = {
        "username": "portal",
        "email": "portal@example.org",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "01.01.2026",
        "date_joined_1": "10:00:00",
        "office_memberships-TOTAL_FORMS": "1",
        "office_memberships-INITIAL_FORMS": "0",
        "office_memberships-0-user": portal.pk,
        "office_memberships-0-organisation": ministry.pk,
        "office_memberships-0-role": LEAD,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:auth_user_change", args=[portal.pk]), data)
    assert response.status_code == 302
    assert OfficeMembership.objects.filter(user=portal, organisation=ministry, role=LEAD).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OFFICE_ROLE, user=portal)
    assert (event.actor, event.detail) == (None, "Pressesprecher/in in MA")  # the actor is the user
    # The ministry's lead is told, not the office's officer, not another office's lead.
    assert [message.to for message in mail.outbox] == [["lead_a@example.org"]]
    assert "portal" in mail.outbox[0].body and "MA" in mail.outbox[0].subject
    # A role given outside a request (a shell, a migration) is on the trail without a mail.
    membership = OfficeMembership.objects.get(user=people["officer_a"])
    membership.role = LEAD
    membership.save()
    membership.delete()
    details = SecurityEvent.objects.filter(user=people["officer_a"]).values_list(
        "detail", flat=True
    )
    assert list(details)[:2] == ["nicht mehr in MA", "Pressesprecher/in in MA"]
    assert len(mail.outbox) == 1


def test_a_user_with_roles_can_still_be_deleted_and_the_trail_names_them(client, people, superuser):
    """Their memberships go first; the trail keeps the name, not a link to a deleted row."""
    client.force_login(superuser)
    officer = people["officer_a"]
    url = reverse("admin:auth_user_delete", args=[officer.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(officer).objects.filter(pk=officer.pk).exists()
    removed = SecurityEvent.objects.get(username="officer_a", detail="nicht mehr in MA")
    assert removed.user is None and removed.actor == superuser


# The migration: an installation with global groups becomes one with offices -----------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_every_group_member_a_member_of_every_office():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from releases.roles import sync_roles

    # Back to before offices (what came after them unapplied too), with the old global roles.
    MigrationExecutor(connection).migrate([("contacts", "0003_organisation_always_public")])
    loader = MigrationExecutor(connection).loader
    applied = [node for node in loader.applied_migrations if node in loader.graph.nodes]
    old = loader.project_state(applied).apps
    sync_roles(old)
    groups = old.get_model("auth", "Group").objects
    leads_group = groups.get(name="Press leads")
    leads_group.permissions.add(
        *old.get_model("auth", "Permission").objects.filter(codename="add_topic")
    )
    User = old.get_model("auth", "User")
    officer = User.objects.create(username="alt-officer", is_staff=True)
    lead = User.objects.create(username="alt-lead", is_staff=True)
    both = User.objects.create(username="alt-both", is_staff=True)
    User.objects.create(username="alt-nobody", is_staff=True)
    officer.groups.add(groups.get(name="Press officers"))
    lead.groups.add(leads_group)
    both.groups.add(groups.get(name="Press officers"), leads_group)
    Organisation = old.get_model("contacts", "Organisation")
    for slug in ("eins", "zwei"):
        Organisation.objects.create(name=slug, slug=slug)

    call_command("migrate", verbosity=0)

    fields = ("user__username", "organisation__slug", "role")
    roles = set(OfficeMembership.objects.values_list(*fields))
    assert roles == {
        (user, office, role_)
        for user, role_ in [("alt-officer", OFFICER), ("alt-lead", LEAD), ("alt-both", LEAD)]
        for office in ("eins", "zwei")
    }
    # The groups now only say what a role may do; nobody holds a role portal-wide.
    assert not Group.objects.filter(name__in=["Press officers", "Press leads"], user__isnull=False)
    assert not Group.objects.get(name="Press leads").permissions.filter(codename="add_topic")
    assert Group.objects.get(name=PORTAL_ADMINISTRATORS).permissions.filter(codename="add_topic")
    assert not OfficeMembership.objects.filter(user__username="alt-nobody").exists()
    # And the roles work: the migrated lead may approve a release of either office.
    from django.contrib.auth import get_user_model

    migrated = get_user_model().objects.get(username="alt-lead")
    office = apps.get_model("contacts", "Organisation").objects.get(slug="zwei")
    release = make_release(office, "nach-migration")
    assert migrated.has_perm("releases.approve_release", Release.objects.get(pk=release.pk))


def test_the_admin_menu_shows_the_apps_of_a_role_held_in_an_office(client, people):
    log_in(client, people, "officer_a")
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:releases_release_changelist") in index
    assert reverse("admin:contacts_contact_changelist") in index


def test_an_edit_by_script_needs_the_role_in_the_releases_office(people, releases):
    """The one edit path checks the office too, not only the admin form."""
    from django.core.exceptions import PermissionDenied

    from releases import editing

    release = releases["ministry"]
    release.title = "Von außen geändert"
    with pytest.raises(PermissionDenied):
        editing.save_edit(release, people["lead_b"], lambda r: r.save())
    assert Release.objects.get(pk=release.pk).title != "Von außen geändert"
    # Nor may anyone write a new release for an office they do not work in.
    foreign = Release(issuer=release.issuer, slug="fremd", title="Fremd", lead="L", body="<p/>")
    with pytest.raises(PermissionDenied):
        editing.save_edit(foreign, people["lead_b"], lambda r: r.save())
    assert not Release.objects.filter(slug="fremd").exists()


def test_an_unpublished_releases_image_is_seen_only_by_its_office(client, people, releases):
    import io

    from PIL import Image

    from photos import renditions
    from photos.models import Photo
    from releases.models import ReleaseImage

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    release = releases["ministry"]
    photo = Photo.objects.create(
        office=release.issuer, file=ContentFile(buffer.getvalue(), "bild.png"), alt_text="Bild"
    )
    renditions.generate(photo)
    photo.refresh_from_db()
    ReleaseImage.objects.create(release=release, photo=photo)
    # The uploaded original and a rendition (the download is one too).
    urls = [photo.file.url, photo.rendition_widths[0]["jpeg_url"]]
    log_in(client, people, "lead_b")
    assert [client.get(url).status_code for url in urls] == [404, 404]
    log_in(client, people, "officer_a")
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_a_joint_release_may_name_any_office_as_co_issuer(client, people, offices):
    """The issuer is one's own office; the co-issuers of a joint release are other offices."""
    log_in(client, people, "officer_a")

    def offered(field_name):
        query = {"app_label": "releases", "model_name": "release", "field_name": field_name}
        found = client.get(reverse("admin:autocomplete"), query | {"term": "Minis"}).json()
        return [row["text"] for row in found["results"]]

    assert offered("issuer") == ["Ministerium A"]
    assert offered("co_issuers") == ["Ministerium A", "Ministerium B"]
    response = client.post(
        admin("add"),
        new_release_data(issuer=offices["ministry"].pk, co_issuers=[offices["other"].pk]),
    )
    assert response.status_code == 302
    assert list(Release.objects.get().co_issuers.all()) == [offices["other"]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # The co-issuing office reads what goes out in its name: no edits, no transitions.
        ("lead_b", {"list", "view", "history"}),
        # An office that is no co-issuer sees nothing of it.
        ("lead_c", set()),
        # The lead issuer's office still does everything.
        ("lead_a", ALL),
    ],
)
def test_a_co_issuers_office_reads_a_joint_release_and_changes_nothing(
    client, people, offices, who, expected
):
    joint = make_release(offices["ministry"], "gemeinsam", author=people["officer_a"])
    review = make_release(offices["ministry"], "gemeinsam-pruefung", State.IN_REVIEW)
    for release in (joint, review):
        release.co_issuers.add(offices["other"])
    workflow.take(joint.pk, "submit", people["officer_a"])
    workflow.take(joint.pk, "withdraw_from_review", people["officer_a"])
    log_in(client, people, who)
    assert outcomes(client, joint, review) == expected
    # The audit log lists the joint release's events to its issuers' offices only.
    events = client.get(reverse("admin:releases_releaseevent_changelist")).content.decode()
    assert ("Mitteilung gemeinsam" in events) == bool(expected)
    if who == "lead_b":
        history = client.get(admin("history", joint.pk)).content.decode()
        assert "officer_a" in history  # who did what, as the lead issuer's office sees it
        # Another release of the ministry, not a joint one, stays closed.
        alone = make_release(offices["ministry"], "allein")
        assert client.get(change_url(alone)).status_code == 403


def test_whoever_gives_out_roles_needs_a_second_factor(people, settings):
    from accounts.policy import second_factor_required

    settings.NEWSROOM_REQUIRE_2FA = True
    assert second_factor_required(people["portal"])
    assert second_factor_required(people["lead_c"])
    assert not second_factor_required(people["officer_c"])
