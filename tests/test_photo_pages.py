"""Photos on public pages: galleries with renditions that exist, a page per photo, downloads and
the "download all" zip, and visibility that follows the releases (nothing of a photo is
reachable before its release is public, nor after its rights end).
"""

import io
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from photos import renditions, zips
from photos.models import Photo, PhotoTranslation, rights_end
from releases.models import PreviewLink, Release, ReleaseImage, State
from tests.helpers import make_photo


@pytest.fixture
def photo(issuer):
    return make_photo(issuer)


def show(release, *photos):
    for order, each in enumerate(photos):
        ReleaseImage.objects.create(release=release, photo=each, order=order)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_urls(photo) -> list[str]:
    """Every address of a file made from `photo`: renditions, the link preview, the download."""
    return [photo.rendition_url(name) for name in renditions.rendition_names(photo.renditions)]


def reachable_urls(photo, release=None) -> list[str]:
    """Everything of `photo` (and of `release`) a visitor could ask for."""
    urls = [*file_urls(photo), photo.get_absolute_url(), photo.file.url]
    if release is not None:
        urls.append(reverse("releases:photos_zip", args=[release.slug]))
    return urls


def test_the_srcset_lists_files_that_exist_at_the_stated_widths(client, make_release, photo):
    show(make_release(), photo)
    page = client.get("/pressemitteilungen/mitteilung/").content.decode()
    srcsets = re.findall(r'srcset="([^"]+)"', page)
    assert len(srcsets) == 2  # WebP and JPEG
    for srcset in srcsets:
        candidates = [entry.strip().split(" ") for entry in srcset.split(",")]
        assert [int(width[:-1]) for _, width in candidates] == [480, 720, 960]
        for url, width in candidates:
            response = client.get(url)
            assert response.status_code == 200, url
            with Image.open(io.BytesIO(content(response))) as image:
                assert image.width == int(width[:-1])
    img = re.search(r"<img [^>]*>", page[page.index('class="gallery"') :]).group(0)
    assert 'width="960"' in img and 'height="640"' in img
    assert 'alt="Eine Frau vor einer Maschine"' in img


def test_the_gallery_lazy_loads_all_but_the_first_photo(client, make_release, issuer):
    show(make_release(), *(make_photo(issuer, width=600, height=400) for _ in range(3)))
    page = client.get("/pressemitteilungen/mitteilung/").content.decode()
    images = re.findall(r"<img [^>]*>", page[page.index('class="gallery"') :])
    assert ['loading="lazy"' in img for img in images] == [False, True, True]
    assert "Foto: SMWA/Erika Muster" in page
    assert "(ZIP, 3 " in page and reverse("releases:photos_zip", args=["mitteilung"]) in page


def test_a_public_file_may_be_cached_and_the_download_is_an_attachment(client, make_release, photo):
    show(make_release(), photo)
    response = client.get(photo.download["url"])
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    assert f"-{photo.pk}-die-ministerin-im-werk.jpg" in response["Content-Disposition"]
    rendition = client.get(photo.src)
    assert rendition["Content-Disposition"] == "inline"


def test_the_photo_page_shows_credit_licence_rights_and_the_download(client, make_release, issuer):
    photo = make_photo(
        issuer, licence="cc-by-4.0", rights_until=timezone.localdate() + timedelta(days=30)
    )
    show(make_release(title="Werk eröffnet"), photo)
    page = client.get(photo.get_absolute_url()).content.decode()
    download = photo.download
    size = f"{download['size'] / 1_000_000:.1f}".replace(".", ",")
    facts = f"JPEG, {size} MB, 1.200 × 800 px" if download["size"] >= 1_000_000 else "JPEG, "
    assert _("Download the photo in print quality") in page and facts in page
    assert "1.200 × 800 px" in page
    assert "Foto: SMWA/Erika Muster" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.de" rel="license"' in page
    assert (photo.rights_until.strftime("%d.%m.%Y")) in page
    assert ">Werk eröffnet</a>" in page
    assert '"creditText": "SMWA/Erika Muster"' in page
    assert '"license": "https://creativecommons.org/licenses/by/4.0/deed.de"' in page


