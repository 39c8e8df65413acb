"""The editorial workflow: transitions, roles, four eyes, scheduling, side effects."""

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from releases import workflow
from releases.models import Action, Correction, Release, ReleaseEvent, State
from tests.helpers import change_url, join_every_office, post_transition, release_post_data


@pytest.fixture
def draft(make_release, officer, contact):
    return make_release(
        "entwurf", live=False, created_by=officer, last_edited_by=officer, contacts=[contact]
    )


@pytest.fixture
def in_review(draft):
    Release.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def live(make_release, officer):
    return make_release("oeffentlich", created_by=officer, last_edited_by=officer)


@pytest.fixture
def scheduled(make_release, officer):
    go_live = timezone.now() + timedelta(hours=2)
    return make_release(
        "geplant", go_live_at=go_live, first_published_at=go_live, last_edited_by=officer
    )


# States in which each transition can be taken, to build the role x transition matrix.
SETUP = {
    "submit": "draft",
    "withdraw_from_review": "in_review",
    "request_changes": "in_review",
    "approve": "in_review",
    "publish_now": "in_review",
    "force_publish": "in_review",
    "unschedule": "scheduled",
    "correct": "live",
    "withdraw": "live",
}
OFFICER_MAY = {"submit", "withdraw_from_review"}


def test_every_transition_has_a_matrix_row():
    offered = {name for name, transition in workflow.TRANSITIONS.items() if transition.offered}
    assert set(SETUP) == offered


def test_a_transition_the_system_takes_is_no_button(client, lead, scheduled):
    client.force_login(lead)
    assert post_transition(client, scheduled, "void_approval").status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.state == State.APPROVED


@pytest.mark.parametrize("name", sorted(SETUP))
@pytest.mark.parametrize("role", ["officer", "lead"])
def test_role_transition_matrix(client, request, role, name, django_user_model):
    user = request.getfixturevalue(role)
    release = request.getfixturevalue(SETUP[name])
    if name == "force_publish":
        # The forced publication is for the one the four-eyes rule blocks: the last editor.
        Release.objects.filter(pk=release.pk).update(last_edited_by=user)
    client.force_login(user)
    before = Release.objects.values().get(pk=release.pk)
    data = {"comment": "Begründung", "confirm": "1"}
    if name == "approve":
        tomorrow = timezone.localtime() + timedelta(days=1)
        data |= {"go_live_at_0": f"{tomorrow:%d.%m.%Y}", "go_live_at_1": "10:00:00"}

    response = post_transition(client, release, name, **data)

    after = Release.objects.values().get(pk=release.pk)
    if role == "lead" or name in OFFICER_MAY:
        assert response.status_code == 302
        assert ReleaseEvent.objects.filter(release=release, action=name, actor=user).exists()
        assert after["state"] == workflow.TRANSITIONS[name].target
    else:
        assert response.status_code == 403
        assert after == before
        assert not ReleaseEvent.objects.filter(release=release).exists()


def test_anonymous_transition_post_changes_nothing(client, draft):
    response = post_transition(client, draft, "submit")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_officer_cannot_approve_even_through_the_python_api(in_review, officer):
    with pytest.raises(PermissionDenied):
        workflow.take(in_review.pk, "publish_now", officer, version=in_review.version)


def test_request_changes_needs_a_comment(client, lead, in_review):
    client.force_login(lead)
    response = post_transition(client, in_review, "request_changes", comment="  ")
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    assert "bitte" in client.get(response["Location"]).content.decode()


def test_request_changes_sends_the_release_back_with_the_comment(client, lead, in_review):
    client.force_login(lead)
    post_transition(client, in_review, "request_changes", comment="Zahlen prüfen")
    in_review.refresh_from_db()
    event = in_review.events.get(action="request_changes")
    assert in_review.state == State.DRAFT
    assert (event.from_state, event.to_state, event.comment) == (
        "in_review",
        "draft",
        "Zahlen prüfen",
    )
    assert event.actor == lead


