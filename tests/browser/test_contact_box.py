"""On a phone the press contact comes right after the lead: journalists look for the number first.

It is one element in the page, placed by the grid, so a screen reader meets it once.
"""

import pytest

from releases.management.commands.demo import SEED_SLUG

from .conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

RELEASE = f"/pressemitteilungen/{SEED_SLUG}/"


def top(page, selector):
    return page.locator(selector).evaluate("el => el.getBoundingClientRect().top")


def test_on_a_phone_the_contact_box_follows_the_lead(live_server, serve_media, demo_content):
    page = serve_media
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{RELEASE}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "release-contact-box-375.png", full_page=True)

    assert top(page, ".release-layout .lead") < top(page, ".contact-box")
    assert top(page, ".contact-box") < top(page, ".release-text > .richtext")
    # Once in the page and once for assistive technology: no copy for small screens.
    assert page.locator(".contact-box").count() == 1
    heading = page.locator("#contact-box-heading").inner_text()
    tree = page.locator("main").aria_snapshot()
    assert tree.count(f'complementary "{heading}"') == 1, tree


def test_on_a_desktop_the_contact_box_stays_beside_the_text(
    live_server, serve_media, demo_content
):
    page = serve_media
    page.goto(f"{live_server.url}{RELEASE}")
    box = page.locator(".contact-box").bounding_box()
    text = page.locator(".release-text").bounding_box()
    lead = page.locator(".release-layout .lead").bounding_box()
    assert box["x"] > text["x"] + text["width"]
    assert abs(box["y"] - lead["y"]) < 2
