"""The public record: an approval binds a version, every later change shows, one path writes edits.

Each test reproduces a finding of the outside review (issue 11) and shows it refused or recorded.
"""

import threading
from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts.models import Kind, Mailing, Subscriber
from releases import editing, revisions, workflow
from releases.admin import ReleaseForm
from releases.models import Correction, Release, ReleaseEvent, Revision, State
from tests.helpers import change_url, join_every_office, post_transition, release_post_data


def edit_as(client, user, release, **fields):
    client.force_login(user)
    release.refresh_from_db()
    return client.post(change_url(release), release_post_data(release, **fields))


@pytest.fixture
def second_lead(django_user_model, lead, issuer):
    user = django_user_model.objects.create_user(
        "lead2", password="pw-lead2", is_staff=True, email="lead2@example.org"
    )
    join_every_office(user, "lead")
    return user


@pytest.fixture
def written(client, officer, issuer):
    """A release an officer wrote through the admin and submitted: version 1, in review."""
    officer.email = "officer@example.org"
    officer.save()
    client.force_login(officer)
    data = release_post_data(
        Release(issuer=issuer, title="Zahlen", slug="zahlen", lead="2,3 Prozent.", body="<p>A</p>")
    )
    assert client.post(reverse("admin:releases_release_add"), data).status_code == 302
    release = Release.objects.get(slug="zahlen")
    assert post_transition(client, release, "submit").status_code == 302
    release.refresh_from_db()
    return release


@pytest.fixture
def scheduled(client, lead, written):
    lead.email = "lead@example.org"
    lead.save()
    client.force_login(lead)
    tomorrow = timezone.localtime() + timedelta(days=1)
    post_transition(
        client,
        written,
        "approve",
        go_live_at_0=f"{tomorrow:%d.%m.%Y}",
        go_live_at_1="10:00:00",
    )
    written.refresh_from_db()
    assert written.state == State.APPROVED and not written.is_live
    return written


@pytest.fixture
def live(client, lead, written):
    client.force_login(lead)
    post_transition(client, written, "publish_now")
    written.refresh_from_db()
    assert written.is_live
    return written


# 1. An approval binds the text ---------------------------------------------------------------


def test_an_approval_records_the_version_it_approves(scheduled):
    approval = scheduled.events.get(action="approve")
    assert approval.version == scheduled.version == 1


def test_approving_a_version_nobody_reviewed_is_refused_with_the_difference(
    client, officer, lead, written
):
    opened = written.version  # the lead opens the release at this version...
    edit_as(client, officer, written, lead="2,2 Prozent.")  # ...an officer saves another
    client.force_login(lead)
    response = client.post(
        reverse("admin:releases_release_transition", args=[written.pk, "publish_now"]),
        {"version": opened},
        follow=True,
    )
    written.refresh_from_db()
    assert written.state == State.IN_REVIEW
    page = response.content.decode()
    assert "nachdem Sie sie geöffnet haben" in page
    assert "<del>2,3</del>" in page and "<ins>2,2</ins>" in page
    assert not written.events.filter(action="publish_now").exists()


def test_approving_needs_a_version(lead, written):
    with pytest.raises(workflow.TransitionRefused) as refusal:
        workflow.take(written.pk, "publish_now", lead)
    assert refusal.value.code == "version_required"


def test_editing_a_scheduled_release_needs_a_confirmation(client, second_lead, scheduled):
    response = edit_as(client, second_lead, scheduled, title="Andere Zahlen")
    assert response.status_code == 200
    assert "zurück in die Prüfung" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.title == "Zahlen" and scheduled.state == State.APPROVED


