"""The media library in the admin: the list (thumbnails, search, filters), per-office permissions
(lists, pages, choices, crafted posts, files), photos in use kept, rights warnings, and photos on
releases and appointments as part of their versions."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from appointments.models import Appointment, AppointmentImage
from contacts.models import OfficeMembership, Organisation
from photos.admin import RIGHTS_WARNING_DAYS, PhotoAdmin
from photos.models import Licence, Photo
from releases.models import Release, ReleaseImage, State, Topic
from releases.roles import PORTAL_ADMINISTRATORS
from tests import helpers
from tests.conftest import role
from tests.helpers import change_url, release_post_data

OFFICER, LEAD = OfficeMembership.Role.OFFICER, OfficeMembership.Role.LEAD
LIST = reverse("admin:photos_photo_changelist")
ADD = reverse("admin:photos_photo_add")


def make_photo(office, caption="Die Ministerin am Pult", *, render=True, **fields) -> Photo:
    """A photo of `office` (tests.helpers.make_photo), with its renditions unless `render` is
    false (then the admin says it is being processed)."""
    fields = {"alt_text": f"Bild: {caption}", "credit": "SMWA/Jane Doe"} | fields
    photo = helpers.make_photo(
        office, caption=caption, width=640, height=427, made=render, **fields
    )
    photo.refresh_from_db()
    return photo


def photo_url(photo, action="change") -> str:
    return reverse(f"admin:photos_photo_{action}", args=[photo.pk])


@pytest.fixture
def offices(db):
    role("Press leads")  # the role groups (a flushed database lacks them)
    return {
        "a": Organisation.objects.create(name="Ministerium A", short_name="MA", slug="ma"),
        "b": Organisation.objects.create(name="Ministerium B", short_name="MB", slug="mb"),
    }


@pytest.fixture
def people(offices, django_user_model):
    def user(name, *roles):
        person = django_user_model.objects.create_user(name, password="pw", is_staff=True)
        for office, office_role in roles:
            OfficeMembership.objects.create(
                user=person, organisation=offices[office], role=office_role
            )
        return person

    portal = user("portal")
    portal.groups.add(Group.objects.get(name=PORTAL_ADMINISTRATORS))
    return {
        "officer_a": user("officer_a", ("a", OFFICER)),
        "lead_a": user("lead_a", ("a", LEAD)),
        "officer_b": user("officer_b", ("b", OFFICER)),
        "lead_b": user("lead_b", ("b", LEAD)),
        "portal": portal,
    }


def release_of(office, slug, *, state=State.DRAFT, go_live_at=None, topics=()):
    release = Release.objects.create(
        issuer=office,
        slug=slug,
        title=f"Mitteilung {slug}",
        lead="Vorspann.",
        body="<p>Text.</p>",
        state=state,
        go_live_at=go_live_at,
        first_published_at=go_live_at,
    )
    release.topics.set(topics)
    return release


def appointment_of(office, slug, *, topics=()):
    starts = timezone.now() + timedelta(days=10)
    appointment = Appointment.objects.create(
        issuer=office,
        slug=slug,
        title=f"Termin {slug}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        venue="Ministerium",
    )
    appointment.topics.set(topics)
    return appointment


def listed(client, **query) -> str:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_thumbnails_credit_licence_office_and_use_count(client, offices, people):
    shown = make_photo(offices["a"], "Spatenstich in Leipzig", licence=Licence.CC_BY)
    waiting = make_photo(offices["a"], "Noch in Arbeit", render=False)
    release = release_of(offices["a"], "spatenstich")
    ReleaseImage.objects.create(release=release, photo=shown)
    AppointmentImage.objects.create(appointment=appointment_of(offices["a"], "t"), photo=shown)
    client.force_login(people["officer_a"])

    response = client.get(LIST)
    page = response.content.decode()
    smallest = shown.rendition_widths[0]
    assert f'src="{smallest["jpeg_url"]}"' in page
    assert client.get(smallest["jpeg_url"]).status_code == 200
    assert waiting.caption in page
    assert gettext("being processed") in page
    assert "SMWA/Jane Doe" in page
    assert str(Licence.CC_BY.label) in page
    # One office's library needs no office column; the portal's shows each photo's office.
    assert '<abbr title="Ministerium A">MA</abbr>' not in page
    client.force_login(people["portal"])
    assert '<abbr title="Ministerium A">MA</abbr>' in listed(client)
    client.force_login(people["officer_a"])
    rows = {photo.pk: photo for photo in response.context["cl"].result_list}
    assert rows[shown.pk].use_count == 2
    assert rows[waiting.pk].use_count == 0


def test_rights_that_expired_or_expire_soon_are_highlighted_in_the_list(client, offices, people):
    today = timezone.localdate()
    make_photo(offices["a"], "Abgelaufen", rights_until=today - timedelta(days=1))
    make_photo(offices["a"], "Bald vorbei", rights_until=today + timedelta(days=5))
    make_photo(offices["a"], "Noch lange", rights_until=today + timedelta(days=90))
    client.force_login(people["officer_a"])

    page = listed(client)
    assert page.count("photo-rights--expired") == 1
    assert page.count("photo-rights--expiring") == 1


def test_search_finds_caption_alt_text_credit_and_translations(client, offices, people):
    harbour = make_photo(offices["a"], "Hafen bei Nacht", credit="Agentur Nord")
    harbour.translations.create(language="en", caption="Harbour at night", alt_text="Cranes")
    make_photo(offices["a"], "Schulhof", alt_text="Kinder spielen Fußball", credit="SMK")
    client.force_login(people["officer_a"])

    def found(term):
        response = client.get(LIST, {"q": term})
        return sorted(photo.caption for photo in response.context["cl"].result_list)

    assert found("Hafen") == ["Hafen bei Nacht"]
    assert found("Fußball") == ["Schulhof"]
    assert found("Agentur Nord") == ["Hafen bei Nacht"]
    assert found("Harbour") == ["Hafen bei Nacht"]
    assert found("Cranes") == ["Hafen bei Nacht"]


def test_filters_by_rights_use_licence_topic_and_upload_date(client, offices, people):
    today = timezone.localdate()
    expired = make_photo(offices["a"], "Abgelaufen", rights_until=today - timedelta(days=1))
    expiring = make_photo(offices["a"], "Bald vorbei", rights_until=today + timedelta(days=30))
    lasting = make_photo(offices["a"], "Lange gültig", rights_until=today + timedelta(days=31))
    free = make_photo(offices["a"], "Frei", licence=Licence.CC0)
    culture, transport = (
        Topic.objects.create(name=n, slug=n.lower()) for n in ("Kultur", "Verkehr")
    )
    ReleaseImage.objects.create(
        release=release_of(offices["a"], "k", topics=[culture]), photo=expired
    )
    AppointmentImage.objects.create(
        appointment=appointment_of(offices["a"], "k", topics=[culture]), photo=expiring
    )
    ReleaseImage.objects.create(
        release=release_of(offices["a"], "v", topics=[transport]), photo=free
    )
    client.force_login(people["officer_a"])

    def found(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {photo.caption for photo in response.context["cl"].result_list}

    assert found(rights="expired") == {expired.caption}
    assert found(rights="expiring") == {expiring.caption}
    assert found(rights="valid") == {lasting.caption, free.caption}
    assert found(use="unused") == {lasting.caption}
    assert found(use="used") == {expired.caption, expiring.caption, free.caption}
    assert found(licence=Licence.CC0) == {free.caption}
    # The topic of the release or the appointment that shows the photo.
    assert found(topic=culture.pk) == {expired.caption, expiring.caption}
    assert found(topic=transport.pk) == {free.caption}
    assert found(uploaded_at__year=today.year) == {p.caption for p in Photo.objects.all()}
    assert found(uploaded_at__year=today.year - 1) == set()
    assert client.get(LIST, {"topic": "x"}).status_code == 200


# --- offices -------------------------------------------------------------------------------------


def test_another_offices_photos_are_neither_listed_nor_opened(client, offices, people):
    ours = make_photo(offices["a"], "Unser Foto")
    theirs = make_photo(offices["b"], "Fremdes Foto")
    client.force_login(people["officer_a"])

    page = listed(client)
    assert ours.caption in page
    assert theirs.caption not in page
    # The office filter offers only the user's own.
    assert "Ministerium B" not in page
    assert client.get(photo_url(theirs)).status_code == 403
    assert client.get(photo_url(theirs, "delete")).status_code == 403
    assert client.get(photo_url(ours)).status_code == 200


def test_a_crafted_post_cannot_change_or_delete_another_offices_photo(client, offices, people):
    theirs = make_photo(offices["b"], "Fremdes Foto")
    client.force_login(people["lead_a"])

    data = {"office": offices["a"].pk, "alt_text": "Gekapert", "caption": "Gekapert"}
    data |= {"licence": Licence.EDITORIAL, "focus_x": 50, "focus_y": 50}
    assert client.post(photo_url(theirs), data).status_code == 403
    assert client.post(photo_url(theirs, "delete"), {"post": "yes"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.caption == "Fremdes Foto"
    assert theirs.office == offices["b"]


def upload_data(office, **fields) -> dict:
    return {
        "office": office.pk,
        "file": SimpleUploadedFile("foto.jpg", helpers.jpeg(640, 427), "image/jpeg"),
        "alt_text": "Ein Kran vor dem Hafen",
        "caption": "Der Hafen",
        "credit": "Foto: SMWA/Jane Doe",
        "licence": Licence.EDITORIAL,
        "focus_x": 30,
        "focus_y": 60,
        "caption_en": "The harbour",
        "alt_text_en": "A crane in front of the harbour",
    } | fields


def test_an_upload_records_who_uploaded_and_the_translations(
    client, offices, people, django_capture_on_commit_callbacks
):
    client.force_login(people["officer_a"])
    # A user of one office finds it chosen; it is the only one offered.
    form = client.get(ADD).context["adminform"].form
    assert form.initial["office"] == offices["a"].pk
    assert list(form.fields["office"].queryset) == [offices["a"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, upload_data(offices["a"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.uploaded_by == people["officer_a"]
    assert photo.credit == "SMWA/Jane Doe"
    assert (photo.focus_x, photo.focus_y) == (30, 60)
    english = photo.translations.get(language="en")
    assert (english.caption, english.alt_text) == ("The harbour", "A crane in front of the harbour")
    # The renditions task ran after the commit: the change page previews the photo.
    photo.refresh_from_db()
    assert photo.has_renditions
    page = client.get(photo_url(photo)).content.decode()
    assert "photo-preview__focus" in page
    assert "left: 30%; top: 60%" in page


def test_a_photos_text_is_changed_and_its_file_kept(client, offices, people):
    photo = make_photo(offices["a"], "Alt", uploaded_by=people["officer_a"])
    file = photo.file.name
    client.force_login(people["lead_a"])
    data = {"office": offices["a"].pk, "alt_text": "Neu beschrieben", "caption": "Neu"}
    data |= {"credit": "SMWA", "licence": Licence.CC_BY, "focus_x": 10, "focus_y": 90}
    response = client.post(photo_url(photo), data)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.licence, photo.focus_y) == ("Neu", Licence.CC_BY, 90)
    assert photo.file.name == file
    assert photo.uploaded_by == people["officer_a"]


def test_an_upload_for_another_office_is_refused(client, offices, people):
    client.force_login(people["officer_a"])
    response = client.post(ADD, upload_data(offices["b"]))
    assert response.status_code == 200
    assert "office" in response.context["adminform"].form.errors
    assert not Photo.objects.exists()


def autocomplete(client, model_name, term=""):
    query = {"app_label": "releases", "model_name": model_name, "field_name": "photo"}
    if model_name == "appointmentimage":
        query["app_label"] = "appointments"
    response = client.get(reverse("admin:autocomplete"), query | {"term": term})
    assert response.status_code == 200
    return sorted(row["text"] for row in response.json()["results"])


@pytest.mark.parametrize("model_name", ["releaseimage", "appointmentimage"])
def test_the_photo_choice_offers_only_the_users_offices_photos(client, offices, people, model_name):
    make_photo(offices["a"], "Hafen")
    make_photo(offices["b"], "Schulhof")
    client.force_login(people["officer_a"])
    assert autocomplete(client, model_name) == ["Hafen"]
    assert autocomplete(client, model_name, "Schulhof") == []
    client.force_login(people["lead_b"])
    assert autocomplete(client, model_name) == ["Schulhof"]


def test_a_crafted_post_cannot_put_another_offices_photo_on_a_release(client, offices, people):
    theirs = make_photo(offices["b"], "Fremdes Foto")
    release = release_of(offices["a"], "unsere")
    client.force_login(people["officer_a"])
    data = release_post_data(release)
    data |= {"images-TOTAL_FORMS": "1", "images-0-photo": theirs.pk, "images-0-order": "0"}
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert not ReleaseImage.objects.exists()


@pytest.mark.parametrize("kind", ["release", "appointment"])
def test_a_member_of_two_offices_cannot_show_one_offices_photo_for_the_other(
    client, offices, people, kind
):
    """The photo is B's to publish: an officer of A and B may not put it on A's release."""
    both = people["officer_a"]
    OfficeMembership.objects.create(user=both, organisation=offices["b"], role=OFFICER)
    theirs, ours = make_photo(offices["b"], "Foto von B"), make_photo(offices["a"], "Foto von A")
    client.force_login(both)
    if kind == "release":
        subject = release_of(offices["a"], "unsere")
        data = release_post_data(subject)
    else:
        subject = appointment_of(offices["a"], "unserer")
        data = appointment_post_data(subject)
    for photo, refused in [(theirs, True), (ours, False)]:
        data |= {"images-TOTAL_FORMS": "1", "images-0-photo": photo.pk, "images-0-order": "0"}
        url = change_url(subject) if kind == "release" else appointment_url(subject)
        response = client.post(url, data)
        if refused:
            assert response.status_code == 200
            assert "This photo belongs to Ministerium B" in response.content.decode() or (
                "Dieses Foto gehört zu Ministerium B" in response.content.decode()
            )
            assert not subject.images.exists()
        else:
            assert response.status_code == 302
            assert list(subject.images.values_list("photo", flat=True)) == [ours.pk]


def test_the_release_form_offers_an_upload_beside_the_photo_choice(client, offices, people):
    release = release_of(offices["a"], "mit-bild")
    client.force_login(people["officer_a"])
    page = client.get(change_url(release)).content.decode()
    # An autocomplete (the library may hold thousands of photos), with "+" to upload one.
    assert 'data-model-name="releaseimage"' in page
    assert 'id="add_id_images-__prefix__-photo"' in page
    assert f"{ADD}?_to_field=id&amp;_popup=1" in page


def test_a_photos_files_are_for_its_office_only(client, offices, people):
    photo = make_photo(offices["a"], "Unveröffentlicht")
    files = [photo.file.url, photo.rendition_widths[0]["jpeg_url"], photo.download["url"]]
    for who, status in [("officer_b", 404), ("officer_a", 200)]:
        client.force_login(people[who])
        assert [client.get(url).status_code for url in files] == [status] * 3, who


def test_a_joint_releases_co_issuers_see_its_photos_read_only(client, offices, people):
    photo = make_photo(offices["a"], "Gemeinsames Foto")
    release = release_of(offices["a"], "gemeinsam")
    release.co_issuers.set([offices["b"]])
    ReleaseImage.objects.create(release=release, photo=photo)
    client.force_login(people["officer_b"])

    assert photo.caption in listed(client)
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.get(photo.rendition_widths[0]["jpeg_url"]).status_code == 200
    # Seen, not reused: B's releases cannot show it, nor may B change it.
    assert autocomplete(client, "releaseimage") == []
    data = {"office": offices["b"].pk, "alt_text": "Übernommen", "licence": Licence.EDITORIAL}
    assert client.post(photo_url(photo), data | {"focus_x": 1, "focus_y": 1}).status_code == 403
    photo.refresh_from_db()
    assert photo.office == offices["a"]


def test_a_co_issuer_cannot_put_a_joint_releases_photo_on_its_own_release(client, offices, people):
    photo = make_photo(offices["a"], "Gemeinsames Foto", render=False)
    joint = release_of(offices["a"], "gemeinsam")
    joint.co_issuers.set([offices["b"]])
    ReleaseImage.objects.create(release=joint, photo=photo)
    own = release_of(offices["b"], "eigene")
    client.force_login(people["lead_b"])
    data = release_post_data(own)
    data |= {"images-TOTAL_FORMS": "1", "images-0-photo": photo.pk, "images-0-order": "0"}
    response = client.post(change_url(own), data)
    assert response.status_code == 200
    assert not own.images.exists()


def test_portal_administrators_see_every_photo_and_change_none(client, offices, people):
    ours, theirs = make_photo(offices["a"], "Foto A"), make_photo(offices["b"], "Foto B")
    client.force_login(people["portal"])
    page = listed(client)
    assert ours.caption in page and theirs.caption in page
    response = client.get(photo_url(theirs))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(photo_url(theirs), {"caption": "Neu"}).status_code == 403
    assert client.get(ADD).status_code == 403


# --- photos in use -----------------------------------------------------------------------------


def test_a_photo_in_use_is_not_deleted(client, offices, people):
    photo = make_photo(offices["a"], "Im Einsatz")
    release = release_of(offices["a"], "zeigt-es")
    ReleaseImage.objects.create(release=release, photo=photo)
    client.force_login(people["lead_a"])

    response = client.get(photo_url(photo, "delete"), follow=True)
    assert response.redirect_chain[-1][0] == photo_url(photo)
    assert messages_of(response) == [PhotoAdmin.in_use_message(photo, 1)]
    assert client.post(photo_url(photo, "delete"), {"post": "yes"}).status_code == 302
    # Nor by the list's bulk action: it names what shows the photo.
    action = {"action": "delete_selected", "_selected_action": [photo.pk], "post": "yes"}
    page = client.post(LIST, action).content.decode()
    assert f'href="{change_url(release)}"' in page
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_an_unused_photo_is_deleted_by_an_officer(client, offices, people):
    photo = make_photo(offices["a"], "Ungenutzt")
    client.force_login(people["officer_a"])
    assert client.post(photo_url(photo, "delete"), {"post": "yes"}).status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()


def test_the_photo_page_lists_what_shows_it(client, offices, people):
    photo = make_photo(offices["a"], "Oft gezeigt")
    release = release_of(offices["a"], "eins")
    appointment = appointment_of(offices["a"], "zwei")
    ReleaseImage.objects.create(release=release, photo=photo)
    AppointmentImage.objects.create(appointment=appointment, photo=photo)
    client.force_login(people["officer_a"])
    page = client.get(photo_url(photo)).content.decode()
    assert f'<a href="{change_url(release)}">Mitteilung eins</a>' in page
    appointment_url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    assert f'<a href="{appointment_url}">Termin zwei</a>' in page


# --- rights warnings ---------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "warned"), [(-1, True), (RIGHTS_WARNING_DAYS, True), (31, False)])
def test_pages_warn_of_rights_that_end_soon_or_have_ended(client, offices, people, days, warned):
    photo = make_photo(
        offices["a"], "Mit Frist", rights_until=timezone.localdate() + timedelta(days=days)
    )
    release = release_of(offices["a"], "mit-frist")
    ReleaseImage.objects.create(release=release, photo=photo)
    appointment = appointment_of(offices["a"], "mit-frist")
    AppointmentImage.objects.create(appointment=appointment, photo=photo)
    client.force_login(people["officer_a"])

    for url in [
        photo_url(photo),
        change_url(release),
        reverse("admin:appointments_appointment_change", args=[appointment.pk]),
    ]:
        found = [m for m in messages_of(client.get(url)) if "Mit Frist" in m]
        assert bool(found) is warned, url


# --- photos on releases and appointments: part of their version ----------------------------------


def gallery_data(release, rows, prefix="images", owner="release") -> dict:
    """The gallery inline's part of a change form: `rows` of (image row or None, photo, order,
    delete)."""
    existing = [row for row in rows if row[0] is not None]
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(existing))}
    for index, (image, photo, order, delete) in enumerate(rows):
        data |= {
            f"{prefix}-{index}-id": image.pk if image else "",
            f"{prefix}-{index}-{owner}": release.pk,
            f"{prefix}-{index}-photo": photo.pk,
            f"{prefix}-{index}-order": str(order),
        }
        if delete:
            data[f"{prefix}-{index}-DELETE"] = "on"
    return data


GALLERY_CHANGES = {
    # The rows posted for a gallery of the first two photos (`gallery`)
    "add": lambda images, photos: [
        (images[0], photos[0], 0, False),
        (images[1], photos[1], 1, False),
        (None, photos[2], 2, False),
    ],
    "remove": lambda images, photos: [
        (images[0], photos[0], 0, False),
        (images[1], photos[1], 1, True),
    ],
    "reorder": lambda images, photos: [
        (images[0], photos[0], 1, False),
        (images[1], photos[1], 0, False),
    ],
}


@pytest.fixture
def gallery(offices):
    """Three photos of office A, the first two on a release of A's."""
    photos = [make_photo(offices["a"], f"Foto {n}", render=False) for n in (1, 2, 3)]

    def on(release):
        return [
            ReleaseImage.objects.create(release=release, photo=photo, order=order)
            for order, photo in enumerate(photos[:2])
        ]

    return photos, on


