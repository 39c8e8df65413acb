"""Fixtures for browser tests: one Chromium per session, one fresh German context per test."""

import os
import re
import shutil
from pathlib import Path

import pytest

# Sync Playwright runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so the page fixture can tell whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = (
            f"Debian's chromium is not installed ({CHROMIUM}); "
            "CI installs it and sets NEWSROOM_REQUIRE_BROWSER=1"
        )
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)

    # Imported here so that collecting the rest of the suite never needs Playwright.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()


@pytest.fixture
def demo_content(transactional_db):
    """The demo content (seed release and more); the flush before each test removed the groups."""
    import io

    from django.core.management import call_command

    from releases.roles import PRESS_LEADS, PRESS_OFFICERS
    from tests.conftest import role

    role(PRESS_OFFICERS)
    role(PRESS_LEADS)
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def serve_media(page):
    """Answer /media/ requests from MEDIA_ROOT, as the web server does in production.

    The live server serves static files but not uploads (the project's URLs add them only with
    DEBUG on), so without this logos and press photos would show as broken images.
    """
    import mimetypes
    from urllib.parse import unquote, urlsplit

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT).resolve()

    def answer(route):
        path = urlsplit(route.request.url).path.removeprefix(settings.MEDIA_URL)
        file = (root / unquote(path)).resolve()
        if root not in file.parents or not file.is_file():
            route.fulfill(status=404, body="")
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)

    page.route(f"**{settings.MEDIA_URL}**", answer)
    return page