def test_the_photo_page_in_english_uses_english_numbers_and_texts(client, make_release, photo):
    PhotoTranslation.objects.create(photo=photo, language="en", caption="The minister")
    show(make_release(), photo)
    page = client.get(f"/en{photo.get_absolute_url()}").content.decode()
    assert "The minister" in page and "1,200 × 800 px" in page
    assert "Download the photo in print quality" in page


@pytest.mark.parametrize("kind", ["draft", "in_review", "embargoed"])
def test_nothing_of_a_photo_of_a_hidden_release_is_reachable(client, make_release, photo, kind):
    fields = {
        "draft": {"live": False},
        "in_review": {"live": False, "state": State.IN_REVIEW},
        "embargoed": {
            "state": State.APPROVED,
            "go_live_at": timezone.now() + timedelta(hours=1),
            "first_published_at": timezone.now() + timedelta(hours=1),
        },
    }[kind]
    release = make_release(**fields)
    show(release, photo)
    for url in reachable_urls(photo, release):
        response = client.get(url)
        assert response.status_code == 404, url
        # A file's 404 is kept by no cache (the page's goes with the release's keys).
        assert url == photo.get_absolute_url() or "no-store" in response["Cache-Control"]


def test_an_embargo_link_shows_the_photos_through_its_own_addresses(client, make_release, photo):
    go_live = timezone.now() + timedelta(hours=1)
    release = make_release(state=State.APPROVED, go_live_at=go_live, first_published_at=go_live)
    show(release, photo)
    link = PreviewLink.objects.create(release=release)
    page = client.get(link.get_absolute_url()).content.decode()
    urls = set(re.findall(r'(?:src|href)="(/vorschau/[^"]+/fotos[^"]*)"', page))
    urls |= {u.split(" ")[0] for s in re.findall(r'srcset="([^"]+)"', page) for u in s.split(", ")}
    assert photo.src not in page and photo.get_absolute_url() not in page
    assert any(url.endswith(".zip") for url in urls) is False  # one photo: no "download all"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    zip_response = client.get(reverse("files:preview_photos_zip", args=[link.token]))
    assert zip_response.status_code == 200 and "no-store" in zip_response["Cache-Control"]
    link.revoked_at = timezone.now()
    link.save()
    assert all(client.get(url).status_code == 404 for url in urls)


def test_an_embargo_link_gives_no_photo_of_another_release(client, make_release, issuer):
    go_live = timezone.now() + timedelta(hours=1)
    release = make_release(state=State.APPROVED, go_live_at=go_live, first_published_at=go_live)
    link = PreviewLink.objects.create(release=release)
    other = make_photo(issuer)
    show(make_release("andere", live=False), other)
    name = other.src.rsplit("/", 1)[-1]
    assert client.get(reverse("files:preview_photo", args=[link.token, name])).status_code == 404


def test_the_photo_is_public_at_the_second_its_release_goes_live(client, make_release, photo):
    go_live = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    release = make_release(state=State.APPROVED, go_live_at=go_live, first_published_at=go_live)
    show(release, photo)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert all(client.get(url).status_code == 404 for url in reachable_urls(photo, release))
    with time_machine.travel(go_live, tick=False):
        urls = reachable_urls(photo, release)
        urls.remove(photo.file.url)  # the original is the admin's only
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert client.get(photo.file.url).status_code == 404
        assert photo.src in client.get(release.get_absolute_url()).content.decode()