def shown(release) -> list[int]:
    return list(release.images.order_by("order", "pk").values_list("photo", flat=True))


@pytest.mark.parametrize("change", list(GALLERY_CHANGES))
def test_a_gallery_change_on_a_draft_is_a_new_version(client, offices, people, gallery, change):
    photos, on = gallery
    release = release_of(offices["a"], "entwurf")
    images = on(release)
    client.force_login(people["officer_a"])
    data = release_post_data(release) | gallery_data(
        release, GALLERY_CHANGES[change](images, photos)
    )
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.context["errors"]
    release.refresh_from_db()
    assert release.version == 2
    snapshot = release.revisions.get(number=2).snapshot
    assert [item["photo"] for item in snapshot["images"]] == shown(release)
    assert (
        shown(release)
        == {
            "add": [photos[0].pk, photos[1].pk, photos[2].pk],
            "remove": [photos[0].pk],
            "reorder": [photos[1].pk, photos[0].pk],
        }[change]
    )


@pytest.mark.parametrize("change", list(GALLERY_CHANGES))
def test_a_gallery_change_voids_the_approval_of_a_scheduled_release(
    client, offices, people, gallery, change
):
    photos, on = gallery
    release = release_of(
        offices["a"], "geplant", state=State.APPROVED, go_live_at=timezone.now() + timedelta(days=1)
    )
    images = on(release)
    before = shown(release)
    client.force_login(people["lead_a"])
    data = release_post_data(release) | gallery_data(
        release, GALLERY_CHANGES[change](images, photos)
    )

    # Unconfirmed: refused, nothing changed.
    assert client.post(change_url(release), data).status_code == 200
    assert shown(release) == before
    response = client.post(change_url(release), data | {"confirm": "on"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW
    assert shown(release) != before


@pytest.mark.parametrize("change", list(GALLERY_CHANGES))
def test_a_gallery_change_on_a_live_release_is_a_correction(
    client, offices, people, gallery, change
):
    photos, on = gallery
    release = release_of(
        offices["a"], "live", state=State.APPROVED, go_live_at=timezone.now() - timedelta(hours=1)
    )
    images = on(release)
    before = shown(release)
    client.force_login(people["lead_a"])
    data = release_post_data(release) | gallery_data(
        release, GALLERY_CHANGES[change](images, photos)
    )

    assert client.post(change_url(release), data | {"confirm": "on"}).status_code == 200
    assert shown(release) == before
    assert not release.corrections.exists()
    note = "Bildergalerie geändert."
    response = client.post(change_url(release), data | {"confirm": "on", "change_note": note})
    assert response.status_code == 302
    assert shown(release) != before
    assert release.corrections.get().note == note


def appointment_url(appointment, name="change", *args) -> str:
    return reverse(f"admin:appointments_appointment_{name}", args=[appointment.pk, *args])


def appointment_post_data(appointment, **fields) -> dict:
    local = timezone.localtime
    data = {
        "issuer": appointment.issuer_id,
        "title": appointment.title,
        "slug": appointment.slug,
        "kind": appointment.kind,
        "starts_at_0": local(appointment.starts_at).strftime("%d.%m.%Y"),
        "starts_at_1": local(appointment.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(appointment.ends_at).strftime("%d.%m.%Y"),
        "ends_at_1": local(appointment.ends_at).strftime("%H:%M:%S"),
        "venue": appointment.venue,
        "description": appointment.description,
        "retention_days": appointment.retention_days,
        "opened_version": appointment.version,
        "notices-TOTAL_FORMS": "0",
        "notices-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return data | fields


def test_an_appointments_photos_are_part_of_its_versions_and_come_back_on_restore(
    client, offices, people, gallery
):
    from appointments import revisions

    photos, _on = gallery
    appointment = appointment_of(offices["a"], "termin")
    revisions.record(appointment, people["officer_a"])
    client.force_login(people["officer_a"])

    rows = [(None, photos[1], 0, False), (None, photos[0], 1, False)]
    data = appointment_post_data(appointment) | gallery_data(appointment, rows, owner="appointment")
    response = client.post(appointment_url(appointment), data)
    assert response.status_code == 302, response.context["errors"]
    appointment.refresh_from_db()
    assert appointment.version == 2
    assert list(appointment.images.values_list("photo", flat=True)) == [photos[1].pk, photos[0].pk]
    images = appointment.revisions.get(number=2).snapshot["images"]
    assert [item["photo"] for item in images] == [photos[1].pk, photos[0].pk]
    # The diff between the versions names the photos.
    page = client.get(appointment_url(appointment, "revisions"), {"old": 1, "new": 2})
    assert "Foto 2 (#" in page.content.decode()

    # Restoring version 1 takes them off; restoring version 2 brings them back, in order.
    for number, expected in [(1, []), (2, [photos[1].pk, photos[0].pk])]:
        appointment.refresh_from_db()
        restore = {"opened_version": appointment.version, "confirm": "on"}
        response = client.post(appointment_url(appointment, "restore", number), restore)
        assert response.status_code == 302
        assert list(appointment.images.values_list("photo", flat=True)) == expected


def test_an_appointments_photo_choice_refuses_another_offices_photo(client, offices, people):
    theirs = make_photo(offices["b"], "Fremdes Foto", render=False)
    appointment = appointment_of(offices["a"], "termin")
    client.force_login(people["officer_a"])
    rows = [(None, theirs, 0, False)]
    data = appointment_post_data(appointment) | gallery_data(appointment, rows, owner="appointment")
    assert client.post(appointment_url(appointment), data).status_code == 200
    assert not AppointmentImage.objects.exists()


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_fills_the_media_library_and_shows_a_gallery(db):
    from django.core.management import call_command

    from releases.demo_joint import SLUG as JOINT_SLUG
    from releases.management.commands.demo import GALLERIES, SEED_SLUG

    call_command("demo", stdout=io.StringIO())
    # The renditions task runs when the demo's transaction commits (`make demo` catches up).
    call_command("make_renditions", "--missing", stdout=io.StringIO())

    gallery_slug, keys = next(iter(GALLERIES.items()))
    gallery = Release.objects.get(slug=gallery_slug)
    photos = [image.photo for image in gallery.images.order_by("order")]
    assert len(photos) == len(keys) >= 3
    assert len({photo.width / photo.height for photo in photos}) == len(photos)  # shapes differ
    assert len({photo.licence for photo in photos}) >= 3
    for photo in Photo.objects.all():
        assert photo.credit and photo.alt_text and photo.has_renditions, photo
        assert photo.translations.get(language="en").alt_text
        for image in photo.release_images.select_related("release"):
            assert photo.office_id == image.release.issuer_id
    assert max(photo.rendition_widths[-1]["width"] for photo in photos) == 1600
    # One photo used again (the seed's, on the joint release), one expiring, one unused.
    seed = Release.objects.get(slug=SEED_SLUG).images.get().photo
    assert Release.objects.get(slug=JOINT_SLUG).images.get().photo == seed
    assert any(photo.rights_until for photo in photos)
    assert (
        Photo.objects.exclude(release_images__isnull=False)
        .exclude(appointment_images__isnull=False)
        .exists()
    )
    assert AppointmentImage.objects.exists()
