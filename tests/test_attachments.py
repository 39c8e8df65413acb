"""Attachments inherit their release's visibility (issue 11, finding 3).

A publication linked to releases is public when its own date has come and one of them is live;
release photos and publication covers answer only once their release or publication is public
(before: to staff, and through a valid embargo link); only a press lead sets a publication's
date or replaces the file of a public one, and a replaced file is kept as a version.
"""

import hashlib
import io
import zipfile
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from photos import renditions
from photos.models import Photo
from publications.models import Publication, PublicationFileVersion
from publications.pdf import build_pdf
from releases.models import PreviewLink, ReleaseImage, Revision, State
from releases.roles import PRESS_LEADS, PRESS_OFFICERS
from tests.helpers import make_photo

BERLIN = ZoneInfo("Europe/Berlin")
SECRET_TITLE = "Geheimer Anhang"


def png(colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(text: str) -> bytes:
    return build_pdf(text, [text])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the three kinds of release that are not public -------------------------------------------

HIDDEN = ["draft", "in_review", "embargoed"]


@pytest.fixture
def go_live():
    return (timezone.now() + timedelta(days=1)).replace(microsecond=0)


@pytest.fixture
def hidden_release(request, make_release, go_live):
    """A release that is not public: a draft, in review, or approved for tomorrow."""

    def make(kind):
        if kind == "embargoed":
            return make_release(
                "sperrfrist",
                title="Unter Sperrfrist",
                go_live_at=go_live,
                first_published_at=go_live,
            )
        state = State.DRAFT if kind == "draft" else State.IN_REVIEW
        return make_release("entwurf", title="Im Entwurf", live=False, state=state)

    return make


@pytest.fixture
def visible_issuer(make_release):
    """A live release of the same issuer, so that its page, the library and the feeds exist."""
    return make_release("oeffentlich", title="Öffentliche Mitteilung")


def attachment(make_publication, series, release, published_at):
    publication = make_publication(
        "anhang", title=SECRET_TITLE, series=series, published_at=published_at
    )
    release.publications.add(publication)
    return publication


PUBLIC_PLACES = [
    "/publikationen/",
    "/publikationen/reihe/schlaglicht/",
    "/herausgeber/mfb/",
    "/feeds/publikationen.rss",
    "/feeds/publikationen.atom",
    "/feeds/publikationen/schlaglicht.rss",
    "/feeds/publikationen/schlaglicht.atom",
]


def places_naming(client, text) -> list[str]:
    """The public pages and feeds that name `text` (a page that answers 404 names nothing)."""
    naming = []
    for url in PUBLIC_PLACES:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200 and text in response.content.decode():
            naming.append(url)
    return naming


def series_in_sitemap(client) -> bool:
    response = client.get("/sitemap-series.xml")
    return response.status_code == 200 and "/publikationen/reihe/schlaglicht/" in (
        response.content.decode()
    )


# The old default: a publication made in the release form's "+" was dated "now" (here: a
# minute ago), or, as it is made now, it goes public with its release (no date).
OWN_DATES = {"dated-before": timedelta(minutes=-1), "with-its-release": None}


@pytest.mark.parametrize("own_date", OWN_DATES, ids=list(OWN_DATES))
@pytest.mark.parametrize("kind", HIDDEN)
def test_an_attachment_of_a_hidden_release_is_nowhere_public(
    client, hidden_release, visible_issuer, make_publication, series, kind, own_date
):
    release = hidden_release(kind)
    offset = OWN_DATES[own_date]
    published_at = None if offset is None else timezone.now() + offset
    publication = attachment(make_publication, series, release, published_at)

    assert client.get(publication.get_download_url()).status_code == 404
    assert places_naming(client, SECRET_TITLE) == []
    assert not series_in_sitemap(client)
    assert not Publication.objects.public().filter(pk=publication.pk).exists()


@pytest.mark.parametrize("own_date", OWN_DATES, ids=list(OWN_DATES))
def test_an_attachment_goes_public_at_its_release_s_second(
    client, hidden_release, visible_issuer, make_publication, series, go_live, own_date
):
    release = hidden_release("embargoed")
    offset = OWN_DATES[own_date]
    published_at = None if offset is None else timezone.now() + offset
    publication = attachment(make_publication, series, release, published_at)

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert client.get(publication.get_download_url()).status_code == 404
        assert places_naming(client, SECRET_TITLE) == []
    with time_machine.travel(go_live, tick=False):
        assert client.get(publication.get_download_url()).status_code == 200
        assert places_naming(client, SECRET_TITLE) == PUBLIC_PLACES
        assert series_in_sitemap(client)
        page = client.get(release.get_absolute_url()).content.decode()
        assert publication.get_download_url() in page


def test_a_publication_without_date_shows_its_release_s_date(
    client, hidden_release, make_publication, series, go_live
):
    release = hidden_release("embargoed")
    attachment(make_publication, series, release, None)
    with time_machine.travel(go_live + timedelta(hours=1), tick=False):
        page = client.get("/publikationen/").content.decode()
        local = timezone.localtime(go_live)
        assert f'datetime="{local.strftime("%Y-%m-%dT%H:%M:%S%z")}"' in page


def test_an_attachment_is_public_through_any_live_release(
    client, hidden_release, make_release, make_publication, series
):
    publication = attachment(make_publication, series, hidden_release("draft"), None)
    assert client.get(publication.get_download_url()).status_code == 404
    make_release("zweite").publications.add(publication)
    assert client.get(publication.get_download_url()).status_code == 200


def test_an_attachment_s_own_later_date_still_counts(client, make_release, make_publication):
    publication = make_publication(published_at=timezone.now() + timedelta(hours=1))
    make_release().publications.add(publication)
    assert client.get(publication.get_download_url()).status_code == 404


def test_a_publication_without_date_or_release_is_not_public(client, make_publication):
    publication = make_publication(published_at=None)
    assert client.get(publication.get_download_url()).status_code == 404
    assert not Publication.objects.public().exists()


def test_a_standalone_publication_is_public_from_its_date(client, make_publication):
    assert client.get(make_publication().get_download_url()).status_code == 200


def test_a_publication_public_on_its_own_stays_public_when_a_draft_links_it(
    client, make_release, make_publication
):
    report = make_publication("bericht-2016", stands_alone=True)
    make_release("entwurf", live=False).publications.add(report)
    assert client.get(report.get_download_url()).status_code == 200
    assert "Ein Bericht" in client.get("/publikationen/").content.decode()


def test_a_publication_not_public_on_its_own_waits_for_the_draft_that_links_it(
    client, make_release, make_publication
):
    document = make_publication("anlage")
    make_release("entwurf", live=False).publications.add(document)
    assert client.get(document.get_download_url()).status_code == 404


def test_an_officer_cannot_make_a_publication_public_on_its_own(officer, make_publication):
    document = make_publication("anlage", published_at=None)
    document.stands_alone, document.changed_by = True, officer
    with pytest.raises(PermissionDenied):
        document.save()


def test_a_withdrawn_release_takes_its_attachments_with_it(client, make_release, make_publication):
    release = make_release()
    publication = make_publication(published_at=None)
    release.publications.add(publication)
    assert client.get(publication.get_download_url()).status_code == 200
    release.state, release.withdrawn_at = State.WITHDRAWN, timezone.now()
    release.save()
    assert client.get(publication.get_download_url()).status_code == 404


def test_staff_may_download_what_is_not_public_yet_privately(
    client, officer, hidden_release, make_publication, series
):
    publication = attachment(make_publication, series, hidden_release("draft"), None)
    client.force_login(officer)
    response = client.get(publication.get_download_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_hidden_attachment_cannot_be_deleted_once_it_has_been_public(
    make_release, make_publication
):
    publication = make_publication(published_at=None)
    make_release().publications.add(publication)
    with pytest.raises(Exception, match="part of the record"):
        publication.delete()


# --- release photos (the media library: tests/test_photo_pages.py for galleries and pages) -------


def add_image(release) -> Photo:
    """A photo shown by `release`, its renditions made."""
    photo = make_photo(release.issuer, width=500, height=300)
    ReleaseImage.objects.create(release=release, photo=photo)
    return photo


def preview_src(link, photo) -> str:
    return reverse("files:preview_photo", args=[link.token, photo.src.rsplit("/", 1)[-1]])


def test_a_photo_and_its_renditions_are_stored_out_of_media_root_under_random_names(
    make_release,
):
    photo = add_image(make_release(live=False))
    names = [photo.file.name, *renditions.rendition_names(photo.renditions)]
    for name in names:
        assert not storages["protected"].path(name).startswith(str(django_settings.MEDIA_ROOT))
        assert len(name.rsplit("/", 1)[-1]) >= 32
    assert photo.file.url == f"/fotos/original/{photo.file.name.rsplit('/', 1)[-1]}"
    assert photo.src.startswith("/fotos/dateien/")


@pytest.mark.parametrize("kind", HIDDEN)
def test_the_photo_of_a_hidden_release_answers_404(client, hidden_release, kind):
    photo = add_image(hidden_release(kind))
    response = client.get(photo.src)
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_the_photo_answers_at_the_release_s_second_and_may_be_cached(
    client, hidden_release, go_live
):
    release = hidden_release("embargoed")
    photo = add_image(release)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert client.get(photo.src).status_code == 404
    with time_machine.travel(go_live, tick=False):
        response = client.get(photo.src)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
        stored = storages["protected"].open(photo.renditions["widths"][-1]["jpeg"]).read()
        assert b"".join(response.streaming_content) == stored
        again = client.get(photo.src, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        page = client.get(release.get_absolute_url()).content.decode()
        assert f'src="{photo.src}"' in page
        social = photo.social["url"]
        assert f'content="http://testserver{social}"' in page  # og:image


def test_the_photo_of_a_withdrawn_release_leaves_with_its_documents(client, make_release):
    # A withdrawn release keeps its page (explaining the withdrawal), but, as with its
    # documents, what only it made public is public no more.
    release = make_release()
    photo = add_image(release)
    release.state, release.withdrawn_at = State.WITHDRAWN, timezone.now()
    release.save()
    assert client.get(release.get_absolute_url()).status_code == 200
    assert client.get(photo.src).status_code == 404


def test_staff_see_the_photo_of_a_draft_privately(client, officer, hidden_release):
    photo = add_image(hidden_release("draft"))
    client.force_login(officer)
    response = client.get(photo.src)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_user_without_staff_rights_does_not(client, stranger, hidden_release):
    photo = add_image(hidden_release("draft"))
    client.force_login(stranger)
    assert client.get(photo.src).status_code == 404
    assert client.get(photo.file.url).status_code == 404


def test_unknown_and_missing_photo_files_answer_404(client, make_release):
    photo = add_image(make_release())
    assert client.get("/fotos/dateien/gibt-es-nicht.jpg").status_code == 404
    assert client.get("/fotos/dateien/..%2Fsecret.jpg").status_code == 404
    assert client.get("/bilder/gibt-es-nicht.png").status_code == 404
    storages["protected"].delete(photo.renditions["widths"][-1]["jpeg"])
    assert client.get(photo.src).status_code == 404


def test_a_preview_link_shows_the_photos_until_it_is_revoked(client, hidden_release, lead):
    release = hidden_release("embargoed")
    photo = add_image(release)
    link = PreviewLink.objects.create(release=release, label="Dresdner Zeitung", created_by=lead)
    page = client.get(link.get_absolute_url()).content.decode()
    assert f'src="{preview_src(link, photo)}"' in page
    assert f'"{photo.src}"' not in page

    response = client.get(preview_src(link, photo))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get(photo.src).status_code == 404

    link.revoked_at = timezone.now()
    link.save()
    assert client.get(preview_src(link, photo)).status_code == 404
    assert client.get(photo.src).status_code == 404


@pytest.mark.parametrize("kind", ["draft", "in_review"])
def test_a_preview_link_shows_nothing_of_a_release_nobody_approved(
    client, hidden_release, make_publication, series, lead, kind
):
    release = hidden_release(kind)
    photo = add_image(release)
    publication = attachment(make_publication, series, release, None)
    link = PreviewLink.objects.create(release=release, label="Dresdner Zeitung", created_by=lead)
    page = client.get(link.get_absolute_url())
    assert page.status_code == 404
    assert release.title not in page.content.decode()
    assert "being revised" in page.content.decode() or "überarbeitet" in page.content.decode()
    assert client.get(preview_src(link, photo)).status_code == 404
    download = reverse("files:preview_download", args=[link.token, publication.slug])
    assert client.get(download).status_code == 404


def test_a_preview_link_shows_no_image_of_another_release(
    client, hidden_release, make_release, lead
):
    link = PreviewLink.objects.create(
        release=hidden_release("embargoed"), label="x", created_by=lead
    )
    other = add_image(make_release("andere", live=False))
    assert client.get(preview_src(link, other)).status_code == 404


def test_a_preview_link_offers_the_release_s_documents(
    client, hidden_release, make_publication, series, lead
):
    release = hidden_release("embargoed")
    publication = attachment(make_publication, series, release, None)
    link = PreviewLink.objects.create(release=release, label="x", created_by=lead)
    download = reverse("files:preview_download", args=[link.token, publication.slug])
    assert download in client.get(link.get_absolute_url()).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(download).status_code == 404


# --- covers -------------------------------------------------------------------------------------


def test_a_cover_answers_only_once_its_publication_is_public(
    client, officer, hidden_release, make_publication, series, go_live
):
    publication = attachment(make_publication, series, hidden_release("embargoed"), None)
    publication.cover.save("titelbild-geheim.png", ContentFile(png("blue")))
    assert "geheim" not in publication.cover.name
    assert (
        not storages["protected"]
        .path(publication.cover.name)
        .startswith(str(django_settings.MEDIA_ROOT))
    )
    assert client.get(publication.cover.url).status_code == 404
    with time_machine.travel(go_live, tick=False):
        response = client.get(publication.cover.url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert publication.cover.url in client.get("/publikationen/").content.decode()
    client.force_login(officer)
    assert client.get(publication.cover.url).status_code == 200


# --- who decides when a document is public ------------------------------------------------------


class FormValues(HTMLParser):
    """The values a browser would send for the form of an admin page."""

    def __init__(self):
        super().__init__()
        self.values, self.select, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value") or "on"))
                return
            self.values.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = name
            self.values.append((name, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.values.pop()
            self.values.append((name, value + data))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_values(response, **changes) -> dict:
    parser = FormValues()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.values:
        if name not in ("csrfmiddlewaretoken",):
            data.setdefault(name, value)
    return data | changes


def change_url(publication) -> str:
    return reverse("admin:publications_publication_change", args=[publication.pk])


def local_date_fields(moment) -> dict:
    local = timezone.localtime(moment)
    return {
        "published_at_0": local.strftime("%d.%m.%Y"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def test_only_leads_hold_the_publish_permission(db):
    assert (
        Group.objects.get(name=PRESS_LEADS)
        .permissions.filter(codename="publish_publication")
        .exists()
    )
    assert (
        not Group.objects.get(name=PRESS_OFFICERS)
        .permissions.filter(codename="publish_publication")
        .exists()
    )


def test_the_release_form_offers_a_new_publication_in_a_popup(client, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:releases_release_add")).content.decode()
    assert "/admin/publications/publication/add/?_to_field=id&amp;_popup=1" in page


def test_a_publication_made_in_the_popup_goes_public_with_its_release(client, officer, issuer):
    client.force_login(officer)
    url = reverse("admin:publications_publication_add") + "?_to_field=id&_popup=1"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="published_at_0"' not in form.content.decode()
    data = form_values(form, title="Anhang", slug="anhang", issuer=issuer.pk, _popup="1")
    data["file"] = SimpleUploadedFile("anhang.pdf", pdf("Anhang"))
    data["published_at_0"] = "01.01.2016"  # not a field for an officer: ignored
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    publication = Publication.objects.get(slug="anhang")
    assert publication.published_at is None
    assert not publication.is_public


def test_a_lead_s_popup_leaves_the_date_empty_and_the_library_form_suggests_now(client, lead):
    client.force_login(lead)
    popup = client.get(reverse("admin:publications_publication_add") + "?_popup=1")
    values = form_values(popup)
    assert values.get("published_at_0", "") == "" and "stands_alone" not in values
    plain = form_values(client.get(reverse("admin:publications_publication_add")))
    assert plain["published_at_0"] == timezone.localtime().strftime("%d.%m.%Y")
    assert plain["stands_alone"] == "on"


@pytest.fixture
def scheduled(make_publication):
    """A publication set for tomorrow: not public yet."""
    return make_publication("kommt-morgen", published_at=timezone.now() + timedelta(days=1))


def test_an_officer_cannot_back_date_a_publication(client, officer, scheduled):
    client.force_login(officer)
    form = client.get(change_url(scheduled))
    assert 'name="published_at_0"' not in form.content.decode()
    data = form_values(form) | local_date_fields(timezone.now() - timedelta(days=1))
    client.post(change_url(scheduled), data)
    scheduled.refresh_from_db()
    assert scheduled.published_at > timezone.now()
    client.logout()
    assert client.get(scheduled.get_download_url()).status_code == 404


def test_the_model_refuses_an_officer_s_date_too(officer, scheduled):
    scheduled.published_at = timezone.now() - timedelta(days=1)
    scheduled.changed_by = officer
    with pytest.raises(PermissionDenied):
        scheduled.save()
    scheduled.refresh_from_db()
    assert scheduled.published_at > timezone.now()


def test_a_lead_can_back_date_a_publication(client, lead, scheduled):
    client.force_login(lead)
    data = form_values(client.get(change_url(scheduled))) | local_date_fields(
        timezone.now() - timedelta(days=1)
    )
    assert client.post(change_url(scheduled), data).status_code == 302
    client.logout()
    assert client.get(scheduled.get_download_url()).status_code == 200


@pytest.fixture
def long_public(make_publication):
    """A publication public since 2016."""
    return make_publication("bericht-2016", published_at=datetime(2016, 11, 13, 9, tzinfo=BERLIN))


def test_an_officer_cannot_replace_the_file_of_a_long_public_publication(
    client, officer, long_public
):
    before = long_public.sha256
    client.force_login(officer)
    form = client.get(change_url(long_public))
    assert 'type="file" name="file"' not in form.content.decode()
    data = form_values(form) | {"file": SimpleUploadedFile("neu.pdf", pdf("Neu"))}
    response = client.post(change_url(long_public), data)
    assert list(response.context["adminform"].form.errors) == ["file"]
    long_public.refresh_from_db()
    assert long_public.sha256 == before
    download = client.get(long_public.get_download_url())
    assert sha256(b"".join(download.streaming_content)) == before
    assert not PublicationFileVersion.objects.exists()


def test_an_officer_whose_document_went_public_meanwhile_is_told_and_keeps_the_rest(
    client, officer, make_publication, make_release
):
    publication = make_publication("anhang", published_at=None)
    release = make_release("bald", live=False)
    release.publications.add(publication)
    client.force_login(officer)
    form = client.get(change_url(publication))
    assert 'name="file"' in form.content.decode()
    # The release goes live while the officer writes.
    release.state, release.go_live_at = State.APPROVED, timezone.now() - timedelta(seconds=1)
    release.first_published_at = release.go_live_at
    release.save()
    data = form_values(form, title="Neuer Titel") | {
        "file": SimpleUploadedFile("neu.pdf", pdf("Neu"))
    }
    response = client.post(change_url(publication), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["file"]
    assert 'value="Neuer Titel"' in response.content.decode()  # the rest of the input stays
    publication.refresh_from_db()
    assert publication.title == "Ein Bericht"
    assert not PublicationFileVersion.objects.exists()


def test_a_lead_replaces_the_file_and_the_old_one_is_kept_as_a_version(
    client, lead, long_public, settings, tmp_path
):
    old_name, old_sha, old_size = long_public.file.name, long_public.sha256, long_public.file_size
    client.force_login(lead)
    data = form_values(client.get(change_url(long_public))) | {
        "file": SimpleUploadedFile("neu.pdf", pdf("Die neue Fassung"))
    }
    assert client.post(change_url(long_public), data).status_code == 302

    long_public.refresh_from_db()
    assert long_public.sha256 != old_sha and long_public.file.name != old_name
    version = long_public.file_versions.get()
    assert (version.file.name, version.sha256, version.file_size) == (old_name, old_sha, old_size)
    assert version.mime_type == "application/pdf"
    assert version.replaced_by == lead and version.had_been_public
    with storages["documents"].open(old_name, "rb") as kept:
        assert sha256(kept.read()) == old_sha
    # Shown, read-only, in the publication's admin page.
    page = client.get(change_url(long_public)).content.decode()
    assert old_sha in page

    # And it goes into the backup.
    settings.NEWSROOM_BACKUP_KEY = "k" * 64
    archive = tmp_path / "backup.zip"
    call_command("export_content", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    with zipfile.ZipFile(archive) as backup:
        assert sha256(backup.read(f"files/documents/{old_name}")) == old_sha


def test_an_officer_may_still_edit_a_publication_that_is_not_public(
    client, officer, make_publication, make_release
):
    publication = make_publication("anhang", published_at=None)
    make_release("entwurf", live=False).publications.add(publication)
    client.force_login(officer)
    data = form_values(client.get(change_url(publication)), title="Besserer Titel") | {
        "file": SimpleUploadedFile("neu.pdf", pdf("Neu"))
    }
    assert client.post(change_url(publication), data).status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Besserer Titel"
    # Even a file that never was public is kept when replaced.
    assert publication.file_versions.get().had_been_public is False


def test_a_script_replacing_a_file_keeps_the_old_one_too(long_public):
    old_name = long_public.file.name
    long_public.file = ContentFile(pdf("Aus dem Skript"), name="x.pdf")
    long_public.save()
    assert long_public.file_versions.get().file.name == old_name
    assert storages["documents"].exists(old_name)


# --- files uploaded before: the data migration --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_old_images_and_covers_out_of_media_root():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Back to before this change: our two migrations and whatever came after them unapplied.
    MigrationExecutor(connection).migrate([("publications", "0003_series_always_public")])
    loader = MigrationExecutor(connection).loader
    assert ("releases", "0012_protected_release_images") not in loader.applied_migrations
    applied = [node for node in loader.applied_migrations if node in loader.graph.nodes]
    old = loader.project_state(applied).apps
    # The names the storages give (a file another test left under the same name is not ours).
    media = storages["default"]
    secret = media.save("releases/2026/embargo-secret-photo.png", ContentFile(png()))
    removed = media.save("releases/2026/removed-earlier.png", ContentFile(png("green")))
    cover = media.save("covers/cover.png", ContentFile(png("blue")))
    issuer = old.get_model("contacts", "Organisation").objects.create(name="Amt", slug="amt")
    release = old.get_model("releases", "Release").objects.create(
        issuer=issuer, title="T", slug="t", lead="L", body="<p>B</p>"
    )
    old.get_model("releases", "ReleaseImage").objects.create(
        release=release, file=secret, alt_text="A"
    )
    old.get_model("releases", "Revision").objects.create(
        release=release,
        number=1,
        snapshot={"images": [{"file": secret}]},
    )
    documents = storages["documents"]
    old_document = pdf("Alt")
    document = documents.save("publications/alt.pdf", ContentFile(old_document))
    old.get_model("publications", "Publication").objects.create(
        title="P",
        slug="p",
        issuer=issuer,
        file=document,
        mime_type="application/pdf",
        cover=cover,
        published_at=timezone.now(),
    )

    call_command("migrate", verbosity=0)

    # releases/0018_photos then made it a photo of the media library, its file where it was.
    image = ReleaseImage.objects.get().photo
    assert image.file.name.startswith("releases/") and "secret" not in image.file.name
    assert storages["protected"].exists(image.file.name)
    assert not media.exists(secret)
    assert not media.exists(removed)
    assert storages["protected"].exists(f"unreferenced/{removed}")
    assert Revision.objects.get().snapshot["images"][0]["photo"] == image.pk
    publication = Publication.objects.get()
    assert publication.cover.name.startswith("covers/") and publication.cover.name != cover
    assert storages["protected"].exists(publication.cover.name)
    assert not media.exists(cover)
    assert publication.sha256 == sha256(old_document)
    assert publication.stands_alone  # it was public on its own: a later draft will not hide it


@pytest.mark.parametrize(
    "typed", ["Foto: SMWA", "foto:SMWA", "Photo: SMWA", "© SMWA", "Foto: © SMWA", "SMWA"]
)
def test_a_photo_credit_loses_the_prefix_the_page_prints_before_it(typed):
    photo = Photo(credit=typed, alt_text="Ein Bild")
    photo.clean()
    assert photo.credit == "SMWA"
