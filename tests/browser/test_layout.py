"""The public pages fit a phone and a desktop, work from the keyboard, and print cleanly.

Screenshots and the printed PDF land in test-artifacts/ (git-ignored) for a person to look at.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from releases.demo_joint import SLUG as JOINT_SLUG
from releases.management.commands.demo import SEED_SLUG

from .conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

RELEASE = f"/pressemitteilungen/{SEED_SLUG}/"
PAGES = {
    "home": "/",
    "list": "/pressemitteilungen/",
    "release": RELEASE,
    # A joint release: two logos, two names, two addresses (phone: stacked; desktop: a row).
    "release-joint": f"/pressemitteilungen/{JOINT_SLUG}/",
}
WIDTHS = [375, 1280]

# Every element in <main> that reaches past the right edge of main's content box (a long URL
# or e-mail address that does not wrap, a grid column wider than the screen), except inside
# an element that scrolls on purpose (a wide table).
OVERFLOWING = """main => {
  const style = getComputedStyle(main);
  const right = main.getBoundingClientRect().right - parseFloat(style.paddingRight) + 1;
  const scrolls = el => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  return [...main.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > right)
    .filter(el => {
      for (let up = el.parentElement; up && up !== main; up = up.parentElement) {
        if (scrolls(up)) return false;
      }
      return true;
    })
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_without_horizontal_scrolling(
    live_server, serve_media, demo_content, name, width
):
    page = serve_media
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{PAGES[name]}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    assert page.locator("main").evaluate(OVERFLOWING) == []


def test_first_tab_shows_the_skip_link_and_it_moves_focus_to_main(live_server, page, demo_content):
    page.goto(live_server.url)
    skip_link = page.locator(".skip-link")
    assert skip_link.bounding_box()["y"] + skip_link.bounding_box()["height"] <= 0

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_every_tab_stop_in_the_header_shows_a_focus_outline(live_server, page, demo_content):
    page.goto(live_server.url)
    header_stops = page.locator("header a, header select, header button").count()

    for _ in range(1 + header_stops):  # the skip link, then the header
        page.keyboard.press("Tab")
        outline = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.outerHTML.slice(0, 60),
                               s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        assert outline[1] != "none" and outline[2] >= 2, outline


def test_release_prints_the_text_contact_and_address_without_the_site_chrome(
    live_server, serve_media, demo_content
):
    page = serve_media
    page.goto(f"{live_server.url}{RELEASE}")

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("nav[aria-label]").first).to_be_hidden()
    expect(page.locator(".language-switcher")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".contact-box")).to_be_visible()
    expect(page.locator(".contact-box")).to_contain_text("Jens Jungmann")
    expect(page.locator(".issuer-block address")).to_be_visible()
    expect(page.locator(".issuer-block address")).to_contain_text("Wilhelm-Buck-Straße 2")

    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "release-print.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "StrategieWerkstatt" in text
    assert "Pressemitteilungen" not in text.split("StrategieWerkstatt", 1)[0]  # no navigation
