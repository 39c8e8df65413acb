"""The whole editorial journey in a real browser: write, submit, send back, resubmit, schedule."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from releases.models import Release, State
from tests.browser.test_editor import choose_autocomplete, log_in
from tests.helpers import BODY_EDITOR

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Sperrfrist für den Haushaltsentwurf"


def take_transition(page, name, comment=""):
    form = page.locator(f"#workflow-{name}")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    expect(page.locator("ul.messagelist li").first).to_be_visible()


@pytest.mark.slow
def test_officer_and_lead_take_a_release_from_draft_to_scheduled_publication(
    live_server, browser, page, officer, lead, issuer, time_machine
):
    # The officer writes the release and submits it.
    log_in(page, live_server, "officer", "pw-officer")
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    choose_autocomplete(page, "id_issuer", "Beispiele", issuer.name)
    page.locator("#id_title").press_sequentially(TITLE)
    page.fill("#id_lead", "Der Entwurf wird am Mittag vorgestellt.")
    page.locator(BODY_EDITOR).click()
    page.keyboard.type("Erste Fassung des Textes.")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    change_url = page.url
    take_transition(page, "submit", "Bitte prüfen")
    release = Release.objects.get(title=TITLE)
    assert release.state == State.IN_REVIEW

    # The lead sends it back with a comment.
    lead_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    lead_page = lead_context.new_page()
    log_in(lead_page, live_server, "lead", "pw-lead")
    lead_page.goto(f"{live_server.url}/admin/releases/release/?review=mine")
    lead_page.get_by_role("link", name=TITLE).click()
    take_transition(lead_page, "request_changes", "Bitte die Uhrzeit ergänzen.")
    assert Release.objects.get(pk=release.pk).state == State.DRAFT

    # The officer sees the comment, edits and resubmits.
    page.goto(change_url)
    expect(page.locator(".workflow-history")).to_contain_text("Bitte die Uhrzeit ergänzen.")
    editable = page.locator(BODY_EDITOR)
    editable.click()
    page.keyboard.press("End")
    page.keyboard.type(" Vorstellung um 12 Uhr.")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    take_transition(page, "submit")
    assert "Vorstellung um 12 Uhr." in Release.objects.get(pk=release.pk).body

    # The lead schedules it, in Berlin time, minutes ahead: a machine busy with other tests must
    # not reach the second before the checks below are done.
    go_live = timezone.localtime() + timedelta(minutes=5)
    lead_page.goto(change_url)
    approve = lead_page.locator("#workflow-approve")
    approve.locator("input[name=go_live_at_0]").fill(f"{go_live:%d.%m.%Y}")
    approve.locator("input[name=go_live_at_1]").fill(f"{go_live:%H:%M:%S}")
    approve.locator("button[type=submit]").click()
    expect(lead_page.locator("ul.messagelist li.success")).to_be_visible()
    release.refresh_from_db()
    assert release.state == State.APPROVED
    assert release.go_live_at == go_live.replace(microsecond=0)

    # Not public before its second ...
    public_url = f"{live_server.url}{release.get_absolute_url()}"
    visitor = browser.new_context()
    visitor_page = visitor.new_page()
    assert visitor_page.goto(public_url).status == 404
    visitor_page.goto(live_server.url)
    expect(visitor_page.locator("main")).not_to_contain_text(TITLE)

    # ... not a second before it, and public at it. The clock moves for the live server too.
    time_machine.move_to(release.go_live_at - timedelta(seconds=1), tick=False)
    assert visitor_page.goto(public_url).status == 404
    time_machine.move_to(release.go_live_at + timedelta(seconds=0.5), tick=True)
    assert visitor_page.goto(public_url).status == 200
    expect(visitor_page.locator("h1")).to_have_text(TITLE)
    visitor_page.goto(live_server.url)
    expect(visitor_page.get_by_role("link", name=TITLE)).to_be_visible()
    assert re.search("Vorstellung um 12 Uhr", visitor_page.content()) is None  # teaser: lead only
    visitor.close()
    lead_context.close()
