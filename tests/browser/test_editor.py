"""An officer writes a press release in the admin's CKEditor, and what they typed is stored."""

import re

import pytest
from playwright.sync_api import expect

from releases.models import Release, State
from tests.helpers import BODY_EDITOR

# Transactional because the live server thread must see the test's data (the role fixtures
# recreate the groups that a flush removes).
pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Neue Brücke über die Elbe eröffnet"
SLUG = "neue-bruecke-ueber-die-elbe-eroeffnet"  # German folding (ü → ue) before urlify.js
TYPED = "Ein Text, getippt in CKEditor."


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def choose_autocomplete(page, field_id, search, option):
    """Pick `option` in a Django admin autocomplete (select2) widget by typing `search`."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=option).click()
    expect(page.locator(f"#{field_id} + .select2 .select2-selection__rendered")).to_contain_text(
        option
    )


def test_officer_writes_a_release_in_ckeditor_and_it_is_stored(live_server, page, officer, issuer):
    log_in(page, live_server, "officer", "pw-officer")
    page.goto(f"{live_server.url}/admin/releases/release/add/")

    choose_autocomplete(page, "id_issuer", "Beispiele", issuer.name)
    # Typed key by key: the admin's prepopulate script fills the slug on keyup, not on fill().
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.fill("#id_lead", "Die Brücke ist ab heute befahrbar.")

    editable = page.locator(BODY_EDITOR)
    editable.click()
    page.keyboard.type(TYPED + " ")
    page.keyboard.press("Control+B")
    page.keyboard.type("Fett")
    page.keyboard.press("Control+B")
    page.keyboard.type(" und normal.")
    expect(editable.locator("strong")).to_have_text("Fett")

    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(r"/admin/releases/release/$"))
    expect(page.locator("ul.messagelist li.success")).to_contain_text(TITLE)

    release = Release.objects.get(title=TITLE)
    assert release.slug == SLUG
    assert f"<p>{TYPED} <strong>Fett</strong> und normal.</p>" in release.body
    assert release.created_by == officer
    assert release.state == State.DRAFT
