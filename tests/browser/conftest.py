"""Fixtures for browser tests: one Chromium per session, one fresh German context per test."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import missing_tool

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
        missing_tool(message, "NEWSROOM_REQUIRE_BROWSER")

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


# The rows of the demo content, as `manage.py demo` first wrote them in this session.
_demo_rows = {}


@pytest.fixture
def demo_content(transactional_db):
    """The demo content (seed release and more). The command runs once; later tests get its rows
    copied back, as Django's serialized rollback does, since the flush after each test removed
    them (its files stay in the storages, and the search index is built again)."""
    import io

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from releases.models import Release
    from releases.roles import PRESS_LEADS, PRESS_OFFICERS
    from releases.search import index_many
    from tests.conftest import role

    if connection.alias in _demo_rows:
        # The flush made content types and permissions again, under other ids than the copied
        # rows name: the copied ones replace them.
        ContentType.objects.all().delete()
        connection.creation.deserialize_db_from_string(_demo_rows[connection.alias])
        ContentType.objects.clear_cache()
        # Rows copied with their ids leave PostgreSQL's sequences behind; move them on.
        models = apps.get_models(include_auto_created=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        index_many(Release.objects.all())
        return
    # The flush after an earlier test removed the groups the data migration made.
    role(PRESS_OFFICERS)
    role(PRESS_LEADS)
    call_command("demo", stdout=io.StringIO())
    _demo_rows[connection.alias] = connection.creation.serialize_db_to_string()


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
