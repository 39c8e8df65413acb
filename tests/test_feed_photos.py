"""Photos in the release feeds: figures with caption and credit in the full text, Media RSS
`media:content` with size, credit and licence, the print-quality download as an enclosure, and
nothing of a photo that no public page may show. Read back with feedparser, as a reader would."""

import io
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from newsroom.protected_files import protected_storage
from photos import renditions
from photos.models import Licence, Photo, PhotoTranslation
from releases.models import Correction, ReleaseImage, Topic
from tests import budgets

ALL = "/feeds/pressemitteilungen"
FORMATS = ["rss", "atom"]
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def jpeg(width=1000, height=600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def make_photo(issuer):
    """A photo of the issuer, its renditions made (as the task does after the upload)."""

    def make(caption="Die Ministerin im Werk", *, made=True, **fields):
        photo = Photo(
            office=issuer,
            caption=caption,
            alt_text=fields.pop("alt_text", "Eine Frau vor einer Maschine"),
            credit=fields.pop("credit", "SMWA/Erika Muster"),
            **fields,
        )
        photo.file = ContentFile(jpeg(), name="foto.jpg")
        photo.save()
        if made:
            renditions.generate(photo)
        return photo

    return make


@pytest.fixture
def shown(make_release, make_photo):
    """A live release with one photo."""
    release = make_release()
    photo = make_photo()
    ReleaseImage.objects.create(release=release, photo=photo)
    return release, photo


def parse(response):
    assert response.status_code == 200, response.status_code
    return feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)


def entry(client, url):
    feed = parse(client.get(url))
    assert feed.bozo == 0, feed.bozo_exception
    return feed.entries[0]


def stored_size(name: str) -> int:
    return protected_storage().size(name)


# Media RSS


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_photo_is_media_content_with_url_type_size_and_dimensions(client, shown, suffix):
    release, photo = shown
    widest = photo.renditions["widths"][-1]

    (media,) = entry(client, f"{ALL}.{suffix}").media_content

    assert media == {
        "url": f"http://testserver{photo.rendition_url(widest['jpeg'])}",
        "type": "image/jpeg",
        "filesize": str(stored_size(widest["jpeg"])),
        "width": str(widest["width"]),
        "height": str(widest["height"]),
        "medium": "image",
    }


@pytest.mark.parametrize("suffix", FORMATS)
def test_media_content_names_the_photographer(client, shown, suffix):
    assert entry(client, f"{ALL}.{suffix}").media_credit == [
        {"role": "photographer", "scheme": "urn:ebu", "content": "SMWA/Erika Muster"}
    ]


def test_media_content_carries_the_caption(client, shown):
    xml = client.get(f"{ALL}.rss").content.decode()
    assert '<media:description type="plain">Die Ministerin im Werk</media:description>' in xml


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_creative_commons_photo_carries_its_licence(client, shown, suffix):
    _, photo = shown
    Photo.objects.filter(pk=photo.pk).update(licence=Licence.CC_BY)

    assert entry(client, f"{ALL}.{suffix}").media_license == {
        "type": "text/html",
        "href": "https://creativecommons.org/licenses/by/4.0/",
        "content": "CC BY 4.0",
    }


def test_a_photo_for_editorial_use_carries_a_copyright_notice_linking_its_page(client, shown):
    _, photo = shown
    xml = client.get(f"{ALL}.rss").content.decode()

    notice = escape(str(Licence.EDITORIAL.label))  # in German, as the feed is

    assert (
        f'<media:copyright url="http://testserver/fotos/{photo.pk}/">{notice}</media:copyright>'
    ) in xml
    assert "<media:license" not in xml


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_media_namespace_is_declared_once_on_the_root(client, shown, suffix):
    xml = client.get(f"{ALL}.{suffix}").content.decode()
    root = re.search(r"<(rss|feed)\b[^>]*>", xml).group(0)

    assert xml.count(f'xmlns:media="{MEDIA_RSS}"') == 1
    assert f'xmlns:media="{MEDIA_RSS}"' in root


@pytest.mark.parametrize("suffix", FORMATS)
def test_photos_keep_the_release_order(client, make_release, make_photo, suffix):
    release = make_release()
    first, second = make_photo("Erstes"), make_photo("Zweites")
    ReleaseImage.objects.create(release=release, photo=second, order=2)
    ReleaseImage.objects.create(release=release, photo=first, order=1)

    urls = [media["url"] for media in entry(client, f"{ALL}.{suffix}").media_content]

    assert urls == [
        f"http://testserver{photo.rendition_url(photo.renditions['widths'][-1]['jpeg'])}"
        for photo in (first, second)
    ]


