"""Renditions of press photos: the sizes made and stored, what they show, what they carry."""

import io
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageCms

from newsroom.protected_files import protected_storage
from photos import renditions
from photos.forms import PhotoForm
from photos.models import Licence, Photo

GPS_IFD = 0x8825
ARTIST, COPYRIGHT, DESCRIPTION, ORIENTATION, MAKE = 0x013B, 0x8298, 0x010E, 0x0112, 0x010F
XMP = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
X_DEFAULT = "{http://www.w3.org/XML/1998/namespace}lang"


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(width=2000, height=1333, color=(200, 120, 40), **options) -> bytes:
    return encode(Image.new("RGB", (width, height), color), "JPEG", **options)


@pytest.fixture
def make_photo(issuer, django_capture_on_commit_callbacks):
    """Upload a photo as the admin saves it; the task (immediate backend) runs on commit."""

    def make(content: bytes, name="upload.jpg", **fields):
        fields = {"alt_text": "Die Ministerin am Pult", "credit": "SMWA/Jane Doe"} | fields
        with django_capture_on_commit_callbacks(execute=True):
            photo = Photo.objects.create(office=issuer, file=ContentFile(content, name), **fields)
        photo.refresh_from_db()
        return photo

    return make


def opened(name: str) -> Image.Image:
    with protected_storage().open(name, "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
    image.load()
    return image


def all_files(photo) -> list[str]:
    return renditions.rendition_names(photo.renditions)


def test_renditions_are_made_at_the_stated_widths_and_stored(make_photo):
    photo = make_photo(jpeg(2000, 1333))

    assert photo.has_renditions
    widths = photo.renditions["widths"]
    assert [entry["width"] for entry in widths] == [480, 720, 960, 1600]
    storage = protected_storage()
    for entry in widths:
        for fmt, expected in (("webp", "WEBP"), ("jpeg", "JPEG")):
            image = opened(entry[fmt])
            assert image.format == expected
            assert image.size == (entry["width"], entry["height"])
            assert storage.size(entry[fmt]) == entry[f"{fmt}_size"]
            assert entry[fmt].startswith("photos/renditions/")
        assert entry["height"] == round(1333 * entry["width"] / 2000)
    social = opened(photo.renditions["social"]["name"])
    assert (social.format, social.size) == ("JPEG", (1200, 630))
    download = photo.renditions["download"]
    assert opened(download["name"]).size == (2000, 1333) == (download["width"], download["height"])
    assert download["content_type"] == "image/jpeg"
    assert photo.renditions["source"] == photo.file.name


def test_web_jpegs_are_progressive(make_photo):
    photo = make_photo(jpeg(1000, 600))

    assert opened(photo.renditions["widths"][0]["jpeg"]).info.get("progressive")


def test_renditions_are_never_wider_than_the_original(make_photo):
    photo = make_photo(jpeg(1000, 500))
    small = make_photo(encode(Image.new("RGB", (300, 200), "red"), "PNG"), name="klein.png")

    assert [entry["width"] for entry in photo.renditions["widths"]] == [480, 720, 960]
    assert [entry["width"] for entry in small.renditions["widths"]] == [300]
    assert opened(small.renditions["widths"][0]["webp"]).size == (300, 200)
    assert small.renditions["download"]["width"] == 300
    social = small.renditions["social"]
    assert social["width"] <= 300
    assert opened(social["name"]).size == (social["width"], social["height"])


def test_exif_orientation_is_applied(make_photo):
    # Stored lying on its side (left red, right blue), to be turned 90° clockwise for display.
    image = Image.new("RGB", (1200, 800), "red")
    image.paste((0, 0, 255), (600, 0, 1200, 800))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    photo = make_photo(encode(image, "JPEG", exif=exif))

    assert [entry["width"] for entry in photo.renditions["widths"]] == [480, 720]
    rendition = opened(photo.renditions["widths"][0]["jpeg"])
    assert rendition.size == (480, 720)
    red, _, blue = rendition.getpixel((240, 100))
    assert red > 200 and blue < 60  # what was left is now on top
    download = opened(photo.renditions["download"]["name"])
    assert download.size == (800, 1200)
    assert ORIENTATION not in download.getexif()


def test_gps_and_camera_metadata_are_stripped_from_every_rendition(make_photo):
    exif = Image.Exif()
    exif[MAKE] = "Kamera AG"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 3.0, 12.5), 3: "E", 4: (13.0, 44.0, 1.0)})
    upload = jpeg(1000, 700, exif=exif)
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(GPS_IFD)  # the upload has a position
    photo = make_photo(upload)

    names = all_files(photo)
    assert len(names) == 3 * 2 + 2  # 480, 720 and 960 px in two formats, social, download
    for name in names:
        metadata = opened(name).getexif()
        assert metadata.get_ifd(GPS_IFD) == {}, name
        assert MAKE not in metadata, name
    download = opened(photo.renditions["download"]["name"]).getexif()
    assert set(download) <= {ARTIST, COPYRIGHT, DESCRIPTION}


