"""Press offices in a real browser, on the demo: an officer of one ministry does not see the
other ministry's draft, and the ministry's press lead approves its authority's release."""

import pytest
from playwright.sync_api import expect

from releases.models import Release, State
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_editor import log_in

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_DRAFT = "Entwurf: Schulbauprogramm 2018"  # the SMK's (releases' demo command)
AUTHORITY_RELEASE = "Brücke Niederwartha wieder für den Verkehr freigegeben"  # the LASuV's


def test_an_officer_sees_only_their_office_and_the_ministry_reviews_its_authority(
    live_server, browser, page, demo_content
):
    # The SMWA's officer: their drafts, not the other ministry's, not even by its address.
    log_in(page, live_server, "officer", "newsroom-officer")
    page.goto(f"{live_server.url}/admin/releases/release/")
    rows = page.locator("#result_list tbody")
    expect(rows).to_contain_text("Entwurf: Sachsen auf der Hannover Messe")
    expect(rows).not_to_contain_text(OTHER_DRAFT)
    expect(rows).not_to_contain_text(AUTHORITY_RELEASE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "offices-officer-list.png", full_page=True)
    other = Release.objects.get(title=OTHER_DRAFT)
    response = page.goto(f"{live_server.url}/admin/releases/release/{other.pk}/change/")
    assert response.status == 403
    response = page.goto(f"{live_server.url}/admin/releases/release/{other.pk}/preview/")
    assert response.status in {403, 404}
    # The issuer choice offers their own office only.
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    page.click("#id_issuer + .select2 .select2-selection")
    options = page.locator(".select2-results__option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Wirtschaft, Arbeit und Verkehr")

    # The SMWA's lead finds the authority's release waiting for review, and publishes it.
    lead_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    lead_page = lead_context.new_page()
    log_in(lead_page, live_server, "lead", "newsroom-lead")
    lead_page.goto(f"{live_server.url}/admin/releases/release/?review=mine")
    expect(lead_page.locator("#result_list tbody")).not_to_contain_text(OTHER_DRAFT)
    lead_page.get_by_role("link", name=AUTHORITY_RELEASE).click()
    # The ministry reviews, it does not write: the text is shown, not offered for editing.
    expect(lead_page.locator("input[name=_save]")).to_have_count(0)
    lead_page.screenshot(path=ARTIFACTS / "offices-parent-review.png", full_page=True)
    lead_page.locator("#workflow-publish_now button[type=submit]").click()
    expect(lead_page.locator("ul.messagelist li.success")).to_be_visible()
    release = Release.objects.get(title=AUTHORITY_RELEASE)
    assert release.state == State.APPROVED and release.is_live
    assert release.events.get(action="publish_now").actor.username == "lead"

    # The other ministry's lead has no say over it, and never saw it.
    other_context = browser.new_context(locale="de-DE")
    other_page = other_context.new_page()
    log_in(other_page, live_server, "lead-smk", "newsroom-lead-smk")
    other_page.goto(f"{live_server.url}/admin/releases/release/")
    expect(other_page.locator("#result_list tbody")).to_contain_text(OTHER_DRAFT)
    expect(other_page.locator("#result_list tbody")).not_to_contain_text(AUTHORITY_RELEASE)
    for context in (lead_context, other_context):
        context.close()