# Enclosures


def download(photo) -> tuple[str, str, str]:
    name = photo.renditions["download"]["name"]
    return (f"http://testserver{photo.rendition_url(name)}", str(stored_size(name)), "image/jpeg")


def enclosures(client, url) -> list[tuple[str, str, str]]:
    return [(item.href, item.length, item.type) for item in entry(client, url).enclosures]


def test_atom_links_the_publications_and_each_photos_download_as_enclosures(
    client, shown, make_publication
):
    release, photo = shown
    publication = make_publication()
    release.publications.add(publication)

    assert enclosures(client, f"{ALL}.atom") == [
        (
            f"http://testserver/publikationen/{publication.slug}/download/",
            str(publication.file_size),
            "application/pdf",
        ),
        download(photo),
    ]


def test_rss_encloses_the_first_publication_where_there_is_one(client, shown, make_publication):
    release, _ = shown
    publication = make_publication()
    release.publications.add(publication)

    assert [href for href, _, _ in enclosures(client, f"{ALL}.rss")] == [
        f"http://testserver/publikationen/{publication.slug}/download/"
    ]


def test_rss_encloses_the_first_photos_download_without_a_publication(client, shown):
    _, photo = shown
    assert enclosures(client, f"{ALL}.rss") == [download(photo)]


# Full text


@pytest.mark.parametrize("suffix", FORMATS)
def test_full_text_shows_each_photo_with_caption_and_credit(client, shown, suffix):
    _, photo = shown
    content = entry(client, f"{ALL}.{suffix}").content[0].value

    assert (
        f'<figure><img src="http://testserver{photo.src}" width="{photo.src_width}" '
        f'height="{photo.src_height}" alt="Eine Frau vor einer Maschine">'
        "<figcaption>Die Ministerin im Werk Foto: SMWA/Erika Muster</figcaption></figure>"
    ) in content
    assert photo.src_width == 960


def test_full_text_shows_the_photos_after_the_body(client, shown):
    content = entry(client, f"{ALL}.atom").content[0].value
    assert content.index("Der Text.") < content.index("<figure>")


def test_a_decorative_photo_has_an_empty_alt_text(client, make_release, make_photo):
    ReleaseImage.objects.create(
        release=make_release(), photo=make_photo(alt_text="", is_decorative=True)
    )
    content = entry(client, f"{ALL}.atom").content[0].value
    assert 'alt=""' in content


def test_the_english_feed_shows_the_english_caption_and_alt_text(client, shown):
    release, photo = shown
    release.translations.create(
        language="en", title="A release", lead="The lead.", body="<p>The text.</p>"
    )
    PhotoTranslation.objects.create(
        photo=photo, language="en", caption="The minister at the plant", alt_text="A woman"
    )
    item = entry(client, f"/en{ALL}.atom")

    assert "The minister at the plant Photo: SMWA/Erika Muster" in item.content[0].value
    assert 'alt="A woman"' in item.content[0].value
    assert "<media:description" not in item.content[0].value


# What never appears


def photo_files(photo) -> list[str]:
    names = [entry["jpeg"] for entry in photo.renditions["widths"]]
    names += [entry["webp"] for entry in photo.renditions["widths"]]
    return [name.rsplit("/", 1)[-1] for name in [*names, photo.renditions["download"]["name"]]]


def shows_any_file_of(client, photo) -> bool:
    feeds = [client.get(f"{ALL}.{suffix}").content.decode() for suffix in FORMATS]
    return any(name in feed for name in photo_files(photo) for feed in feeds)


def test_a_photo_whose_rights_have_ended_is_not_in_the_feeds(client, shown):
    _, photo = shown
    Photo.objects.filter(pk=photo.pk).update(rights_until=timezone.localdate() - timedelta(days=1))
    assert not shows_any_file_of(client, photo)


def test_a_photo_leaves_the_feeds_the_day_after_its_rights_end(client, shown, time_machine):
    _, photo = shown
    Photo.objects.filter(pk=photo.pk).update(rights_until=timezone.localdate())
    assert shows_any_file_of(client, photo)

    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert not shows_any_file_of(client, photo)