def test_last_editor_cannot_approve_their_own_text(client, lead, in_review):
    Release.objects.filter(pk=in_review.pk).update(last_edited_by=lead)
    client.force_login(lead)
    response = post_transition(client, in_review, "publish_now")
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    assert "Vier-Augen" in client.get(response["Location"]).content.decode()


def test_lead_may_force_publish_with_a_recorded_reason(client, lead, in_review):
    Release.objects.filter(pk=in_review.pk).update(last_edited_by=lead)
    client.force_login(lead)
    post_transition(client, in_review, "force_publish", comment="")
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW

    post_transition(client, in_review, "force_publish", comment="Kollegin im Urlaub, Eilmeldung")
    in_review.refresh_from_db()
    assert in_review.is_live
    event = in_review.events.get(action="force_publish")
    assert event.forced and event.comment == "Kollegin im Urlaub, Eilmeldung"
    page = client.get(reverse("admin:releases_release_change", args=[in_review.pk]))
    assert "Kollegin im Urlaub" in page.content.decode()


def test_the_form_offers_only_the_buttons_the_user_may_take(client, officer, lead, in_review):
    change_url = reverse("admin:releases_release_change", args=[in_review.pk])
    client.force_login(officer)
    page = client.get(change_url).content.decode()
    assert 'id="workflow-approve"' not in page and 'id="workflow-publish_now"' not in page
    client.force_login(lead)
    page = client.get(change_url).content.decode()
    assert 'id="workflow-approve"' in page and 'id="workflow-request_changes"' in page
    assert 'id="workflow-force_publish"' not in page  # lead did not edit it last
    assert "In Prüfung" in page


def test_officer_takes_back_a_submission_with_an_optional_comment(client, officer, in_review):
    client.force_login(officer)
    page = client.get(change_url(in_review)).content.decode()
    assert 'id="workflow-withdraw_from_review"' in page
    assert post_transition(client, in_review, "withdraw_from_review").status_code == 302
    in_review.refresh_from_db()
    event = in_review.events.get(action="withdraw_from_review")
    assert in_review.state == State.DRAFT
    assert (event.from_state, event.to_state, event.actor, event.comment) == (
        "in_review",
        "draft",
        officer,
        "",
    )


def test_a_withdrawn_submission_is_on_the_history_page(client, officer, in_review):
    client.force_login(officer)
    post_transition(client, in_review, "withdraw_from_review", comment="Zahlen fehlen noch")
    page = client.get(reverse("admin:releases_release_history", args=[in_review.pk]))
    text = page.content.decode()
    with translation.override("de"):
        label = str(Action.WITHDRAW_FROM_REVIEW.label)
    assert label in text and "Zahlen fehlen noch" in text


def test_a_draft_cannot_be_withdrawn_from_review(officer, draft):
    with pytest.raises(workflow.TransitionRefused):
        workflow.take(draft.pk, "withdraw_from_review", officer)


def test_scheduling_is_entered_in_berlin_time_and_stored_in_utc(client, lead, in_review):
    client.force_login(lead)
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        post_transition(
            client, in_review, "approve", go_live_at_0="01.12.2026", go_live_at_1="10:00:05"
        )
    in_review.refresh_from_db()
    assert in_review.state == State.APPROVED
    assert in_review.go_live_at == datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)
    assert in_review.first_published_at == in_review.go_live_at


def test_scheduling_in_the_past_is_refused(client, lead, in_review):
    client.force_login(lead)
    post_transition(client, in_review, "approve", go_live_at_0="01.01.2020", go_live_at_1="10:00")
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


def test_scheduled_release_appears_at_its_second_without_any_job(client, lead, in_review):
    go_live = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    workflow.take(in_review.pk, "approve", lead, version=in_review.version, go_live_at=go_live)
    url = in_review.get_absolute_url()
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert in_review.title not in client.get("/").content.decode()
    with time_machine.travel(go_live, tick=False):
        assert client.get(url).status_code == 200
        assert in_review.title in client.get("/").content.decode()


