"""Passkeys in a real browser: a lead who must have a second factor adds a passkey right after
the password, then signs in with it, through Chromium's virtual authenticator (DevTools protocol
WebAuthn domain), under the Content Security Policy."""

import re

import pytest
from django.test import override_settings
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from accounts.models import SecurityEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def virtual_authenticator(page) -> tuple:
    """A platform authenticator that says yes at once (presence and user verification)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    created = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, created["authenticatorId"]


def sign_in_with_password(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "lead")
    page.fill("#id_password", "pw-lead")
    page.click("input[type=submit]")


@override_settings(NEWSROOM_REQUIRE_2FA=True)
def test_a_lead_enrols_a_passkey_and_signs_in_with_it(live_server, page, lead):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    cdp, authenticator = virtual_authenticator(page)

    # Password only: the admin stays shut, the lead is asked to add a second factor.
    sign_in_with_password(page, live_server)
    expect(page).to_have_url(re.compile(r"/konto/einrichten/\?next=%2Fadmin%2F$"))
    # The URL changes before the page's scripts run: a click before them would do nothing.
    page.wait_for_load_state("load")
    page.click("#passkey-register-button")

    # Registered: recovery codes, shown once, then the admin.
    expect(page).to_have_url(re.compile(r"/konto/wiederherstellungscodes/"))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name=re.compile("continue|weiter", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    credential = WebAuthnCredential.objects.get(user=lead)
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    assert SecurityEvent.objects.filter(kind="enrolled", user=lead).exists()

    # Signed out and in again: the passkey is the second factor.
    page.context.clear_cookies()
    sign_in_with_password(page, live_server)
    expect(page).to_have_url(re.compile(r"/konto/anmeldung/\?next=%2Fadmin%2F$"))
    page.wait_for_load_state("load")
    page.click("#passkey-verification-button")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
    used = SecurityEvent.objects.get(kind="second_factor_used", user=lead)
    assert used.detail == "Passkey"  # recorded in the site language
    credential.refresh_from_db()
    assert credential.sign_count >= 1 or credential.last_used_at is not None

    violations = [text for text in console if "Content Security Policy" in text]
    assert violations + page.evaluate("window.__cspViolations") == []
