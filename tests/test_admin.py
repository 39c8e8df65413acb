"""One admin for the three apps: every page loads, forms sanitise, bad uploads get clear errors."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from photos.models import Licence, Photo
from publications.models import Publication
from releases.models import Release
from tests.helpers import new_release_data

APPS = {"releases", "contacts", "publications", "photos"}
AUDIT_LOG = "releases.ReleaseEvent"
REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in APPS and model._meta.label != AUDIT_LOG
    ),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_all_three_apps_are_in_one_admin():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered >= {AUDIT_LOG}
    assert {model._meta.label for model in REGISTERED} == {
        "contacts.Contact",
        "contacts.Organisation",
        "photos.Photo",
        "publications.Publication",
        "publications.Series",
        "releases.Release",
        "releases.Topic",
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_site")
class TestOnTheDemo:
    """The demo content is loaded once for these tests (tests/conftest.py, `demo_site`)."""

    @pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
    def test_superuser_can_open_list_add_and_change_pages(self, client, superuser, model):
        client.force_login(superuser)
        instance = model.objects.first()

        assert client.get(admin_url(model, "changelist")).status_code == 200
        assert client.get(admin_url(model, "add")).status_code == 200
        assert client.get(admin_url(model, "change", instance.pk)).status_code == 200

    def test_release_change_list_searches_and_filters(self, client, superuser):
        client.force_login(superuser)
        page = client.get(admin_url(Release, "changelist"), {"q": "StrategieWerkstatt"})
        assert "StrategieWerkstatt: Kreativwirtschaft" in page.content.decode()
        drafts = client.get(admin_url(Release, "changelist"), {"state__exact": "draft"})
        assert "Entwurf: Sachsen auf der Hannover Messe" in drafts.content.decode()
        assert "StrategieWerkstatt: Kreativwirtschaft" not in drafts.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_press_lead_can_open_list_add_and_change_pages(client, lead, demo, model):
    client.force_login(lead)
    instance = model.objects.first()
    # Offices and topics are made by portal administrators (tests/test_offices.py).
    portal_wide = model._meta.label in {"contacts.Organisation", "releases.Topic"}

    assert client.get(admin_url(model, "add")).status_code == (403 if portal_wide else 200)
    assert client.get(admin_url(model, "change", instance.pk)).status_code == 200


def test_press_officer_writes_releases_but_does_not_manage_topics(client, officer, demo):
    client.force_login(officer)
    release = Release.objects.first()

    assert client.get(admin_url(Release, "add")).status_code == 200
    assert client.get(admin_url(Release, "change", release.pk)).status_code == 200
    assert client.get(admin_url(Release, "delete", release.pk)).status_code == 403
    from releases.models import Topic

    assert client.get(admin_url(Topic, "add")).status_code == 403


def test_admin_is_german(client, superuser):
    client.force_login(superuser)
    page = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "Pressemitteilungen" in page
    assert "Abmelden" in page


def test_release_form_uses_ckeditor_for_body_and_background(client, officer, issuer):
    client.force_login(officer)
    page = client.get(admin_url(Release, "add")).content.decode()
    # Body and background, in German and in the English version (its form and the inline's
    # template for another one).
    assert page.count('class="django_ckeditor_5"') == 6
    assert "django_ckeditor_5/dist/bundle.js" in page


def test_saving_a_release_stores_sanitised_rich_text_and_the_author(client, officer, issuer):
    client.force_login(officer)
    response = client.post(
        admin_url(Release, "add"),
        new_release_data(
            issuer=issuer.pk,
            body='<p onmouseover="steal()">Gut</p><script>steal()</script>',
            background='<p><a href="javascript:steal()">Link</a></p>',
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    release = Release.objects.get(slug="neue-mitteilung")
    assert release.body == "<p>Gut</p>"
    assert release.background == '<p><a rel="noopener noreferrer">Link</a></p>'
    assert release.created_by == officer
    assert release.last_edited_by == officer


def photo_upload(issuer, **fields) -> dict:
    """The media library's upload form, filled in, with `fields` changed."""
    return {
        "office": issuer.pk,
        "file": SimpleUploadedFile("foto.png", png_bytes(), "image/png"),
        "alt_text": "Ein Bild",
        "caption": "Eine Bildunterschrift",
        "licence": Licence.EDITORIAL,
        "focus_x": "50",
        "focus_y": "50",
    } | fields