def test_a_second_approval_of_the_same_release_is_refused(lead, in_review, django_user_model):
    second_lead = django_user_model.objects.create_user("lead2", is_staff=True)
    join_every_office(second_lead, "lead")
    workflow.take(in_review.pk, "publish_now", lead, version=in_review.version)
    with pytest.raises(workflow.TransitionRefused):
        workflow.take(in_review.pk, "publish_now", second_lead, version=in_review.version)
    assert ReleaseEvent.objects.filter(action="publish_now").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs it there"
)
def test_two_leads_approving_at_the_same_moment_give_one_approval(
    make_release, officer, django_user_model
):
    from tests.conftest import role

    leads = role("Press leads")
    users = []
    for name in ("lead-a", "lead-b"):
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(leads)
        users.append(user)
    release = make_release(live=False, state=State.IN_REVIEW, last_edited_by=officer)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        barrier.wait()
        try:
            workflow.take(release.pk, "publish_now", user, version=release.version)
            outcomes.append("approved")
        except workflow.TransitionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert ReleaseEvent.objects.filter(release=release, action="publish_now").count() == 1


def test_unschedule_stops_an_embargoed_release(lead, scheduled):
    workflow.take(scheduled.pk, "unschedule", lead)
    scheduled.refresh_from_db()
    assert scheduled.state == State.IN_REVIEW
    assert scheduled.go_live_at is None and scheduled.first_published_at is None


def test_withdraw_needs_a_public_reason_and_shows_it(client, lead, live):
    with pytest.raises(workflow.TransitionRefused):
        workflow.take(live.pk, "withdraw", lead, comment="", confirmed=True)
    workflow.take(live.pk, "withdraw", lead, comment="Die Veranstaltung fällt aus.", confirmed=True)
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Die Veranstaltung fällt aus." in page
    assert f"wurde am {timezone.localdate():%d.%m.%Y} zurückgezogen" in page
    assert live.title not in client.get("/").content.decode()


def test_a_release_not_yet_live_cannot_be_withdrawn(lead, scheduled):
    with pytest.raises(workflow.TransitionRefused):
        workflow.take(scheduled.pk, "withdraw", lead, comment="Grund", confirmed=True)


# Side effects -----------------------------------------------------------------------------


def test_submitting_mails_the_press_leads(
    officer, lead, draft, django_capture_on_commit_callbacks
):
    lead.email = "lead@example.org"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(draft.pk, "submit", officer)
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]
    assert draft.title in mail.outbox[0].subject


def test_changes_requested_mail_the_author_with_the_comment(
    officer, lead, in_review, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.org"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(in_review.pk, "request_changes", lead, comment="Bitte Zitat kürzen")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@example.org"]
    assert "Bitte Zitat kürzen" in mail.outbox[0].body