def test_an_edit_before_the_second_voids_the_approval_and_tells_approver_and_author(
    client, second_lead, scheduled, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_as(client, second_lead, scheduled, title="Andere Zahlen", confirm="on")
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.title == "Andere Zahlen"
    assert scheduled.state == State.IN_REVIEW
    assert scheduled.go_live_at is None and scheduled.first_published_at is None
    void = scheduled.events.get(action="void_approval")
    assert void.actor == second_lead and void.from_state == State.APPROVED
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["lead@example.org", "officer@example.org"]
    assert all("Freigabe aufgehoben" in message.subject for message in mail.outbox)
    # Nothing goes live at the old second.
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert not Release.objects.live().filter(pk=scheduled.pk).exists()


def test_an_edit_of_the_inlines_voids_the_approval_too(client, second_lead, scheduled):
    data = release_post_data(scheduled, confirm="on") | {
        "links-TOTAL_FORMS": "1",
        "links-0-title": "Neu",
        "links-0-url": "https://example.org/",
        "links-0-order": "0",
    }
    client.force_login(second_lead)
    assert client.post(change_url(scheduled), data).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == State.IN_REVIEW and scheduled.links.count() == 1


def test_saving_without_a_change_keeps_the_approval(client, second_lead, scheduled):
    assert edit_as(client, second_lead, scheduled, confirm="on").status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == State.APPROVED and scheduled.version == 1
    assert not scheduled.events.filter(action="void_approval").exists()


def test_the_approver_may_not_approve_their_own_change_after_voiding(
    client, lead, second_lead, scheduled
):
    edit_as(client, second_lead, scheduled, title="Andere Zahlen", confirm="on")
    client.force_login(second_lead)
    post_transition(client, scheduled, "publish_now")
    scheduled.refresh_from_db()
    assert scheduled.state == State.IN_REVIEW  # four eyes: someone else approves the new text
    client.force_login(lead)
    post_transition(client, scheduled, "publish_now")
    scheduled.refresh_from_db()
    assert scheduled.is_live
    assert scheduled.events.get(action="publish_now").version == 2


# 2. Restoring is a correction, never a side door ---------------------------------------------


@pytest.fixture
def corrected(client, lead, live):
    """A live release whose figure was corrected from 2,3 to 2,2 with a public note."""
    edit_as(
        client,
        lead,
        live,
        lead="2,2 Prozent.",
        change_note="2,2 statt 2,3 Prozent.",
        confirm="on",
    )
    live.refresh_from_db()
    assert live.version == 2 and live.corrections.count() == 1
    return live


def restore_url(release, number):
    return reverse("admin:releases_release_restore", args=[release.pk, number])


def test_restore_asks_first_and_changes_nothing_on_get(client, lead, corrected):
    client.force_login(lead)
    page = client.get(restore_url(corrected, 1)).content.decode()
    assert "<del>2,2</del>" in page and "<ins>2,3</ins>" in page
    assert "als Korrektur" in page
    corrected.refresh_from_db()
    assert corrected.version == 2


def test_restoring_a_live_release_needs_a_change_note(client, lead, corrected):
    client.force_login(lead)
    response = client.post(
        restore_url(corrected, 1), {"opened_version": corrected.version, "confirm": "on"}
    )
    assert response.status_code == 200
    corrected.refresh_from_db()
    assert corrected.lead == "2,2 Prozent." and corrected.version == 2


def test_restoring_a_live_release_is_a_consistent_correction(
    client, lead, corrected, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            restore_url(corrected, 1),
            {
                "opened_version": corrected.version,
                "change_note": "Doch 2,3 Prozent: die erste Zahl war richtig.",
                "confirm": "on",
            },
        )
    assert response.status_code == 302
    corrected.refresh_from_db()
    assert corrected.lead == "2,3 Prozent." and corrected.version == 3
    assert corrected.revisions.get(number=3).restored_from == 1
    notes = list(corrected.corrections.values_list("note", flat=True))
    assert notes == ["2,2 statt 2,3 Prozent.", "Doch 2,3 Prozent: die erste Zahl war richtig."]
    assert corrected.events.filter(action="correct").count() == 2
    assert corrected.events.filter(action="restore", version=3).exists()
    # The feed's updated moves with the correction.
    client.logout()
    feed = feedparser.parse(client.get(reverse("feeds:releases_atom")).content)
    entry = feed.entries[0]
    latest = corrected.corrections.last().created_at
    assert entry.updated_parsed[:6] == latest.utctimetuple()[:6]


def test_restore_refuses_a_version_that_moved_on(client, lead, corrected):
    client.force_login(lead)
    response = client.post(
        restore_url(corrected, 1),
        {"opened_version": 1, "change_note": "Zurück.", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "nachdem Sie" in response.content.decode()
    corrected.refresh_from_db()
    assert corrected.version == 2


def test_restore_goes_through_the_one_edit_path(monkeypatch, lead, corrected):
    calls = []
    original = editing.save_edit

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(editing, "save_edit", spy)
    revision = corrected.revisions.get(number=1)
    revisions.restore(
        corrected, revision, lead, change_note="Zurück.", confirmed=True, opened_version=2
    )
    assert calls and calls[0]["restored_from"] == 1


def test_withdrawing_asks_for_a_confirmation(client, lead, live):
    client.force_login(lead)
    post_transition(client, live, "withdraw", comment="Falsche Zahlen.")
    live.refresh_from_db()
    assert live.state == State.APPROVED
    post_transition(client, live, "withdraw", comment="Falsche Zahlen.", confirm="1")
    live.refresh_from_db()
    assert live.state == State.WITHDRAWN


# 5. Two saves at the same moment lose nothing ------------------------------------------------


def test_the_write_path_refuses_an_edit_begun_on_an_older_version(lead, live):
    with pytest.raises(editing.EditRefused) as refusal:
        editing.save_edit(live, lead, lambda release: release.save(), opened_version=0)
    assert refusal.value.code == "stale_version"


def test_two_saves_past_the_form_check_keep_every_text(client, monkeypatch, officer, written):
    """Both forms pass their check at the same moment; the write path still lets one through."""
    Release.objects.filter(pk=written.pk).update(state=State.DRAFT)
    written.refresh_from_db()
    monkeypatch.setattr(ReleaseForm, "refuse_stale_form", lambda form: None)
    client.force_login(officer)
    first = release_post_data(written, lead="Fassung A.")
    second = release_post_data(written, lead="Fassung B.")
    assert client.post(change_url(written), first).status_code == 302
    response = client.post(change_url(written), second, follow=True)
    assert "nachdem Sie sie geöffnet haben" in response.content.decode()
    written.refresh_from_db()
    assert written.lead == "Fassung A." and written.version == 2
    texts = {r.snapshot["lead"] for r in Revision.objects.filter(release=written)}
    assert texts == {"2,3 Prozent.", "Fassung A."}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs it there"
)
@pytest.mark.parametrize("round_", range(3))
def test_two_simultaneous_saves_give_one_version_each(make_release, django_user_model, round_):
    from tests.conftest import PRESS_OFFICERS, role

    users = []
    for name in ("officer-a", "officer-b"):
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(role(PRESS_OFFICERS))
        users.append(user)
    release = make_release(live=False, version=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, text):
        copy = Release.objects.get(pk=release.pk)
        copy.lead = text
        barrier.wait()
        try:
            editing.save_edit(copy, user, lambda r: r.save(), opened_version=1)
            outcomes.append("saved")
        except editing.EditRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(user, f"Text {n}")) for n, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    release.refresh_from_db()
    assert release.version == 2
    assert Revision.objects.get(release=release, number=2).snapshot["lead"] == release.lead


# One history, in words -----------------------------------------------------------------------


def test_one_history_page_tells_everything_in_order_in_german(client, lead, corrected):
    client.force_login(lead)
    link_data = release_post_data(corrected) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-label": "Sächsische Zeitung",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "10:00:00",
    }
    assert client.post(change_url(corrected), link_data).status_code == 302
    link = corrected.preview_links.get()
    assert link.created_by == lead
    client.get(link.get_absolute_url())

    page = client.get(reverse("admin:releases_release_history", args=[corrected.pk]))
    text = page.content.decode()
    expected_in_order = [
        "Erstellt",
        "Zur Prüfung eingereicht",
        "Veröffentlicht",
        "Gespeichert",
        "Korrektur veröffentlicht",
        "2,2 statt 2,3 Prozent.",
        "Vorschaulink erstellt",
        "Vorschaulink benutzt",
    ]
    text = text[text.index('class="release-history"') :]
    positions = [text.index(words) for words in expected_in_order]
    assert positions == sorted(positions)
    assert "<del>2,3</del>" in text
    for raw in ["request_changes", "publish_now", "Body geändert", "RELEASE", ">save<"]:
        assert raw not in text


