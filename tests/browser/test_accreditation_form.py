"""The public accreditation form looks and behaves like the alerts form, on a phone and a
desktop: labelled fields, help and errors beside their field, the consent with the privacy link.

Screenshots land in test-artifacts/ for a person to look at.
"""

import pytest

from tests.page_types import PRESS_CONFERENCE_SLUG

from .conftest import ARTIFACTS
from .test_accessibility import axe_violations, describe
from .test_layout import OVERFLOWING

pytestmark = pytest.mark.django_db(transaction=True)

FORM = f"/termine/{PRESS_CONFERENCE_SLUG}/akkreditierung/"

# For each text field: its label above it, the input as wide as the field, and how tall it is.
FIELDS = """form => [...form.querySelectorAll(".alert-form__field")].map(field => {
  const input = field.querySelector("input, textarea");
  const label = field.querySelector("label");
  const error = field.querySelector(".field-error");
  const box = el => el.getBoundingClientRect();
  return {
    name: input.name,
    labelled: label.htmlFor === input.id && box(label).bottom <= box(input).top + 1,
    height: box(input).height,
    fills: box(input).width >= box(field).width - 1,
    error: error ? {
      below: box(error).top >= box(input).bottom - 1,
      described: (input.getAttribute("aria-describedby") || "").split(" ").includes(error.id),
    } : null,
  };
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_accreditation_form_is_laid_out_like_the_alerts_form(
    live_server, page, demo_content, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{FORM}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"accreditation-form-{width}.png", full_page=True)
    form = page.locator("form.accreditation-form")
    fields = form.evaluate(FIELDS)
    assert {field["name"] for field in fields} >= {"name", "outlet", "email", "phone", "team"}
    assert all(field["labelled"] and field["fills"] for field in fields), fields
    assert all(field["height"] >= 40 for field in fields), fields  # touch-sized, as the alerts'
    consent = form.locator(".alert-form__consent")
    privacy = consent.locator(".privacy-note a")
    assert privacy.get_attribute("href").endswith("/datenschutz/")
    note_id = consent.locator(".privacy-note").get_attribute("id")
    assert note_id in consent.locator("input").get_attribute("aria-describedby").split()

    form.locator("input[name=name]").fill("Jo Beispiel")
    form.locator("input[name=email]").fill("kein-at")
    form.locator("button[type=submit]").click()
    page.screenshot(path=ARTIFACTS / f"accreditation-form-errors-{width}.png", full_page=True)
    fields = {field["name"]: field for field in form.evaluate(FIELDS)}
    assert fields["email"]["error"] == {"below": True, "described": True}
    assert fields["outlet"]["error"] == {"below": True, "described": True}
    assert fields["name"]["error"] is None
    assert form.locator("input[name=name]").input_value() == "Jo Beispiel"  # nothing lost
    assert consent.locator(".field-error").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("main").evaluate(OVERFLOWING) == []
    violations = axe_violations(page)  # the form with its errors, too
    assert not violations, describe(violations)


def test_the_door_list_prints_without_the_admin_around_it(live_server, page, lead, issuer):
    from datetime import timedelta

    from django.utils import timezone

    from appointments.models import Accreditation, ApplicationStatus, Appointment, State
    from tests.browser.test_editor import log_in

    now = timezone.now()
    appointment = Appointment.objects.create(
        issuer=issuer,
        title="Pressekonferenz",
        slug="pk",
        starts_at=now + timedelta(days=2),
        state=State.APPROVED,
        go_live_at=now,
        first_published_at=now,
        requires_accreditation=True,
        accreditation_deadline=now + timedelta(days=1),
    )
    Accreditation.objects.create(
        appointment=appointment,
        name="Jo Beispiel",
        outlet="Tageblatt",
        email="jo@example.org",
        consent_text="ja",
        confirmed_at=now,
        status=ApplicationStatus.ACCEPTED,
    )
    log_in(page, live_server, "lead", "pw-lead")
    page.goto(f"{live_server.url}/admin/appointments/appointment/{appointment.pk}/door-list/")
    assert page.locator("#header").is_visible()
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "door-list-print.png", full_page=True)
    assert not page.locator("#header").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()
    row = page.locator("table.door-list tbody tr").first
    assert row.is_visible() and "Tageblatt" in row.inner_text()