def test_publish_now_runs_the_go_live_side_effects_once(
    officer, lead, in_review, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.org"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(in_review.pk, "publish_now", lead, version=in_review.version)
    in_review.refresh_from_db()
    assert in_review.go_live_handled_at is not None
    subjects = [message.subject for message in mail.outbox]
    assert any(subject.startswith("Freigegeben") for subject in subjects)
    assert sum(subject.startswith("Jetzt öffentlich") for subject in subjects) == 1

    call_command("publish_due", stdout=io.StringIO())
    assert sum(m.subject.startswith("Jetzt öffentlich") for m in mail.outbox) == 1


def test_publish_due_catches_up_after_the_go_live_second_and_is_idempotent(
    officer, lead, in_review, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.org"
    officer.save()
    go_live = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(in_review.pk, "approve", lead, version=in_review.version, go_live_at=go_live)
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert "Nothing is due" in out.getvalue()

    with time_machine.travel(go_live + timedelta(seconds=5), tick=False):
        call_command("publish_due", stdout=io.StringIO())
        call_command("publish_due", stdout=io.StringIO())
    in_review.refresh_from_db()
    assert in_review.go_live_handled_at is not None
    assert sum(m.subject.startswith("Jetzt öffentlich") for m in mail.outbox) == 1


def test_publish_due_dry_run_changes_nothing(live):
    Release.objects.filter(pk=live.pk).update(go_live_handled_at=None)
    out = io.StringIO()
    call_command("publish_due", "--dry-run", stdout=out)
    assert f"due: {live.pk}" in out.getvalue()
    live.refresh_from_db()
    assert live.go_live_handled_at is None


# Corrections, edits and deletion ------------------------------------------------------------


def test_editing_a_live_release_asks_for_a_change_note(client, lead, live):
    client.force_login(lead)
    response = client.post(change_url(live), release_post_data(live, title="Neuer Titel"))
    assert response.status_code == 200
    assert "Beschreiben Sie die Änderung" in response.content.decode()
    live.refresh_from_db()
    assert live.title != "Neuer Titel"


def test_a_change_note_becomes_a_public_correction(client, lead, live):
    client.force_login(lead)
    data = release_post_data(
        live, title="Neuer Titel", change_note="Titel präzisiert.", confirm="on"
    )
    assert client.post(change_url(live), data).status_code == 302
    live.refresh_from_db()
    assert live.title == "Neuer Titel"
    assert live.corrections.get().note == "Titel präzisiert."
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Titel präzisiert." in page and "Korrekturen" in page


def test_every_change_to_a_live_release_is_a_correction(client, lead, live):
    """There is no "minor edit" any more: the public sees every change."""
    client.force_login(lead)
    data = release_post_data(live, lead="Der Vorspann, ohne Tippfehler.", minor_edit="on")
    assert client.post(change_url(live), data).status_code == 200
    live.refresh_from_db()
    assert live.lead == "Der Vorspann." and not Correction.objects.exists()


def test_officer_cannot_change_an_approved_release(client, officer, live):
    client.force_login(officer)
    response = client.post(change_url(live), release_post_data(live, title="Heimlich"))
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.title != "Heimlich"


def test_a_stale_form_is_refused_and_shows_the_other_change(client, officer, lead, draft):
    client.force_login(officer)
    client.post(change_url(draft), release_post_data(draft, lead="Erste Fassung des Vorspanns."))
    draft.refresh_from_db()
    opened = release_post_data(draft)  # the officer opens the form at this version
    client.force_login(lead)
    client.post(change_url(draft), release_post_data(draft, lead="Fassung der Leitung."))

    client.force_login(officer)
    response = client.post(change_url(draft), opened | {"title": "Mein neuer Titel"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "nachdem Sie" in page
    assert "<ins>Leitung.</ins>" in page or "<ins>der Leitung.</ins>" in page
    assert 'value="Mein neuer Titel"' in page
    draft.refresh_from_db()
    assert draft.lead == "Fassung der Leitung."
    # Saving again is deliberate: the form now carries the current version.
    assert (
        client.post(
            change_url(draft),
            opened
            | {
                "title": "Mein neuer Titel",
                "opened_version": draft.version,
            },
        ).status_code
        == 302
    )


def test_a_release_that_was_public_cannot_be_deleted(client, lead, live):
    client.force_login(lead)
    delete_url = reverse("admin:releases_release_delete", args=[live.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "delete_selected", "_selected_action": [live.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert Release.objects.filter(pk=live.pk).exists()


def test_no_code_path_deletes_a_public_record(live):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        live.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Release.objects.filter(pk=live.pk).delete()
    assert Release.objects.filter(pk=live.pk).exists()


def test_a_draft_can_be_deleted_by_a_lead(client, lead, draft):
    client.force_login(lead)
    delete_url = reverse("admin:releases_release_delete", args=[draft.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Release.objects.filter(pk=draft.pk).exists()


def test_every_save_and_transition_is_in_the_audit_log(client, officer, lead, draft):
    client.force_login(officer)
    client.post(change_url(draft), release_post_data(draft, lead="Geändert."))
    post_transition(client, draft, "submit", comment="Bitte prüfen")
    client.force_login(lead)
    post_transition(client, draft, "publish_now")
    log = list(ReleaseEvent.objects.filter(release=draft).order_by("created_at", "pk"))
    assert [(e.action, e.actor, e.from_state, e.to_state) for e in log] == [
        ("save", officer, "draft", "draft"),
        ("submit", officer, "draft", "in_review"),
        ("publish_now", lead, "in_review", "approved"),
    ]
    assert log[1].comment == "Bitte prüfen"