def test_the_history_page_is_for_staff_who_may_see_the_release(client, stranger, live):
    client.force_login(stranger)
    response = client.get(reverse("admin:releases_release_history", args=[live.pk]))
    assert response.status_code == 302  # to the admin login


def test_the_public_page_says_when_a_release_was_updated(client, corrected):
    client.logout()
    page = client.get(corrected.get_absolute_url()).content.decode()
    assert "aktualisiert am" in page


def test_a_release_without_corrections_shows_no_update_date(client, live):
    client.logout()
    assert "aktualisiert am" not in client.get(live.get_absolute_url()).content.decode()


def test_a_correction_without_a_content_change_is_still_a_transition(client, lead, live):
    client.force_login(lead)
    post_transition(client, live, "correct", comment="Ein Hinweis.")
    assert Correction.objects.filter(release=live, note="Ein Hinweis.").exists()
    assert ReleaseEvent.objects.filter(release=live, action="correct").count() == 1


# 7. Side effects at the second, without cron -------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What `db_worker` does all day: run every task that is due, here once."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_approval_schedules_the_go_live_task_for_its_second(settings, make_release, officer, lead):
    settings.TASKS = DATABASE_TASKS
    Subscriber.objects.create(email="jana@example.org", confirmed_at=timezone.now())
    release = make_release(live=False, state=State.IN_REVIEW, last_edited_by=officer)
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    workflow.take(release.pk, "approve", lead, version=release.version, go_live_at=go_live)

    scheduled = DBTaskResult.objects.get(task_path="releases.tasks.run_go_live")
    assert scheduled.run_after == go_live
    run_worker()  # before the second: nothing is due
    release.refresh_from_db()
    assert release.go_live_handled_at is None

    mail.outbox.clear()
    with time_machine.travel(go_live + timedelta(seconds=1)):
        run_worker()  # the worker that runs beside the web server, no command by hand
        release.refresh_from_db()
        assert release.go_live_handled_at is not None
        # The alert mailing is a task of its own, which the worker runs next.
        run_worker()
    assert [message.to for message in mail.outbox if release.title in message.subject] == [
        ["jana@example.org"]
    ]