def test_staff_see_the_files_of_a_draft_privately(client, make_release, photo, officer):
    show(make_release(live=False), photo)
    client.force_login(officer)
    for url in [photo.src, photo.download["url"], photo.file.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_stranger_on_the_staff_sees_no_file_of_another_office(
    client, make_release, photo, django_user_model
):
    show(make_release(live=False), photo)
    client.force_login(django_user_model.objects.create_user("other", is_staff=True))
    assert client.get(photo.src).status_code == 404
    assert client.get(photo.file.url).status_code == 404


def test_expired_rights_take_the_photo_off_every_page_and_file(client, make_release, photo):
    release = make_release()
    show(release, photo)
    last_day = timezone.localdate() + timedelta(days=2)
    Photo.objects.filter(pk=photo.pk).update(rights_until=last_day)
    photo.refresh_from_db()
    urls = reachable_urls(photo, release)
    urls.remove(photo.file.url)
    end = photo.rights_expire_at
    with time_machine.travel(end - timedelta(seconds=1), tick=False):
        assert photo.src in client.get(release.get_absolute_url()).content.decode()
        assert all(client.get(url).status_code == 200 for url in urls)
    with time_machine.travel(end, tick=False):
        # The kept rendering of the release page does not outlive the rights (no write).
        page = client.get(release.get_absolute_url()).content.decode()
        assert photo.src not in page and 'class="gallery"' not in page
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_no_cached_page_or_edge_copy_outlives_the_end_of_the_rights(
    client, make_release, photo, settings
):
    """The page cache and the edge keep a page until the next go-live second at most; a
    photo's rights end counts as one, from the moment an officer enters it."""
    settings.NEWSROOM_CACHE_PAGES = True
    release = make_release()
    show(release, photo)
    last_day = timezone.localdate() + timedelta(days=1)
    end = rights_end(last_day)
    with time_machine.travel(end - timedelta(minutes=5), tick=False) as clock:
        client.get(release.get_absolute_url())  # a generation that knows of no end of rights
        photo.rights_until = last_day
        photo.save()
        clock.shift(timedelta(minutes=3))
        response = client.get(release.get_absolute_url())
        assert photo.src in response.content.decode()
        assert response["Surrogate-Control"] == "max-age=120"
        clock.shift(timedelta(minutes=2, seconds=1))
        page = client.get(release.get_absolute_url()).content.decode()
        assert photo.src not in page and 'class="gallery"' not in page


def test_no_cache_keeps_a_file_or_zip_past_the_end_of_the_rights(client, make_release, issuer):
    release = make_release()
    photos = [make_photo(issuer, width=500, height=300) for _ in range(2)]
    show(release, *photos)
    Photo.objects.filter(pk=photos[1].pk).update(rights_until=timezone.localdate())
    photos[1].refresh_from_db()
    end = photos[1].rights_expire_at
    with time_machine.travel(end - timedelta(minutes=10), tick=False):
        assert "max-age=600" in client.get(photos[1].src)["Cache-Control"]
        assert "max-age=3600" in client.get(photos[0].src)["Cache-Control"]
        zip_url = reverse("releases:photos_zip", args=[release.slug])
        assert "max-age=600" in client.get(zip_url)["Cache-Control"]


def test_a_photo_shared_with_an_embargoed_release_lists_only_the_live_one(
    client, make_release, photo
):
    show(make_release("live", title="Schon öffentlich"), photo)
    go_live = timezone.now() + timedelta(hours=1)
    embargoed = make_release(
        "spaeter",
        title="Noch unter Sperrfrist",
        state=State.APPROVED,
        go_live_at=go_live,
        first_published_at=go_live,
    )
    show(embargoed, photo)
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "Schon öffentlich" in page and "Noch unter Sperrfrist" not in page
    assert embargoed.get_absolute_url() not in page


def test_a_withdrawn_release_shows_and_publishes_no_photo(client, make_release, photo):
    release = make_release()
    show(release, photo)
    Release.objects.filter(pk=release.pk).update(
        state=State.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_reason="Falsch."
    )
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Falsch." in page and photo.src not in page
    urls = reachable_urls(photo, release)
    assert all(client.get(url).status_code == 404 for url in urls)


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content(response)))


