"""Publications: files are recognised by content, and downloads carry the right headers."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from publications.documents import inspect_document
from publications.models import Publication, Series
from publications.pdf import build_pdf


def zipped(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_pdf_is_recognised_with_its_page_count():
    inspection = inspect_document(io.BytesIO(build_pdf("Titel", ["Zeile"])))
    assert inspection.doc_type.mime_type == "application/pdf"
    assert inspection.page_count == 1


def test_office_documents_are_recognised_by_their_contents():
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})
    assert inspect_document(docx).doc_type.extension == "docx"
    assert inspect_document(odt).doc_type.extension == "odt"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4\nthis is not really a pdf",
        b"MZ\x90\x00 an executable",
        b"PK\x03\x04 a broken zip",
    ],
)
def test_other_content_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError):
        inspect_document(io.BytesIO(content))


def test_a_fake_pdf_is_refused_on_the_model_with_a_file_error(issuer):
    publication = Publication(
        title="Falsch",
        slug="falsch",
        issuer=issuer,
        file=ContentFile(b"<script>alert(1)</script>", name="bericht.pdf"),
    )
    with pytest.raises(ValidationError) as refused:
        publication.full_clean()
    assert "file" in refused.value.message_dict


def test_the_stored_file_gets_a_safe_name_from_slug_and_type(make_publication):
    publication = make_publication("mein-bericht")
    assert publication.file.name == "publications/mein-bericht.pdf"
    assert publication.mime_type == "application/pdf"
    assert publication.file_size == publication.file.size


def test_download_is_an_attachment_with_the_stored_type(client, make_publication):
    publication = make_publication("jahresbericht")
    response = client.get(publication.get_download_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="jahresbericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert int(response["Content-Length"]) == publication.file_size
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_of_a_publication_not_yet_public_is_404(client, make_publication):
    publication = make_publication(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(publication.get_download_url()).status_code == 404


def test_download_of_an_unknown_publication_is_404(client, db):
    assert client.get("/publikationen/gibt-es-nicht/download/").status_code == 404


def test_documents_are_not_reachable_under_media_url(settings, make_publication):
    publication = make_publication()
    # Stored outside MEDIA_ROOT, so no static or media server can hand it out by path.
    assert not publication.file.path.startswith(str(settings.MEDIA_ROOT))


# Names the page prints already are not typed twice ------------------------------------------


@pytest.mark.parametrize(
    "typed", ["Reihe Schlaglicht", "Reihe „Schlaglicht“", "Series: Schlaglicht", "Schlaglicht"]
)
def test_a_series_title_loses_the_word_the_page_prints_before_it(client, lead, typed):
    client.force_login(lead)
    data = {"title": typed, "slug": "schlaglicht"}
    data |= {"publications-TOTAL_FORMS": "0", "publications-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:publications_series_add"), data)
    assert response.status_code == 302
    assert Series.objects.get(slug="schlaglicht").title == "Schlaglicht"


def test_a_publication_title_loses_the_series_name_the_page_prints_before_it(series, issuer):
    publication = Publication(
        title="Schlaglicht: Kreativwirtschaft", slug="kw", issuer=issuer, series=series
    )
    publication.clean()
    assert publication.title == "Kreativwirtschaft"
    # A title that only starts with the same letters keeps them.
    publication.title = "Schlaglichter der Wirtschaft"
    publication.clean()
    assert publication.title == "Schlaglichter der Wirtschaft"