def test_the_admin_flags_a_release_whose_side_effects_are_overdue(client, lead, make_release):
    overdue = make_release("ueberfaellig")  # live for an hour, go-live effects never ran
    fresh = make_release("frisch", go_live_at=timezone.now(), first_published_at=timezone.now())
    client.force_login(lead)
    changelist = client.get(reverse("admin:releases_release_changelist"))
    assert "1 öffentliche Mitteilung hat ihre Benachrichtigungen" in changelist.content.decode()
    filtered = client.get(reverse("admin:releases_release_changelist") + "?review=overdue")
    assert list(filtered.context["cl"].result_list) == [overdue]
    assert "noch nicht versandt" in client.get(change_url(overdue)).content.decode()
    assert "noch nicht versandt" not in client.get(change_url(fresh)).content.decode()
    Release.objects.filter(pk=overdue.pk).update(go_live_handled_at=timezone.now())
    changelist = client.get(reverse("admin:releases_release_changelist"))
    assert "Benachrichtigungen und Feed-Pings noch nicht" not in changelist.content.decode()


def test_an_officers_late_edit_voids_the_approval(client, officer, scheduled):
    response = edit_as(client, officer, scheduled, lead="2,4 Prozent.", confirm="on")
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == State.IN_REVIEW and scheduled.lead == "2,4 Prozent."


def test_an_officer_cannot_correct_a_live_release(client, officer, live):
    response = edit_as(
        client, officer, live, lead="Heimlich.", change_note="Heimlich.", confirm="on"
    )
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.lead == "2,3 Prozent."


def test_a_correcting_edit_may_tell_the_subscribers(
    client, lead, live, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit_as(
            client,
            lead,
            live,
            lead="2,2 Prozent.",
            change_note="2,2 statt 2,3 Prozent.",
            notify_subscribers="on",
            confirm="on",
        )
    correction = live.events.get(action="correct")
    assert correction.notify_subscribers
    assert Mailing.objects.filter(kind=Kind.CORRECTION, event=correction).exists()


def test_a_loaded_row_says_it_is_reachable_exactly_when_the_query_finds_it(make_release):
    """`Release.is_reachable` (a row in hand) and `reachable()` (the query) are one rule."""
    later = timezone.now() + timedelta(hours=1)
    rows = [
        make_release("live"),
        make_release("geplant", go_live_at=later, first_published_at=later),
        make_release("entwurf", live=False, state=State.DRAFT),
        make_release("pruefung", live=False, state=State.IN_REVIEW),
        make_release("zurueckgezogen", state=State.WITHDRAWN),
    ]
    found = set(Release.objects.reachable().values_list("slug", flat=True))
    assert found == {"live", "zurueckgezogen"}
    assert {row.slug for row in rows if row.is_reachable} == found
