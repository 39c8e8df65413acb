"""Every public page type passes axe-core's WCAG 2.1 A and AA rules in a real browser.

axe-core comes from the PyPI package axe-playwright-python, which bundles axe.min.js: nothing is
fetched at test time.
"""

from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.template.loader import render_to_string

from tests.page_types import PAGES, address_of

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_page(page, live_server, page_type):
    address, status = PAGES[page_type]
    path = address_of(address)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == status, path
    return path


def axe_violations(page) -> list[dict]:
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    on: {targets}"
        )
    return "\n".join(lines)


# One test a page type for both checks: each test restores the demo into a flushed database,
# which takes longer than the checks.
@pytest.mark.parametrize("page_type", PAGES)
def test_public_page_passes_axe_and_has_one_h1_no_skipped_heading_level_and_one_main(
    live_server, serve_media, demo_content, page_type
):
    page = serve_media
    path = open_page(page, live_server, page_type)

    violations = axe_violations(page)
    levels = page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "headings => headings.map(h => Number(h.tagName[1]))"
    )
    skips = [(before, after) for before, after in pairwise(levels) if after > before + 1]
    mains = page.locator("main").count()

    assert not violations, f"{page_type} ({path}):\n{describe(violations)}"
    assert levels[:1] == [1] and levels.count(1) == 1, f"{page_type} ({path}): {levels}"
    assert not skips, (
        f"{page_type} ({path}): heading levels {levels} skip from h{skips[0][0]} to h{skips[0][1]}"
    )
    assert mains == 1, f"{page_type} ({path}): {mains} main elements"


def test_server_error_page_renders_without_context_and_passes_axe(live_server, page):
    # Django renders 500.html with an empty context: no request, no database, no static tag.
    html = render_to_string("500.html")
    page.route(
        f"{live_server.url}/server-error",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    page.goto(f"{live_server.url}/server-error")  # so that its stylesheet loads from the site

    violations = axe_violations(page)

    assert page.locator("h1").count() == 1
    assert page.evaluate("getComputedStyle(document.body).borderTopStyle") == "solid"
    assert not violations, describe(violations)
