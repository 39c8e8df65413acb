"""The admin at a laptop's width: what an officer looks for is on screen without scrolling sideways.

Screenshots land in test-artifacts/ for a person to look at.
"""

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from playwright.sync_api import expect

from newsroom.links import absolute_url
from releases.models import PreviewLink, Release
from tests.browser.test_editor import log_in

from .conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

# The right edge of each header cell of the change list, by the column's class.
COLUMN_EDGES = """() => Object.fromEntries([...document.querySelectorAll("#result_list thead th")]
  .map(th => [[...th.classList].find(c => c.startsWith("column-")) || th.className,
              th.getBoundingClientRect().right]))"""


def test_release_list_shows_state_go_live_and_author_at_1280(live_server, page, demo_content):
    log_in(page, live_server, "lead", "newsroom-lead")
    page.goto(f"{live_server.url}/admin/releases/release/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-release-list-1280.png", full_page=True)

    edges = page.evaluate(COLUMN_EDGES)
    for column in ["column-state_label", "column-go_live_short", "column-created_by"]:
        assert column in edges, edges
        assert edges[column] <= 1280, (column, edges)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    sizes = page.locator(".results").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1], (sizes, edges)


def test_preview_links_fit_at_1280_and_copy_the_absolute_link(live_server, page, demo_content):
    release = Release.objects.filter(go_live_at__gt=timezone.now()).first()
    lead = get_user_model().objects.get(username="lead")
    link = PreviewLink.objects.create(release=release, label="Dresdner Zeitung", created_by=lead)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server, "lead", "newsroom-lead")
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    group = page.locator("#preview_links-group")
    group.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-preview-links-1280.png", full_page=True)

    # Nothing of the table hides behind a horizontal scroll.
    table = group.locator("table")
    assert table.evaluate("t => t.getBoundingClientRect().right") <= 1280
    sizes = group.locator(".tabular").evaluate(
        """el => [el.scrollWidth, el.clientWidth, [...el.querySelectorAll("thead th")].map(
             th => th.className + ":" + Math.round(th.getBoundingClientRect().width))]"""
    )
    assert sizes[0] <= sizes[1], sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    expected = absolute_url(link.get_absolute_url())
    assert expected.startswith("http")
    with translation.override("de"):  # the admin's language, whether compiled yet or not
        field, copy, copied, send = map(
            translation.gettext, ["preview link", "Copy link", "Copied.", "Send by e-mail"]
        )
    expect(group.get_by_role("textbox", name=field)).to_have_value(expected)
    group.get_by_role("button", name=copy).click()
    expect(group.get_by_role("status")).to_have_text(copied)
    assert page.evaluate("navigator.clipboard.readText()") == expected
    mail = group.get_by_role("link", name=send)
    href = mail.get_attribute("href")
    assert href.startswith("mailto:?subject=") and expected in unquote(href)
