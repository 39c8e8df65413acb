"""Every public page type passes axe-core's WCAG 2.1 A and AA rules in a real browser.

axe-core comes from the PyPI package axe-playwright-python, which bundles axe.min.js: nothing is
fetched at test time.
"""

from datetime import timedelta
from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from releases.management.commands.demo import SEED_SLUG, photo_png
from releases.models import PreviewLink, Release, ReleaseImage, State

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EMBARGOED_SLUG = "embargo-demo-landeshaushalt"
WITHDRAWN_SLUG = "mindestlohn-kontrollen-bilanz"
PRESS_CONFERENCE_SLUG = "pressekonferenz-strategiewerkstatt"  # the demo's, with accreditation
SITE_VISIT_SLUG = "ortstermin-kreativwirtschaft-leipzig"


def withdrawn_release_url() -> str:
    """A demo release withdrawn after publication; it also gets a decorative photo (no alt)."""
    release = Release.objects.get(slug=WITHDRAWN_SLUG)
    Release.objects.filter(pk=release.pk).update(
        state=State.WITHDRAWN,
        withdrawn_at=timezone.now() - timedelta(hours=1),
        withdrawal_reason="Die Zahlen der Gewerbeaufsicht waren unvollständig.",
    )
    image = ReleaseImage(release=release, is_decorative=True, caption="Baustelle in Dresden.")
    image.file.save("baustelle.png", ContentFile(photo_png()), save=False)
    image.save()
    return release.get_absolute_url()


def cancelled_appointment_url() -> str:
    """The second demo appointment, postponed and then cancelled: its page keeps both notices."""
    from appointments.models import Appointment, Notice
    from appointments.models import State as AppointmentState

    appointment = Appointment.objects.get(slug=SITE_VISIT_SLUG)
    Notice.objects.create(appointment=appointment, note="Verschoben auf den Folgetag.")
    Appointment.objects.filter(pk=appointment.pk).update(
        state=AppointmentState.CANCELLED,
        status="postponed",
        cancelled_at=timezone.now(),
        cancellation_reason="Der Termin entfällt wegen Krankheit.",
    )
    return appointment.get_absolute_url()


def accreditation_confirm_url() -> str:
    """The page behind the link of the double opt-in mail."""
    from django.urls import reverse

    from appointments.models import Accreditation, Appointment

    application = Accreditation.objects.create(
        appointment=Appointment.objects.get(slug=PRESS_CONFERENCE_SLUG),
        name="Jana Beispiel",
        outlet="Sächsische Zeitung",
        email="jana@example.org",
        consent_text="Einverstanden.",
    )
    return reverse("appointments:confirm", kwargs={"token": application.token})


def embargo_preview_url() -> str:
    release = Release.objects.get(slug=EMBARGOED_SLUG)
    return PreviewLink.objects.create(release=release, label="Testredaktion").get_absolute_url()


# page type: (address, or a function that prepares the page and returns its address; status)
PAGES = {
    "home": ("/", 200),
    "list": ("/pressemitteilungen/", 200),
    "list-search-filter": ("/pressemitteilungen/?q=Kreativ&thema=wirtschaft", 200),
    "list-invalid-filter": ("/pressemitteilungen/?jahr=abc", 200),
    "release": (f"/pressemitteilungen/{SEED_SLUG}/", 200),
    "topic": ("/themen/wirtschaft/", 200),
    "issuer": ("/herausgeber/smwa/", 200),
    "contacts": ("/kontakte/", 200),
    "publications": ("/publikationen/", 200),
    "series": ("/publikationen/reihe/schlaglicht/", 200),
    "feeds": ("/feeds/", 200),
    "home-english": ("/en/", 200),
    "imprint": ("/impressum/", 200),
    "privacy-english": ("/en/datenschutz/", 200),
    "accessibility-statement": ("/barrierefreiheit/", 200),
    "accessibility-feedback": ("/barrierefreiheit/rueckmeldung/", 200),
    "release-withdrawn": (withdrawn_release_url, 200),
    "embargo-preview": (embargo_preview_url, 200),
    "not-found": ("/pressemitteilungen/gibt-es-nicht/", 404),
    "appointments": ("/termine/", 200),
    "appointments-filtered": ("/termine/?herausgeber=smwa&thema=wirtschaft", 200),
    "appointments-archive": ("/termine/archiv/", 200),
    "appointment": (f"/termine/{PRESS_CONFERENCE_SLUG}/", 200),
    "appointment-cancelled": (cancelled_appointment_url, 200),
    "accreditation-form": (f"/termine/{PRESS_CONFERENCE_SLUG}/akkreditierung/", 200),
    "accreditation-confirm": (accreditation_confirm_url, 200),
    "alerts-form": ("/benachrichtigungen/", 200),
}


def open_page(page, live_server, page_type):
    address, status = PAGES[page_type]
    path = address() if callable(address) else address
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


@pytest.mark.parametrize("page_type", PAGES)
def test_public_page_has_no_wcag_21_aa_violations(
    live_server, serve_media, demo_content, page_type
):
    path = open_page(serve_media, live_server, page_type)

    violations = axe_violations(serve_media)

    assert not violations, f"{page_type} ({path}):\n{describe(violations)}"


@pytest.mark.parametrize("page_type", PAGES)
def test_public_page_has_one_h1_no_skipped_heading_level_and_one_main(
    live_server, page, demo_content, page_type
):
    open_page(page, live_server, page_type)

    levels = page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "headings => headings.map(h => Number(h.tagName[1]))"
    )
    skips = [(before, after) for before, after in pairwise(levels) if after > before + 1]
    assert levels[:1] == [1] and levels.count(1) == 1, levels
    assert not skips, f"heading levels {levels} skip from h{skips[0][0]} to h{skips[0][1]}"
    assert page.locator("main").count() == 1


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