def test_download_carries_credit_and_licence(make_photo):
    photo = make_photo(
        jpeg(900, 600),
        credit="SMWA/Jürgen Müller",
        licence=Licence.CC_BY,
        caption="Die Ministerin & der Staatssekretär",
    )

    download = opened(photo.renditions["download"]["name"])
    exif = download.getexif()
    assert exif[ARTIST] == "SMWA/Juergen Mueller"
    assert exif[COPYRIGHT] == "(c) SMWA/Juergen Mueller - CC BY 4.0"
    assert exif[DESCRIPTION] == "Die Ministerin & der Staatssekretaer"

    xmp = ET.fromstring(download.info["xmp"])
    description = xmp.find(".//rdf:Description", XMP)
    assert description.find("dc:creator/rdf:Seq/rdf:li", XMP).text == "SMWA/Jürgen Müller"
    assert description.find("photoshop:Credit", XMP).text == "SMWA/Jürgen Müller"
    rights = description.find("dc:rights/rdf:Alt/rdf:li", XMP)
    assert rights.get(X_DEFAULT) == "x-default" and "SMWA/Jürgen Müller" in rights.text
    terms = {
        item.get(X_DEFAULT): item.text
        for item in description.findall("xmpRights:UsageTerms/rdf:Alt/rdf:li", XMP)
    }
    assert terms["x-default"] == terms["de"] == "CC BY 4.0"
    assert description.find("xmpRights:WebStatement", XMP).text == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    caption = description.find("dc:description/rdf:Alt/rdf:li", XMP).text
    assert caption == "Die Ministerin & der Staatssekretär"
    # Web renditions carry none of it: they are not what a newspaper prints.
    assert "xmp" not in opened(photo.renditions["widths"][0]["jpeg"]).info


