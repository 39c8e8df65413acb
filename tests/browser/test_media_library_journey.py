"""The media library in a real browser, on the demo: an officer uploads a photo, finds it in the
library with its thumbnail, sees its preview and focus point, and puts it on a draft release
through the photo choice (an autocomplete of the office's photos)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from photos.models import Photo
from releases.models import Release
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_editor import choose_autocomplete, log_in

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = "Entwurf: Sachsen auf der Hannover Messe"  # the SMWA's draft (releases' demo command)
CAPTION = "Messestand des Freistaats in Halle 9"


def camera_jpeg() -> bytes:
    """A small landscape picture: a blue-to-orange gradient."""
    image = Image.linear_gradient("L").rotate(90).resize((1600, 1000)).convert("RGB")
    image = Image.blend(image, Image.new("RGB", image.size, (230, 120, 40)), 0.5)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def loaded(image) -> bool:
    """Whether the image (lazy: scrolled to first) arrived and decoded: not a broken image."""
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    image.page.wait_for_function("img => img.complete", arg=handle)
    return handle.evaluate("img => img.naturalWidth > 0")


def test_an_officer_uploads_a_photo_and_puts_it_on_a_release(live_server, page, demo_content):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "officer", "newsroom-officer")

    # The upload: the office is the officer's only one, chosen already.
    page.goto(f"{live_server.url}/admin/photos/photo/add/")
    expect(page.locator("#id_office option:checked")).to_contain_text("Wirtschaft")
    page.set_input_files(
        "#id_file", {"name": "messe.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}
    )
    page.fill("#id_alt_text", "Besucher vor einem Messestand mit Landesfahnen")
    page.fill("#id_caption", CAPTION)
    page.fill("#id_credit", "SMWA/Jane Doe")
    page.fill("#id_caption_en", "The Free State's stand in hall 9")
    page.fill("#id_alt_text_en", "Visitors at a trade fair stand with flags")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    photo = Photo.objects.get(caption=CAPTION)
    assert photo.uploaded_by.username == "officer"
    assert photo.has_renditions  # made by the task when the upload committed

    # The change form: the preview with its focus point; a click moves it.
    preview = page.locator(".photo-preview img")
    expect(preview).to_be_visible()
    assert loaded(preview)
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("#id_focus_x")).to_have_value("25")
    expect(page.locator("#id_focus_y")).to_have_value("75")
    page.screenshot(path=ARTIFACTS / "media-library-change-form.png", full_page=True)
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    photo.refresh_from_db()
    assert (photo.focus_x, photo.focus_y) == (25, 75)

    # The library: the office's photos with thumbnails (renditions made by the task).
    page.goto(f"{live_server.url}/admin/photos/photo/")
    row = page.locator("#result_list tbody tr", has_text=CAPTION)
    expect(row).to_have_count(1)
    expect(page.locator("#result_list")).not_to_contain_text("Schulhof")  # the SMK's
    thumbnails = page.locator("#result_list img.photo-thumb")
    expect(thumbnails.first).to_be_visible()
    assert all(loaded(thumbnails.nth(n)) for n in range(thumbnails.count()))
    page.screenshot(path=ARTIFACTS / "media-library-list.png", full_page=True)

    # The draft release: a new gallery row, the photo found by its caption, saved.
    page.goto(f"{live_server.url}/admin/releases/release/")
    page.get_by_role("link", name=DRAFT).click()
    group = page.locator("#images-group")
    group.locator(".add-row a").click()
    expect(group.locator("a.related-widget-wrapper-link.add-related").first).to_be_visible()
    choose_autocomplete(page, "id_images-0-photo", "Messestand", CAPTION)
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    release = Release.objects.get(title=DRAFT)
    assert [image.photo for image in release.images.all()] == [photo]
    assert release.version == 2
    # Saved, the row shows the photo's thumbnail.
    thumbnail = group.locator("img.photo-thumb")
    expect(thumbnail).to_be_visible()
    assert loaded(thumbnail)
    group.screenshot(path=ARTIFACTS / "media-library-release-gallery.png")
