"""A press appointment's journey in a real browser: a lead publishes it with accreditation, a
journalist applies and confirms the address, the lead accepts, the appointment is postponed, and
the journalist's calendar feed shows the new time with a higher SEQUENCE."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from appointments import editing, workflow
from appointments.models import Accreditation, ApplicationStatus, Appointment, State
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_editor import log_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Pressekonferenz zum Breitbandausbau"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"appointments_journey_{name}.png", full_page=True)


def draft_in_review(officer, issuer) -> Appointment:
    """What the officer wrote and submitted: an appointment with accreditation."""
    starts_at = (timezone.localtime() + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    appointment = Appointment(
        issuer=issuer,
        title=TITLE,
        slug="pk-breitband",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        venue="Ministerium, Pressesaal",
        address="Musterstraße 1, 01097 Dresden",
        requires_accreditation=True,
        accreditation_deadline=starts_at - timedelta(days=1),
        capacity=20,
    )
    appointment = editing.save_edit(appointment, officer, lambda a: a.save()).subject
    workflow.take(appointment.pk, "submit", officer)
    return appointment


def calendar_event(page, url) -> icalendar.Event:
    """The appointment as the journalist's calendar program reads the issuer's feed."""
    response = page.request.get(url)
    assert response.status == 200
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    return next(event for event in events if str(event["SUMMARY"]) == TITLE)


@pytest.mark.slow
def test_lead_publishes_journalist_is_accredited_and_the_calendar_follows_a_postponement(
    live_server, browser, page, officer, lead, issuer
):
    appointment = draft_in_review(officer, issuer)
    change_url = f"{live_server.url}/admin/appointments/appointment/{appointment.pk}/change/"

    # The lead publishes it from the admin.
    log_in(page, live_server, "lead", "pw-lead")
    page.goto(change_url)
    page.locator("#workflow-publish_now button[type=submit]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    screenshot(page, "1_published")
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.is_live

    # A journalist finds it and applies for accreditation.
    journalist = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    reader = journalist.new_page()
    public_url = f"{live_server.url}{appointment.get_absolute_url()}"
    reader.goto(public_url)
    expect(reader.locator("h1")).to_have_text(TITLE)
    reader.get_by_role("link", name=re.compile("Akkreditierung")).click()
    reader.fill("#id_name", "Jana Beispiel")
    reader.fill("#id_outlet", "Sächsische Zeitung")
    reader.fill("#id_email", "jana@example.org")
    reader.check("#id_consent")
    screenshot(reader, "2_application")
    reader.locator("main form button[type=submit]").click()
    expect(reader).to_have_url(re.compile(r"/akkreditierung/danke/$"))

    # She confirms her address through the link in the mail (a GET asks, the button confirms).
    (confirmation,) = [m for m in mail.outbox if m.to == ["jana@example.org"]]
    link = re.search(r"https?://\S+/akkreditierung/\S+/", confirmation.body).group(0)
    reader.goto(live_server.url + "/" + link.split("/", 3)[3])
    reader.get_by_role("button").filter(has_text=re.compile("bestätigen", re.I)).click()
    expect(reader.locator("[role=status]")).to_contain_text("bestätigt")
    screenshot(reader, "3_confirmed")
    application = Accreditation.objects.get(email="jana@example.org")
    assert application.is_confirmed and application.status == ApplicationStatus.PENDING

    # The lead accepts her in the admin; she is told by e-mail.
    page.goto(f"{live_server.url}/admin/appointments/accreditation/{application.pk}/change/")
    page.select_option("#id_decision", ApplicationStatus.ACCEPTED)
    page.fill("#id_message", "Bitte bringen Sie Ihren Presseausweis mit.")
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist li.success").first).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert any("Presseausweis" in m.body for m in mail.outbox if m.to == ["jana@example.org"])

    # Her calendar subscribes to the issuer's feed.
    feed_url = f"{live_server.url}/feeds/termine/herausgeber/{issuer.slug}.ics"
    before = calendar_event(reader, feed_url)

    # The lead postpones it by a day and two hours.
    new_start = timezone.localtime(appointment.starts_at) + timedelta(days=1, hours=2)
    page.goto(change_url)
    postpone = page.locator("#workflow-postpone")
    postpone.locator("input[name=starts_at_0]").fill(f"{new_start:%d.%m.%Y}")
    postpone.locator("input[name=starts_at_1]").fill(f"{new_start:%H:%M}")
    postpone.locator("textarea[name=comment]").fill("Der Minister ist verhindert.")
    postpone.locator("button[type=submit]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    screenshot(page, "4_postponed_admin")

    # The public page says so, and the calendar shows the new time with a higher SEQUENCE.
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(f"{new_start:%d.%m.%Y}")
    expect(reader.locator("main")).to_contain_text("Der Minister ist verhindert.")
    screenshot(reader, "5_postponed_public")
    after = calendar_event(reader, feed_url)
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == new_start
    assert before.decoded("DTSTART") == timezone.localtime(appointment.starts_at)
    # And she was told of the change of plan.
    assert any(
        "Der Minister ist verhindert." in m.body
        for m in mail.outbox
        if m.to == ["jana@example.org"]
    )
    journalist.close()