def test_a_photo_of_a_scheduled_release_is_not_in_the_feeds(client, make_release, make_photo):
    scheduled = make_release(
        "spaeter", state="approved", go_live_at=timezone.now() + timedelta(days=1)
    )
    photo = make_photo()
    ReleaseImage.objects.create(release=scheduled, photo=photo)
    make_release()  # the feeds are not empty

    assert not shows_any_file_of(client, photo)


def test_a_photo_without_renditions_is_left_out(client, make_release, make_photo):
    release = make_release()
    ReleaseImage.objects.create(release=release, photo=make_photo(made=False))
    item = entry(client, f"{ALL}.atom")

    assert ("<figure>" in item.content[0].value, item.get("media_content")) == (False, None)


@pytest.mark.parametrize("suffix", FORMATS)
def test_feeds_with_photos_are_well_formed(client, shown, make_publication, suffix):
    release, _ = shown
    release.publications.add(make_publication())
    Photo.objects.filter(pk=shown[1].pk).update(caption="Grüße & <Straße>\x0b", credit="A & B")
    assert parse(client.get(f"{ALL}.{suffix}")).bozo == 0


# Cost and freshness


RELEASE_FEED_QUERIES = [
    (f"/feeds/{url}", n)
    for url, n in budgets.FEED_RENDERING.items()
    if url.startswith(("pressemitteilungen", "themen", "herausgeber"))
]


@pytest.mark.parametrize("items", [1, 30])
@pytest.mark.parametrize(("url", "queries"), RELEASE_FEED_QUERIES)
def test_a_feed_with_photos_renders_in_a_constant_number_of_queries(
    client, make_release, make_photo, django_assert_num_queries, settings, url, queries, items
):
    settings.NEWSROOM_FEED_ITEMS = 50
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft", always_public=True)
    photos = [make_photo(f"Foto {number}") for number in range(2)]
    for number in range(items):
        release = make_release(f"r{number}")
        release.topics.add(topic)
        Correction.objects.create(release=release, note="Berichtigt.")
        for order, photo in enumerate(photos):
            ReleaseImage.objects.create(release=release, photo=photo, order=order)

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(parse(response).entries[0].media_content) == 2


def test_validators_change_when_a_photo_caption_changes(client, shown):
    _, photo = shown
    before = client.get(f"{ALL}.rss")["ETag"]
    photo.caption = "Neue Bildunterschrift"
    photo.save()

    response = client.get(f"{ALL}.rss", headers={"if-none-match": before})
    assert response.status_code == 200
    assert "Neue Bildunterschrift" in response.content.decode()


def test_validators_change_when_a_photos_rights_end(client, shown, time_machine):
    _, photo = shown
    Photo.objects.filter(pk=photo.pk).update(rights_until=timezone.localdate())
    before = client.get(f"{ALL}.atom")["ETag"]

    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert client.get(f"{ALL}.atom", headers={"if-none-match": before}).status_code == 200


def test_a_cached_feed_shows_a_photo_change_at_once(client, shown, settings):
    settings.NEWSROOM_CACHE_PAGES = True
    _, photo = shown
    assert "Die Ministerin im Werk" in client.get(f"{ALL}.rss").content.decode()

    photo.caption = "Neue Bildunterschrift"
    photo.save()

    assert "Neue Bildunterschrift" in client.get(f"{ALL}.rss").content.decode()


def test_a_cached_feed_shows_a_photo_added_to_a_live_release_at_once(
    client, make_release, make_photo, settings
):
    settings.NEWSROOM_CACHE_PAGES = True
    release = make_release()
    assert "<figure>" not in entry(client, f"{ALL}.atom").content[0].value

    ReleaseImage.objects.create(release=release, photo=make_photo())

    assert "<figure>" in entry(client, f"{ALL}.atom").content[0].value


def test_validators_change_when_a_photo_is_taken_off_a_release(client, make_release, make_photo):
    release = make_release()
    older, newer = make_photo("Älter"), make_photo("Neuer")
    taken_off = ReleaseImage.objects.create(release=release, photo=older, order=1)
    ReleaseImage.objects.create(release=release, photo=newer, order=2)
    before = client.get(f"{ALL}.rss")["ETag"]

    taken_off.delete()

    assert client.get(f"{ALL}.rss", headers={"if-none-match": before}).status_code == 200