def png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG whose header claims `width`×`height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_at_upload(issuer):
    # 50 megapixels: under Pillow's own limit, over NEWSROOM_MAX_IMAGE_PIXELS (40).
    upload = SimpleUploadedFile("bombe.png", png_claiming(10000, 5000), "image/png")
    form = PhotoForm(
        data={"alt_text": "Bombe", "licence": Licence.EDITORIAL}, files={"file": upload}
    )

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["file"]] == ["too_many_pixels"]


def stored_renditions() -> set[str]:
    storage = protected_storage()
    return (
        set(storage.listdir("photos/renditions")[1])
        if storage.exists("photos/renditions")
        else set()
    )


def test_decompression_bomb_is_not_rendered(make_photo):
    before = stored_renditions()
    # Past the form (a file restored from a backup, a script): the task refuses it unread.
    photo = make_photo(png_claiming(10000, 5000), name="bombe.png")

    assert not photo.has_renditions
    assert "NEWSROOM_MAX_IMAGE_PIXELS" in photo.renditions["error"]
    assert photo.renditions["source"] == photo.file.name
    assert stored_renditions() == before


def test_broken_file_leaves_the_photo_without_renditions(make_photo):
    # The header is fine (the upload's checks read only that), the data ends halfway.
    complete = jpeg(1000, 700)
    before = stored_renditions()
    photo = make_photo(complete[: len(complete) // 2], name="kaputt.jpg")

    assert not photo.has_renditions
    assert photo.srcset("jpeg") == "" and photo.src == "" and photo.download is None
    assert "truncated" in photo.renditions["error"]
    assert stored_renditions() == before


def cmyk_jpeg() -> bytes:
    # Pillow writes CMYK JPEGs as Photoshop does: with an Adobe marker, the channels inverted.
    return encode(Image.new("CMYK", (1000, 700), (0, 255, 255, 0)), "JPEG")  # red in print


def gray_16_bit_png() -> bytes:
    return encode(Image.new("I;16", (1000, 700), 32768), "PNG")  # middle grey, 16 bits


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (600, 400), color) for color in ("red", "blue", "green")]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def palette_png_with_transparency() -> bytes:
    image = Image.new("P", (600, 400), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (300, 0, 600, 400))  # right half red, left half transparent
    return encode(image, "PNG", transparency=0)


@pytest.mark.parametrize(
    "make_upload, name, expected",
    [
        (cmyk_jpeg, "cmyk.jpg", (255, 0, 0)),
        (gray_16_bit_png, "grau.png", (128, 128, 128)),
        (animated_gif, "animiert.gif", (255, 0, 0)),  # the first frame
        (palette_png_with_transparency, "palette.png", (255, 0, 0)),
    ],
)
def test_unusual_images_make_valid_renditions(make_photo, make_upload, name, expected):
    photo = make_photo(make_upload(), name=name)

    assert photo.has_renditions
    for entry in photo.renditions["widths"]:
        jpeg_rendition = opened(entry["jpeg"])
        assert jpeg_rendition.mode == "RGB"
        assert jpeg_rendition.size == (entry["width"], entry["height"])
        pixel = jpeg_rendition.getpixel((jpeg_rendition.width - 5, 5))
        assert all(abs(got - want) < 24 for got, want in zip(pixel, expected, strict=True)), pixel
        assert opened(entry["webp"]).size == (entry["width"], entry["height"])
    download = opened(photo.renditions["download"]["name"])
    assert download.mode == "RGB" and download.format == "JPEG"


def test_colour_profiles_are_converted_to_srgb_and_dropped(make_photo):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = make_photo(jpeg(700, 500, icc_profile=srgb))
    broken = make_photo(jpeg(700, 500, icc_profile=b"no profile at all"), name="kaputt.jpg")

    assert photo.has_renditions and broken.has_renditions
    for name in all_files(photo) + all_files(broken):
        assert "icc_profile" not in opened(name).info, name


def test_transparency_is_kept_in_webp_and_white_in_jpeg(make_photo):
    photo = make_photo(palette_png_with_transparency(), name="palette.png")

    entry = photo.renditions["widths"][0]
    webp = opened(entry["webp"])
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    assert opened(entry["jpeg"]).getpixel((5, 5)) == (255, 255, 255)
    assert opened(photo.renditions["download"]["name"]).getpixel((5, 5)) == (255, 255, 255)


def test_social_crop_keeps_the_focus_point(make_photo):
    # A wide photo: dark on the left, light on the right, the subject at the right edge.
    image = Image.new("RGB", (4000, 800), (0, 0, 0))
    image.paste((255, 255, 255), (2000, 0, 4000, 800))
    photo = make_photo(encode(image, "PNG"), name="breit.png", focus_x=100)

    social = opened(photo.renditions["social"]["name"])
    assert social.size == (1200, 630)
    assert min(social.convert("L").getextrema()) > 200  # only the light half


def test_a_new_file_or_credit_makes_new_renditions_and_removes_the_old(
    make_photo, django_capture_on_commit_callbacks
):
    photo = make_photo(jpeg(1000, 700))
    first = all_files(photo)
    storage = protected_storage()
    assert all(storage.exists(name) for name in first)

    photo.credit = "SMWA/Max Mustermann"
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    photo.refresh_from_db()
    second = all_files(photo)
    assert not set(first) & set(second)
    assert all(storage.exists(name) for name in second)
    assert not any(storage.exists(name) for name in first)
    assert opened(photo.renditions["download"]["name"]).getexif()[ARTIST] == "SMWA/Max Mustermann"

    photo.file = ContentFile(jpeg(600, 400), "neu.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    photo.refresh_from_db()
    assert [entry["width"] for entry in photo.renditions["widths"]] == [480]
    assert photo.renditions["source"] == photo.file.name
    assert not any(storage.exists(name) for name in second)


def test_saving_without_changes_keeps_the_renditions(
    make_photo, django_capture_on_commit_callbacks
):
    photo = make_photo(jpeg(1000, 700))
    names = all_files(photo)

    photo.rights_until = None
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    photo.refresh_from_db()
    assert all_files(photo) == names


def test_deleting_a_photo_deletes_its_renditions(make_photo, django_capture_on_commit_callbacks):
    photo = make_photo(jpeg(1000, 700))
    names = all_files(photo)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    assert names and not any(protected_storage().exists(name) for name in names)


def test_make_renditions_missing_renders_only_what_lacks_them(make_photo, issuer):
    done = make_photo(jpeg(1000, 700))
    done_names = all_files(done)
    # Saved while no task ran (a worker down): no renditions yet.
    waiting = Photo.objects.create(office=issuer, file=ContentFile(jpeg(700, 500), "w.jpg"))
    assert not Photo.objects.get(pk=waiting.pk).has_renditions

    call_command("make_renditions", "--missing", stdout=io.StringIO())

    waiting.refresh_from_db()
    done.refresh_from_db()
    assert waiting.has_renditions
    assert all(protected_storage().exists(name) for name in all_files(waiting))
    assert all_files(done) == done_names

    # A restore brought the rows back but not every file.
    protected_storage().delete(done.renditions["social"]["name"])
    call_command("make_renditions", "--missing", stdout=io.StringIO())
    done.refresh_from_db()
    assert not set(all_files(done)) & set(done_names)
    assert all(protected_storage().exists(name) for name in all_files(done))


def test_make_renditions_for_one_photo(make_photo):
    photo = make_photo(jpeg(700, 500))
    before = all_files(photo)

    call_command("make_renditions", "--photo", str(photo.pk), stdout=io.StringIO())

    photo.refresh_from_db()
    assert photo.has_renditions and not set(all_files(photo)) & set(before)


def test_photo_names_its_renditions_for_pages(make_photo):
    photo = make_photo(jpeg(2000, 1333))
    widths = photo.renditions["widths"]

    def url(name):
        return reverse("photos:file", kwargs={"name": name.rsplit("/", 1)[1]})

    assert photo.srcset("webp") == ", ".join(f"{url(e['webp'])} {e['width']}w" for e in widths)
    assert photo.srcset("jpeg") == ", ".join(f"{url(e['jpeg'])} {e['width']}w" for e in widths)
    assert photo.src == url(widths[2]["jpeg"])  # the 960 px JPEG
    assert (photo.src_width, photo.src_height) == (960, 640)
    assert photo.download["url"] == url(photo.renditions["download"]["name"])
    assert photo.social["url"] == url(photo.renditions["social"]["name"])
    assert [entry["jpeg_url"] for entry in photo.rendition_widths] == [
        url(e["jpeg"]) for e in widths
    ]


def test_renditions_of_a_replaced_file_are_not_shown(make_photo):
    photo = make_photo(jpeg(1000, 700))

    # The file changed and its task has not run yet (a worker busy elsewhere).
    Photo.objects.filter(pk=photo.pk).update(file="photos/noch-nicht-verarbeitet.jpg")
    photo = Photo.objects.get(pk=photo.pk)

    assert not photo.has_renditions
    assert photo.srcset("jpeg") == "" and photo.src == "" and photo.social is None


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_site")
class TestDemo:
    """`make run` loads the demo: every photo in it is rendered, also inside a transaction that
    never commits (the tests' `demo_site`, where no task runs on commit)."""

    def test_every_demo_photo_has_its_renditions(self):
        photos = list(Photo.objects.all())

        assert photos
        for photo in photos:
            assert photo.has_renditions, photo
            assert all(protected_storage().exists(name) for name in all_files(photo))
