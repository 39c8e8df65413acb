"""The legal pages and the search as a reader meets them in a real browser: the footer links from
every page type, the accessibility statement and its feedback form, the privacy link beside every
consent checkbox, the header search box with what a German journalist types, and a filter error
beside its field. axe-core checks each page on the way; screenshots at 375 and 1280 px land in
test-artifacts/.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from legal.models import Feedback
from releases.management.commands.demo import SEED_SLUG
from tests.page_types import PAGES, address_of, in_english

from .conftest import ARTIFACTS
from .test_accessibility import axe_violations, describe

pytestmark = pytest.mark.django_db(transaction=True)

LEGAL = {
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "accessibility": "/barrierefreiheit/",
}
SEED_TITLE = "Strategiewerkstatt: Kreativwirtschaft für die industrielle Wertschöpfung nutzen"
TEACHERS_TITLE = "Einstellungsrunde im Frühjahr: Freistaat gewinnt neue Lehrkräfte"
# What a journalist types into the header's search box -> a demo release it must find.
SEARCHES = {
    "WERTSCHÖPFUNG": SEED_TITLE,
    "wertschopfung": SEED_TITLE,
    "Wertschoepfung": SEED_TITLE,
    "Innovationen": SEED_TITLE,
    "Unternehmens": SEED_TITLE,
    "Lehrkraft": TEACHERS_TITLE,
}
# An error message and its field share one parent: the message stands beside the field.
BESIDE = "(error, id) => error.parentElement === document.getElementById(id).parentElement"


def screenshots(page, name):
    """The page at a phone's and a desktop's width, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"legal_search_{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def assert_accessible(page, name):
    violations = axe_violations(page)
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"


def test_every_page_type_links_the_legal_pages_in_its_footer(live_server, page, demo_content):
    for name, (address, status) in PAGES.items():
        path = address_of(address)
        prefix = "/en" if path.startswith("/en/") else ""
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status, path
        footer = page.locator("footer")
        for legal in LEGAL.values():
            link = footer.locator(f'a[href="{prefix}{legal}"]')
            expect(link, f"{name}: {prefix}{legal}").to_have_count(1)
            expect(link).to_be_visible()

    # And the links lead somewhere: from the last page, each one opens its page.
    for legal in LEGAL.values():
        page.goto(f"{live_server.url}{PAGES['home'][0]}")
        page.locator(f'footer a[href="{legal}"]').click()
        expect(page).to_have_url(f"{live_server.url}{legal}")
        expect(page.locator("h1")).to_have_count(1)


