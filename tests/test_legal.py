"""The legal pages (Impressum, privacy policy, accessibility statement) and the accessibility
feedback form: linked from every page, versioned, in two languages, spam- and flood-proof."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from legal.forms import start_token
from legal.models import Compliance, Feedback, LegalPage, LegalPageRevision, PageKind

ADDRESSES = {
    PageKind.IMPRINT: "/impressum/",
    PageKind.PRIVACY: "/datenschutz/",
    PageKind.ACCESSIBILITY: "/barrierefreiheit/",
}


def page(kind) -> LegalPage:
    return LegalPage.objects.get(kind=kind)


@pytest.fixture
def imprint(db):
    legal = page(PageKind.IMPRINT)
    legal.body_de = "<p>Herausgeber: Ministerium für Beispiele.</p>"
    legal.body_en = "<p>Publisher: Ministry of Examples.</p>"
    legal.save()
    return legal


@pytest.fixture
def statement(db):
    legal = page(PageKind.ACCESSIBILITY)
    legal.body_de = "<p>Wir bemühen uns um Barrierefreiheit.</p>"
    legal.compliance = Compliance.PARTIAL
    legal.non_accessible_de = "<p>Alte PDF-Dateien sind nicht barrierefrei.</p>"
    legal.prepared_on = timezone.localdate().replace(year=2026, month=11, day=1)
    legal.contact_email = "barrierefreiheit@example.org"
    legal.save()
    return legal


# --- linked everywhere -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["/", "/pressemitteilungen/", "/kontakte/", "/benachrichtigungen/", "/en/", "/gibt-es-nicht/"],
)
def test_every_page_links_the_three_legal_pages_in_its_footer(client, db, address):
    html = client.get(address).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    prefix = "/en" if address.startswith("/en/") else ""
    for path in ADDRESSES.values():
        assert f'href="{prefix}{path}"' in footer


@pytest.mark.parametrize("kind", list(ADDRESSES))
def test_the_three_pages_exist_from_the_start(client, db, kind):
    response = client.get(ADDRESSES[kind])
    assert response.status_code == 200
    assert f"<h1>{page(kind).title_de}</h1>" in response.content.decode()


# --- languages -------------------------------------------------------------------------------


def test_german_text_under_german_address_english_under_en(client, imprint):
    german = client.get("/impressum/").content.decode()
    english = client.get("/en/impressum/").content.decode()
    assert "Herausgeber: Ministerium für Beispiele." in german
    assert "Publisher: Ministry of Examples." not in german
    assert "Publisher: Ministry of Examples." in english
    assert "<h1>Legal notice</h1>" in english


def test_without_english_text_en_shows_the_german_text_marked_german(client, db):
    privacy = page(PageKind.PRIVACY)
    privacy.body_de = "<p>Wir speichern keine Cookies.</p>"
    privacy.save()
    html = client.get("/en/datenschutz/").content.decode()
    assert '<h1 lang="de">Datenschutzerklärung</h1>' in html
    assert '<div class="legal-page__body" lang="de"><p>Wir speichern keine Cookies.</p>' in html
    assert "This page is available in German only." in html


def test_rich_text_is_sanitised_when_saved(db):
    imprint = page(PageKind.IMPRINT)
    imprint.body_de = '<p onclick="x()">Text<script>alert(1)</script></p>'
    imprint.save()
    imprint.refresh_from_db()
    assert imprint.body_de == "<p>Text</p>"


# --- the accessibility statement -------------------------------------------------------------


def test_statement_shows_every_part_bitv_requires(client, statement):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "teilweise" in html or "partially" in html  # status of compliance
    assert "Alte PDF-Dateien sind nicht barrierefrei." in html  # content not accessible
    assert "01.11.2026" in html or "1. November 2026" in html  # date of preparation
    assert 'href="/barrierefreiheit/rueckmeldung/"' in html  # feedback mechanism
    assert 'href="mailto:barrierefreiheit@example.org"' in html
    assert 'href="https://www.schlichtungsstelle-bgg.de/"' in html  # enforcement body


# --- versions and who edits ------------------------------------------------------------------


def admin_data(legal: LegalPage, **changes) -> dict:
    data = {
        name: getattr(legal, name) or ""
        for name in ["title_de", "title_en", "body_de", "body_en"]
        + (
            [
                "compliance",
                "non_accessible_de",
                "non_accessible_en",
                "prepared_on",
                "reviewed_on",
                "contact_email",
                "enforcement_name",
                "enforcement_url",
            ]
            if legal.is_accessibility_statement
            else []
        )
    }
    revisions = list(legal.revisions.all())
    data |= {
        "revisions-TOTAL_FORMS": str(len(revisions)),
        "revisions-INITIAL_FORMS": str(len(revisions)),
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    for number, revision in enumerate(revisions):
        data[f"revisions-{number}-id"] = str(revision.pk)
        data[f"revisions-{number}-page"] = str(legal.pk)
    return data | changes


def test_the_portal_administrator_edits_a_page_and_every_change_is_a_version(
    client, portal_admin, imprint
):
    client.force_login(portal_admin)
    address = f"/admin/legal/legalpage/{imprint.pk}/change/"
    response = client.post(address, admin_data(imprint, body_de="<p>Neuer Herausgeber.</p>"))
    assert response.status_code == 302
    latest = imprint.revisions.order_by("-number").first()
    assert latest.number == 2
    assert latest.created_by == portal_admin
    assert latest.content["body_de"] == "<p>Neuer Herausgeber.</p>"
    assert client.get("/impressum/").content.decode().count("Neuer Herausgeber.") == 1
    # Saved again without a change: no new version.
    imprint.refresh_from_db()
    client.post(address, admin_data(imprint))
    assert imprint.revisions.count() == 2
    assert client.get(f"/admin/legal/legalpagerevision/{latest.pk}/change/").status_code == 200


@pytest.mark.parametrize("who", ["officer", "lead"])
def test_no_office_role_edits_the_portals_legal_pages(client, request, who, imprint):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"/admin/legal/legalpage/{imprint.pk}/change/")
    assert response.status_code == 403
    assert client.get("/admin/legal/feedback/").status_code == 403


def test_nobody_adds_or_deletes_a_legal_page(client, portal_admin, imprint):
    client.force_login(portal_admin)
    assert client.get("/admin/legal/legalpage/add/").status_code == 403
    assert client.get(f"/admin/legal/legalpage/{imprint.pk}/delete/").status_code == 403


def test_a_change_reaches_the_cached_page_at_once(client, imprint, settings):
    settings.NEWSROOM_CACHE_PAGES = True
    assert "Ministerium für Beispiele" in client.get("/impressum/").content.decode()
    imprint.body_de = "<p>Neue Anschrift.</p>"
    imprint.save()
    assert "Neue Anschrift." in client.get("/impressum/").content.decode()


# --- the feedback form -----------------------------------------------------------------------

FEEDBACK = "/barrierefreiheit/rueckmeldung/"


def form_data(**changes) -> dict:
    data = {
        "message": "Das Suchfeld hat keine sichtbare Beschriftung.",
        "page_address": "/pressemitteilungen/",
        "name": "Erika Beispiel",
        "email": "erika@example.org",
        "website": "",
        "started": start_token(),
    }
    return data | changes


@pytest.fixture
def later(time_machine):
    """Send forms as a person does: some seconds after the form was shown."""

    def send(client, data, seconds=20):
        time_machine.move_to(timezone.now() + timedelta(seconds=seconds))
        return client.post(FEEDBACK, data)

    return send


def test_feedback_is_stored_and_mailed_to_the_press_office(
    client, statement, later, settings, django_capture_on_commit_callbacks
):
    settings.LEGAL_FEEDBACK_EMAIL = "presse@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = later(client, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/barrierefreiheit/rueckmeldung/danke/"
    feedback = Feedback.objects.get()
    assert feedback.message == "Das Suchfeld hat keine sichtbare Beschriftung."
    assert feedback.emailed_at is not None
    [message] = mail.outbox
    assert message.to == ["presse@example.org"]
    assert message.reply_to == ["erika@example.org"]
    assert "Das Suchfeld hat keine sichtbare Beschriftung." in message.body


def test_without_a_configured_address_feedback_goes_to_the_statement_contact(
    client, statement, later, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        later(client, form_data(email=""))
    assert mail.outbox[0].to == ["barrierefreiheit@example.org"]
    assert not mail.outbox[0].reply_to


def test_without_any_address_feedback_goes_to_the_portal_administrators_not_the_leads(
    client, portal_admin, lead, later, django_capture_on_commit_callbacks
):
    lead.email = "lead@example.org"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        later(client, form_data())
    [message] = mail.outbox
    assert message.to == ["portal@example.org"]
    assert Feedback.objects.get().emailed_at is not None


def test_a_filled_honeypot_is_thanked_and_dropped(client, statement, later):
    response = later(client, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Feedback.objects.exists()
    assert not mail.outbox


def test_a_form_sent_back_at_once_is_refused_and_keeps_its_text(client, statement):
    response = client.post(FEEDBACK, form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check your message and send it again." in html or "erneut" in html
    assert "Das Suchfeld hat keine sichtbare Beschriftung." in html
    assert not Feedback.objects.exists()


def test_a_forged_start_time_is_refused(client, statement, later):
    response = later(client, form_data(started="1700000000:forged"))
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_a_form_shown_again_gets_a_new_start_time(client, statement, later):
    # Refused (a start time that does not verify), then sent again as shown: accepted.
    html = client.post(FEEDBACK, form_data(started="kaputt")).content.decode()
    token = re.search(r'name="started" value="([^"]+)"', html)[1]
    response = later(client, form_data(started=token))
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_feedback_is_rate_limited_per_client(client, statement, later, settings):
    settings.LEGAL_FEEDBACK_LIMIT_PER_HOUR = 2
    for _number in range(2):
        assert later(client, form_data(), seconds=5).status_code == 302
    response = later(client, form_data(message="Noch eine Nachricht."), seconds=5)
    assert response.status_code == 429
    assert "Noch eine Nachricht." in response.content.decode()
    assert Feedback.objects.count() == 2


def test_an_empty_message_is_shown_beside_the_field(client, statement, later):
    response = later(client, form_data(message=""))
    html = response.content.decode()
    assert 'id="id_message_error"' in html
    assert not Feedback.objects.exists()


def test_the_portal_administrator_sees_feedback_and_marks_it_handled(client, portal_admin):
    feedback = Feedback.objects.create(message="Kontrast zu schwach.")
    client.force_login(portal_admin)
    assert "Kontrast zu schwach." in client.get("/admin/legal/feedback/").content.decode()
    client.post(
        "/admin/legal/feedback/",
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    feedback.refresh_from_db()
    assert feedback.handled_at is not None


# --- consent checkboxes link the privacy policy ----------------------------------------------


@pytest.mark.parametrize("address", ["/benachrichtigungen/", "/en/benachrichtigungen/"])
def test_every_consent_checkbox_links_the_privacy_policy(client, db, address):
    html = client.get(address).content.decode()
    checkboxes = re.findall(r'<input type="checkbox" name="consent"[^>]*>', html)
    assert checkboxes
    prefix = "/en" if address.startswith("/en/") else ""
    for checkbox in checkboxes:
        described = re.search(r'aria-describedby="([^"]+)"', checkbox)[1]
        note = re.search(rf'<p class="privacy-note" id="{described}">(.*?)</p>', html)[1]
        assert f'href="{prefix}/datenschutz/"' in note


def test_feedback_form_links_the_privacy_policy(client, statement):
    assert 'href="/datenschutz/"' in client.get(FEEDBACK).content.decode()


# --- demo ------------------------------------------------------------------------------------


def test_demo_fills_empty_pages_with_texts_that_say_they_are_samples(db):
    imprint = page(PageKind.IMPRINT)
    imprint.body_de = "<p>Unser eigener Text.</p>"
    imprint.save()
    call_command("demo_legal")
    call_command("demo_legal")
    assert page(PageKind.IMPRINT).body_de == "<p>Unser eigener Text.</p>"
    for kind in (PageKind.PRIVACY, PageKind.ACCESSIBILITY):
        assert "Mustertext" in page(kind).body_de
        assert "Sample text" in page(kind).body_en
    assert page(PageKind.ACCESSIBILITY).compliance == Compliance.PARTIAL
    assert LegalPageRevision.objects.filter(page__kind=PageKind.PRIVACY).count() == 1