def test_download_all_is_a_zip_of_the_downloads_with_credits(client, make_release, issuer):
    photos = [make_photo(issuer, caption=f"Bild {n}", width=500, height=300) for n in (1, 2)]
    release = make_release()
    show(release, *photos)
    response = client.get(reverse("releases:photos_zip", args=[release.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "public" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    archive = read_zip(response)
    names = archive.namelist()
    assert names[-1] == "credits.txt" and len(names) == 3
    for photo in photos:
        name = f"{issuer.slug}-{photo.pk}-bild-{photo.caption[-1]}.jpg"
        with Image.open(io.BytesIO(archive.read(name))) as image:
            assert image.size == (500, 300)
    credits = archive.read("credits.txt").decode()
    assert "Foto: SMWA/Erika Muster" in credits and "Bild 2" in credits


def test_download_all_is_built_once(client, make_release, issuer, monkeypatch):
    release = make_release()
    show(release, make_photo(issuer, width=500, height=300))
    built = []
    original = zips.credits_text
    monkeypatch.setattr(zips, "credits_text", lambda *args: built.append(1) or original(*args))
    url = reverse("releases:photos_zip", args=[release.slug])
    first, second = client.get(url), client.get(url)
    assert content(first) == content(second)
    assert built == [1]
    # A new version of the release makes a new zip.
    Release.objects.filter(pk=release.pk).update(version=release.version + 1)
    assert client.get(url).status_code == 200 and built == [1, 1]


def test_download_all_of_a_hidden_release_answers_404(client, make_release, photo):
    release = make_release(live=False)
    show(release, photo)
    response = client.get(reverse("releases:photos_zip", args=[release.slug]))
    assert response.status_code == 404 and "no-store" in response["Cache-Control"]


def test_an_old_image_address_redirects_to_the_download_while_public(client, make_release, issuer):
    release = make_release()
    photo = make_photo(issuer)
    # What releases/0018_photos made of an old image: a photo whose file stayed where it was.
    with photo.file.open("rb") as handle:
        old_name = storages["protected"].save(f"releases/{'x' * 32}.jpg", handle)
    Photo.objects.filter(pk=photo.pk).update(file=old_name)
    photo.refresh_from_db()
    renditions.generate(photo)
    show(release, photo)
    old_url = reverse("files:release_image", args=[old_name.split("/")[1]])
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == photo.download["url"]
    Release.objects.filter(pk=release.pk).update(state=State.DRAFT)
    response = client.get(old_url)
    assert response.status_code == 404 and "no-store" in response["Cache-Control"]


def appointment(issuer, *, live: bool):
    from appointments.models import Appointment
    from appointments.models import State as AppointmentState

    now = timezone.now()
    fields = {"state": AppointmentState.APPROVED, "go_live_at": now, "first_published_at": now}
    return Appointment.objects.create(
        issuer=issuer,
        slug="termin",
        title="Pressekonferenz im Werk",
        starts_at=now + timedelta(days=3),
        **(fields if live else {}),
    )


@pytest.mark.parametrize("live", [True, False])
def test_an_appointment_shows_its_photos_and_makes_them_public(client, issuer, photo, live):
    shown_by = appointment(issuer, live=live)
    shown_by.images.create(photo=photo)
    assert (client.get(photo.src).status_code == 200) is live
    if not live:
        return
    page = client.get(shown_by.get_absolute_url()).content.decode()
    assert 'class="gallery"' in page and photo.src in page
    assert photo.get_absolute_url() in page
    photo_page = client.get(photo.get_absolute_url()).content.decode()
    assert ">Pressekonferenz im Werk</a>" in photo_page


# --- the page cache --------------------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSROOM_CACHE_PAGES = True


def queries(client, url) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        page = client.get(url).content.decode()
    return page, len(context)


@pytest.mark.usefixtures("page_cache_on")
def test_a_changed_caption_shows_at_once_on_the_cached_pages(client, make_release, photo):
    release = make_release()
    show(release, photo)
    urls = [release.get_absolute_url(), photo.get_absolute_url()]
    for url in urls:
        queries(client, url)
        assert queries(client, url)[1] == 0  # from the page cache
    translation = PhotoTranslation.objects.create(photo=photo, language="en", caption="Minister")
    photo.caption = "Die Ministerin in der Halle"
    photo.save()
    renditions.generate(photo)  # as the task does after the commit: new texts, new files
    photo.refresh_from_db()
    for url in urls:
        page = queries(client, url)[0]
        assert "Die Ministerin in der Halle" in page and photo.src in page, url
    english = f"/en{release.get_absolute_url()}"
    assert "Minister" in queries(client, english)[0]
    translation.caption = "The minister in the hall"
    translation.save()
    assert "The minister in the hall" in queries(client, english)[0]


def test_only_a_public_photo_s_change_purges_pages(make_release, issuer, photo):
    from newsroom.cache import touched_keys

    show(make_release(), photo)
    hidden = make_photo(issuer, width=500, height=300)
    show(make_release("entwurf", live=False), hidden)
    assert f"photo:{photo.pk}" in touched_keys(photo)
    # A translation purges what its photo does, not every page (a new generation).
    english = photo.translations.create(language="en", caption="Minister")
    assert touched_keys(english) == touched_keys(photo)
    assert touched_keys(hidden) == set()
    assert touched_keys(hidden.translations.create(language="en", caption="Geheim")) == set()