def test_accessibility_statement_has_its_parts_and_the_feedback_form_reaches_the_office(
    live_server, page, demo_content, monkeypatch
):
    # The form refuses what comes back within seconds (a bot); the reader here is quick.
    monkeypatch.setattr("legal.forms.MIN_SECONDS", 0)
    page.goto(live_server.url)
    page.locator('footer a[href="/barrierefreiheit/"]').click()

    # BITV 2.0: status of compliance, what is not accessible, when the statement was made,
    # a feedback mechanism with a contact, and the enforcement body.
    for part in ("compliance", "non-accessible", "prepared", "feedback", "enforcement"):
        expect(page.locator(f"#{part}-heading")).to_be_visible()
    enforcement = page.locator("section[aria-labelledby=enforcement-heading]")
    expect(enforcement.get_by_role("link")).to_have_attribute("href", re.compile(r"^https://"))
    feedback_section = page.locator("section[aria-labelledby=feedback-heading]")
    expect(feedback_section.locator("a[href^='mailto:']")).to_be_visible()
    assert_accessible(page, "statement")
    screenshots(page, "statement")

    feedback_section.locator("a[href='/barrierefreiheit/rueckmeldung/']").click()
    expect(page.locator("h1")).to_have_count(1)
    # The honeypot: off the screen, hidden from screen readers, out of the tab order.
    trap = page.locator("#id_website")
    assert trap.bounding_box()["x"] + trap.bounding_box()["width"] <= 0
    expect(trap.locator("xpath=..")).to_have_attribute("aria-hidden", "true")
    expect(trap).to_have_attribute("tabindex", "-1")

    # Sent empty: the error stands beside the field, which says it is invalid, and nothing leaves.
    page.locator(".legal-form button[type=submit]").click()
    message = page.locator("#id_message")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_attribute("aria-describedby", re.compile(r"\bid_message_error\b"))
    error = page.locator("#id_message_error")
    expect(error).to_be_visible()
    assert error.evaluate(BESIDE, "id_message")
    assert_accessible(page, "feedback form with an error")
    screenshots(page, "feedback_error")
    assert Feedback.objects.count() == 0

    message.fill("Die PDF-Datei der Broschüre ist für meinen Screenreader nicht lesbar.")
    page.locator("#id_email").fill("leserin@example.org")
    page.locator(".legal-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/barrierefreiheit/rueckmeldung/danke/")
    assert_accessible(page, "feedback sent")
    feedback = Feedback.objects.get()
    assert "Screenreader" in feedback.message and feedback.email == "leserin@example.org"
    assert [m.to for m in mail.outbox] == [["barrierefreiheit@example.org"]]
    assert "Screenreader" in mail.outbox[0].body


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_consent_checkbox_is_described_by_a_link_to_the_privacy_policy(
    live_server, page, demo_content, language
):
    privacy = LEGAL["privacy"] if language == "de" else in_english(LEGAL["privacy"])
    checked = []
    for name in ("alerts-form", "accreditation-form"):
        path = address_of(PAGES[name][0])
        page.goto(f"{live_server.url}{path if language == 'de' else in_english(path)}")
        boxes = page.locator("form input[type=checkbox][name=consent]")
        expect(boxes).to_have_count(1)
        box = boxes.first
        # Read out with the checkbox (aria-describedby), and a link, not only words.
        described_by = box.get_attribute("aria-describedby") or ""
        links = [
            page.locator(f"[id='{note}'] a[href='{privacy}']") for note in described_by.split()
        ]
        assert any(link.count() == 1 for link in links), f"{name}: {described_by!r}"
        link = next(link for link in links if link.count() == 1)
        expect(link).to_be_visible()
        checked.append(name)
        if name == "alerts-form":
            screenshots(page, f"alerts_form_{language}")

    link.click()
    expect(page).to_have_url(f"{live_server.url}{privacy}")
    expect(page.locator("h1")).to_have_count(1)
    assert checked == ["alerts-form", "accreditation-form"]


def test_the_header_search_on_the_home_page_finds_what_a_german_journalist_types(
    live_server, page, demo_content
):
    for query, title in SEARCHES.items():
        page.goto(live_server.url)
        box = page.locator("header form[role=search] input[type=search]")
        box.fill(query)
        box.press("Enter")

        expect(page).to_have_url(re.compile(r"/pressemitteilungen/\?q="))
        hits = page.locator("main .teaser__title a")
        expect(hits.filter(has_text=title), f"{query!r} finds {title!r}").to_have_count(1)
        expect(page.locator("#id_q")).to_have_value(query)
    assert_accessible(page, "search results")
    screenshots(page, "search_results")

    page.goto(f"{live_server.url}/pressemitteilungen/?q=Quastenflosser")
    expect(page.locator("main .teaser__title")).to_have_count(0)
    assert_accessible(page, "search without results")
    assert page.locator(f"main a[href$='{SEED_SLUG}/']").count() == 0


@pytest.mark.parametrize(
    "field, value, other",
    [("jahr", "abc", None), ("bis", "2026-11-01", ("von", "2026-11-20"))],
    ids=["year", "date-range"],
)
def test_a_filter_error_stands_beside_its_field(
    live_server, page, demo_content, field, value, other
):
    page.goto(f"{live_server.url}/pressemitteilungen/")
    if other:
        page.locator(f"#id_{other[0]}").fill(other[1])
    page.locator(f"#id_{field}").fill(value)
    page.locator("form.filters button[type=submit]").click()

    box = page.locator(f"#id_{field}")
    error = page.locator(f"#id_{field}_error")
    expect(error).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", re.compile(rf"\bid_{field}_error\b"))
    assert error.evaluate(BESIDE, f"id_{field}")
    expect(page.locator("main .teaser__title")).to_have_count(0)
    # The summary at the top links the field, so keyboard users get there in one step.
    page.locator(f".form-errors a[href='#id_{field}']").click()
    expect(box).to_be_focused()
    assert_accessible(page, f"filter error in {field}")
    screenshots(page, f"filter_error_{field}")
