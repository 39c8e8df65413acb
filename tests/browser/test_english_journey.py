"""The English version in a real browser: an officer writes it beside the German text, a lead
approves and publishes both, a journalist switches to English and reads it; axe-core finds no
WCAG 2.1 AA violation on the English page, nor on a German-only release under /en/."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from releases.models import Release, State
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_editor import log_in
from tests.browser.test_workflow_journey import take_transition

pytestmark = pytest.mark.django_db(transaction=True)

TITLE_EN = "Harnessing the creative industries for industry"


@pytest.mark.slow
def test_officer_writes_english_lead_publishes_journalist_reads_it(
    live_server, browser, page, officer, lead, make_release
):
    release = make_release("kreativ", live=False, created_by=officer, title="Kreativwirtschaft")

    # The officer finds the English form right under the German text and fills it in.
    log_in(page, live_server, "officer", "pw-officer")
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    english = page.locator("#translations-group")
    expect(english).to_be_visible()
    page.fill("#id_translations-0-title", TITLE_EN)
    page.fill("#id_translations-0-lead", "Innovation needs creativity.")
    english.locator(".field-body .ck-editor__editable[contenteditable=true]").click()
    page.keyboard.type("Creative minds meet manufacturing.")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-english-version-1280.png", full_page=True)
    take_transition(page, "submit")
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW and release.translations.get().title == TITLE_EN

    # The lead reads the English preview and publishes the version with both texts.
    lead_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    lead_page = lead_context.new_page()
    log_in(lead_page, live_server, "lead", "pw-lead")
    lead_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/preview/?language=en")
    expect(lead_page.locator("h1")).to_have_text(TITLE_EN)
    lead_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    take_transition(lead_page, "publish_now")
    release.refresh_from_db()
    assert release.is_live
    assert release.events.get(action="publish_now").version == release.version
    lead_context.close()

    # A journalist opens the German page and switches to English.
    reader = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 800})
    journalist = reader.new_page()
    with translation.override("de"):
        address = release.get_absolute_url()
    journalist.goto(f"{live_server.url}{address}")
    expect(journalist.locator("h1")).to_have_text("Kreativwirtschaft")
    journalist.locator(".language-switcher").get_by_role("link", name="English").click()
    expect(journalist.locator("h1")).to_have_text(TITLE_EN)
    expect(journalist.locator("html")).to_have_attribute("lang", "en")
    expect(journalist.locator(".release .richtext").first).to_contain_text("Creative minds")
    ARTIFACTS.mkdir(exist_ok=True)
    journalist.screenshot(path=ARTIFACTS / "english-release-375.png", full_page=True)
    violations = axe_violations(journalist)
    assert not violations, describe(violations)
    reader.close()


def test_a_german_only_release_under_en_passes_axe(live_server, page, make_release):
    release = make_release("nur-deutsch", title="Nur auf Deutsch")
    with translation.override("de"):
        address = release.get_absolute_url()
    page.goto(f"{live_server.url}/en{address}")
    expect(page.locator("h1")).to_have_attribute("lang", "de")
    expect(page.locator(".notice--language")).to_contain_text("available in German only")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "german-only-en-1280.png", full_page=True)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert Release.objects.get(pk=release.pk).translations.count() == 0