def test_image_without_alt_text_is_refused_and_the_input_is_kept(client, officer, issuer):
    client.force_login(officer)
    response = client.post(admin_url(Photo, "add"), photo_upload(issuer, alt_text=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Beschreiben Sie das Bild oder kennzeichnen Sie es als dekorativ." in page
    assert "Eine Bildunterschrift" in page
    assert not Photo.objects.exists()


def test_decorative_image_needs_no_alt_text(client, officer, issuer):
    client.force_login(officer)
    data = photo_upload(issuer, alt_text="", is_decorative="on")
    assert client.post(admin_url(Photo, "add"), data).status_code == 302
    assert Photo.objects.get().is_decorative


def test_a_text_file_named_png_is_refused_as_image(client, officer, issuer):
    client.force_login(officer)
    svg = SimpleUploadedFile("foto.png", b"<svg onload=alert(1)>", "image/png")
    response = client.post(admin_url(Photo, "add"), photo_upload(issuer, file=svg))
    assert response.status_code == 200
    assert "Bitte ein gültiges Bild hochladen" in response.content.decode()
    assert not Photo.objects.exists()


def test_publication_upload_checked_by_content_with_a_clear_error(client, lead, issuer):
    client.force_login(lead)
    response = client.post(
        admin_url(Publication, "add"),
        {
            "title": "Jahresbericht 2026",
            "slug": "jahresbericht-2026",
            "issuer": issuer.pk,
            "file": SimpleUploadedFile("bericht.pdf", b"not a pdf", "application/pdf"),
            "published_at_0": "25.11.2026",
            "published_at_1": "10:00:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "kein Dokument eines zugelassenen Typs" in page
    assert "Jahresbericht 2026" in page
    assert not Publication.objects.exists()


def test_publication_upload_reads_type_size_and_pages(client, lead, issuer):
    from publications.pdf import build_pdf

    client.force_login(lead)
    pdf = build_pdf("Bericht", ["Seite"])
    response = client.post(
        admin_url(Publication, "add"),
        {
            "title": "Jahresbericht 2026",
            "slug": "jahresbericht-2026",
            "issuer": issuer.pk,
            "file": SimpleUploadedFile("../../etc/Bericht final (2).PDF", pdf, "text/plain"),
            "published_at_0": "25.11.2026",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.mime_type == "application/pdf"
    assert publication.file_size == len(pdf)
    assert publication.page_count == 1
    assert publication.file.name == "publications/jahresbericht-2026.pdf"


def test_release_form_autocompletes_contacts_topics_and_publications(client, officer, demo):
    client.force_login(officer)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Jung",
            "app_label": "releases",
            "model_name": "releasecontact",
            "field_name": "contact",
        },
    )
    assert response.status_code == 200
    assert "Jens Jungmann" in response.content.decode()
    for field, term, expected in [
        ("topics", "Wirt", "Wirtschaft"),
        ("publications", "Impulse", "Impulse der Kultur"),
    ]:
        response = client.get(
            "/admin/autocomplete/",
            {"term": term, "app_label": "releases", "model_name": "release", "field_name": field},
        )
        assert expected in response.content.decode()


def test_editor_image_upload_is_for_staff_only(client, stranger, officer):
    upload = {"upload": SimpleUploadedFile("x.png", png_bytes(), "image/png")}
    client.force_login(stranger)
    assert client.post("/ckeditor5/image_upload/", upload).status_code == 403
    client.force_login(officer)
    upload = {"upload": SimpleUploadedFile("x.png", png_bytes(), "image/png")}
    response = client.post("/ckeditor5/image_upload/", upload)
    assert response.status_code == 200
    assert response.json()["url"].startswith("/media/")


def test_the_audit_log_can_be_read_but_not_written(client, lead, demo):
    from releases.models import ReleaseEvent

    client.force_login(lead)
    assert client.get(admin_url(ReleaseEvent, "changelist")).status_code == 200
    assert client.get(admin_url(ReleaseEvent, "add")).status_code == 403
