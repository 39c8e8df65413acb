"""The Content Security Policy holds in a real browser: no page, nor the release form with
CKEditor, triggers a single violation."""

import pytest

from releases.management.commands.demo import SEED_SLUG
from tests.browser.test_editor import log_in
from tests.helpers import BODY_EDITOR

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/pressemitteilungen/?q=Kreativ",
    f"/pressemitteilungen/{SEED_SLUG}/",
    "/themen/wirtschaft/",
    "/herausgeber/smwa/",
    "/kontakte/",
    "/publikationen/",
    "/feeds/",
    "/benachrichtigungen/",
    "/en/",
]

# Recorded inside the page, so that nothing the browser reports is missed.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return console + page.evaluate("window.__cspViolations")

    return page, violations


def test_public_pages_run_under_the_policy(live_server, watched, demo_content):
    page, violations = watched
    for path in PUBLIC_PAGES:
        response = page.goto(live_server.url + path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert violations() == [], path


def test_the_release_form_with_ckeditor_runs_under_the_admin_policy(
    live_server, watched, officer, issuer
):
    page, violations = watched
    log_in(page, live_server, "officer", "pw-officer")
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    editable = page.locator(BODY_EDITOR)
    editable.click()
    page.keyboard.type("Ein Satz unter der Sicherheitsrichtlinie.")
    assert "Sicherheitsrichtlinie" in editable.inner_text()
    assert violations() == []
