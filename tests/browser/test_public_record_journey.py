"""The public record in a real browser: an approval binds a version, a late edit voids it, the
release appears at its second with its document and photo, the worker sends the alert, and a
restore on the live release is a correction with a public note."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from alerts.models import Subscriber
from publications.models import Publication
from publications.pdf import build_pdf
from releases import revisions
from releases.models import Release, ReleaseImage, State
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_editor import log_in
from tests.helpers import make_photo

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Arbeitsmarkt im November"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "#2a6f97").save(buffer, "PNG")
    return buffer.getvalue()


def run_worker():
    """One round of the task worker that runs beside the web server (`make run`, `make serve`).

    The live server's SQLite test database lives in this process's memory, so the worker's
    loop runs here instead of in a process of its own; it is the same `db_worker` command.
    """
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def take_transition(page, name, comment="", **fields):
    form = page.locator(f"#workflow-{name}")
    for field, value in fields.items():
        form.locator(f"input[name={field}]").fill(value)
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    expect(page.locator("ul.messagelist li").first).to_be_visible()


def approve_in(page, seconds):
    go_live = timezone.localtime() + timedelta(seconds=seconds)
    take_transition(
        page, "approve", go_live_at_0=f"{go_live:%d.%m.%Y}", go_live_at_1=f"{go_live:%H:%M:%S}"
    )
    return go_live.replace(microsecond=0)


@pytest.mark.slow
def test_what_goes_live_is_what_was_approved_at_its_second_with_everything_attached(
    live_server, browser, page, settings, officer, lead, issuer, time_machine
):
    settings.TASKS = DATABASE_TASKS
    Subscriber.objects.create(email="jana@example.org", confirmed_at=timezone.now())
    release = Release.objects.create(
        issuer=issuer,
        title=TITLE,
        slug="arbeitsmarkt-im-november",
        lead="Die Arbeitslosenquote liegt bei 2,3 Prozent.",
        body="<p>Der Text.</p>",
        created_by=officer,
        last_edited_by=officer,
    )
    document = Publication(slug="arbeitsmarktbericht", title="Arbeitsmarktbericht", issuer=issuer)
    document.published_at = None  # "with its press release"
    document.file = ContentFile(build_pdf("Bericht", ["Seite eins"]), name="bericht.pdf")
    document.save()
    release.publications.add(document)
    photo = make_photo(issuer, width=600, height=400, alt_text="Ein Diagramm")
    ReleaseImage.objects.create(release=release, photo=photo)
    revisions.record(release, officer)  # version 1, as the admin would have stored it
    change_url = f"{live_server.url}/admin/releases/release/{release.pk}/change/"
    visitor = browser.new_context().new_page()

    # The officer submits; the lead approves version 1 for a few seconds ahead.
    log_in(page, live_server, "officer", "pw-officer")
    page.goto(change_url)
    take_transition(page, "submit")
    lead_page = browser.new_context(locale="de-DE").new_page()
    log_in(lead_page, live_server, "lead", "pw-lead")
    lead_page.goto(change_url)
    expect(lead_page.locator("#workflow-approve")).to_contain_text("Version 1")
    approve_in(lead_page, 60)
    assert Release.objects.get(pk=release.pk).state == State.APPROVED

    # The officer's late edit asks for a confirmation, then voids the approval.
    page.goto(change_url)
    page.fill("#id_lead", "Die Arbeitslosenquote liegt bei 2,2 Prozent.")
    page.click("input[name=_continue]")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    page.check("#id_confirm")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.warning")).to_contain_text("Freigabe wurde aufgehoben")
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW and release.go_live_at is None
    assert release.events.get(action="void_approval").comment == "Vorspann"

    # Back in review: the lead reads the new version and approves it, some minutes ahead (a
    # busy machine must not reach the second before the checks below are done).
    lead_page.goto(change_url)
    expect(lead_page.locator("#workflow-approve")).to_contain_text("Version 2")
    go_live = approve_in(lead_page, 300)
    release.refresh_from_db()
    assert (release.state, release.version, release.go_live_at) == (State.APPROVED, 2, go_live)

    # Before its second nothing is public: not the page, the document or the photo.
    lead_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/preview/")
    photo_src = lead_page.locator("figure.gallery__item img").get_attribute("src")
    assert photo_src == photo.src  # a rendition, under an unguessable name
    public_url = f"{live_server.url}{release.get_absolute_url()}"
    download_url = f"{live_server.url}{document.get_download_url()}"
    photo_page = f"{live_server.url}{photo.get_absolute_url()}"
    for url in [public_url, download_url, f"{live_server.url}{photo_src}", photo_page]:
        assert visitor.request.get(url).status == 404, url
    run_worker()
    assert not [m for m in mail.outbox if TITLE in m.subject and "jana@example.org" in m.to]

    # A second before it, still nothing; at its second: the page with the approved text, its
    # document and its photo. The clock moves for the live server's thread and the worker too.
    time_machine.move_to(go_live - timedelta(seconds=1), tick=False)
    assert visitor.request.get(public_url).status == 404
    time_machine.move_to(go_live + timedelta(seconds=0.5), tick=True)
    assert visitor.goto(public_url).status == 200
    expect(visitor.locator("main")).to_contain_text("2,2 Prozent")
    assert visitor.request.get(download_url).status == 200
    shown = visitor.locator("figure.gallery__item img").get_attribute("src")
    assert visitor.request.get(f"{live_server.url}{shown}").status == 200
    assert visitor.request.get(photo_page).status == 200

    # The worker sends the alert at the second; nobody ran a command.
    run_worker()
    run_worker()  # the mailing the go-live task started
    assert [m.to for m in mail.outbox if TITLE in m.subject and "jana@example.org" in m.to]
    assert Release.objects.get(pk=release.pk).go_live_handled_at is not None

    # Restoring version 1 on the live release demands a change note and is a correction.
    lead_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/revisions/")
    lead_page.locator("a", has_text="Wiederherstellen").first.click()
    expect(lead_page.locator("#content")).to_contain_text("als Korrektur")
    lead_page.check("#id_confirm")
    lead_page.locator("input[type=submit][value=Wiederherstellen]").click()
    expect(lead_page.locator(".errorlist")).to_contain_text("Änderungsnotiz")
    assert Release.objects.get(pk=release.pk).version == 2
    lead_page.fill("#id_change_note", "Die Quote beträgt doch 2,3 Prozent.")
    lead_page.check("#id_confirm")
    lead_page.locator("input[type=submit][value=Wiederherstellen]").click()
    expect(lead_page.locator("ul.messagelist li.success")).to_be_visible()

    release.refresh_from_db()
    assert release.version == 3 and "2,3 Prozent" in release.lead
    assert list(release.corrections.values_list("note", flat=True)) == [
        "Die Quote beträgt doch 2,3 Prozent."
    ]
    visitor.goto(public_url)
    expect(visitor.locator("main")).to_contain_text("2,3 Prozent")
    expect(visitor.locator(".release-meta")).to_contain_text("aktualisiert am")
    expect(visitor.locator(".corrections")).to_contain_text("Die Quote beträgt doch 2,3 Prozent.")
    ARTIFACTS.mkdir(exist_ok=True)
    visitor.screenshot(path=ARTIFACTS / "public-record-release.png", full_page=True)
    lead_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/history/")
    expect(lead_page.locator(".release-history")).to_contain_text("Freigabe durch eine Änderung")
    lead_page.screenshot(path=ARTIFACTS / "public-record-history.png", full_page=True)
