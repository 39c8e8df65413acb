"""The public page types and how to reach each one in a given state, with the demo content loaded.

One list for the checks that look at every public page: axe-core in a browser
(tests/browser/test_accessibility.py) and the Nu Html Checker (tests/test_html_validity.py).
A callable prepares its page (a token, a withdrawn release) and returns its address.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from photos import renditions
from photos.models import Photo
from releases.demo_joint import SLUG as JOINT_SLUG
from releases.demo_photos import PHOTOS, paint
from releases.management.commands.demo import SEED_SLUG
from releases.models import PreviewLink, Release, ReleaseImage, State

EMBARGOED_SLUG = "embargo-demo-landeshaushalt"
WITHDRAWN_SLUG = "mindestlohn-kontrollen-bilanz"
PRESS_CONFERENCE_SLUG = "pressekonferenz-strategiewerkstatt"  # the demo's, with accreditation
SITE_VISIT_SLUG = "ortstermin-kreativwirtschaft-leipzig"


def withdrawn_release_url() -> str:
    """A demo release withdrawn after publication; it also gets a decorative photo (no alt)."""
    release = Release.objects.get(slug=WITHDRAWN_SLUG)
    Release.objects.filter(pk=release.pk).update(
        state=State.WITHDRAWN,
        withdrawn_at=timezone.now() - timedelta(hours=1),
        withdrawal_reason="Die Zahlen der Gewerbeaufsicht waren unvollständig.",
    )
    photo = Photo.objects.create(
        office=release.issuer,
        file=ContentFile(paint(PHOTOS["bruecke"].scene), "baustelle.jpg"),
        is_decorative=True,
        caption="Baustelle in Dresden.",
    )
    renditions.generate(photo)
    ReleaseImage.objects.create(release=release, photo=photo)
    return release.get_absolute_url()


GALLERY_SLUG = "gruenderpreis-kreativwirtschaft"  # the demo's release with four photos


def gallery_photos() -> list:
    """The photos of the demo's gallery, with their renditions (made now if the task has not)."""
    images = ReleaseImage.objects.filter(release__slug=GALLERY_SLUG).select_related("photo")
    photos = [image.photo for image in images.order_by("order")]
    for photo in photos:
        if not photo.has_renditions:
            renditions.generate(photo)
    return photos


def gallery_release_url() -> str:
    gallery_photos()
    return reverse("releases:detail", kwargs={"slug": GALLERY_SLUG})


def photo_page_url() -> str:
    """The page of the gallery's first photo."""
    return gallery_photos()[0].get_absolute_url()


def cancelled_appointment_url() -> str:
    """The second demo appointment, postponed and then cancelled: its page keeps both notices."""
    from appointments.models import Appointment, Notice
    from appointments.models import State as AppointmentState

    appointment = Appointment.objects.get(slug=SITE_VISIT_SLUG)
    Notice.objects.create(appointment=appointment, note="Verschoben auf den Folgetag.")
    Appointment.objects.filter(pk=appointment.pk).update(
        state=AppointmentState.CANCELLED,
        status="postponed",
        cancelled_at=timezone.now(),
        cancellation_reason="Der Termin entfällt wegen Krankheit.",
    )
    return appointment.get_absolute_url()


def accreditation_confirm_url() -> str:
    """The page behind the link of the double opt-in mail."""
    from appointments.models import Accreditation, Appointment

    application = Accreditation.objects.create(
        appointment=Appointment.objects.get(slug=PRESS_CONFERENCE_SLUG),
        name="Jana Beispiel",
        outlet="Sächsische Zeitung",
        email="jana@example.org",
        consent_text="Einverstanden.",
    )
    return reverse("appointments:confirm", kwargs={"token": application.token})


def embargo_preview_url() -> str:
    release = Release.objects.get(slug=EMBARGOED_SLUG)
    return PreviewLink.objects.create(release=release, label="Testredaktion").get_absolute_url()


def _subscriber(*, confirmed: bool):
    from alerts.models import Subscriber, new_token

    return Subscriber.objects.create(
        email=f"leser-{new_token()[:12]}@example.org",
        confirmed_at=timezone.now() if confirmed else None,
        consent_text="Einverstanden.",
    )


def alerts_confirm_url() -> str:
    """The page behind the double opt-in link: a button, as a GET confirms nothing."""
    return reverse("alerts:confirm", kwargs={"token": _subscriber(confirmed=False).token})


def alerts_manage_url() -> str:
    return reverse("alerts:manage", kwargs={"token": _subscriber(confirmed=True).token})


def alerts_unsubscribe_url() -> str:
    return reverse("alerts:unsubscribe", kwargs={"token": _subscriber(confirmed=True).token})


# page type: (address, or a function that prepares the page and returns its address; status)
PAGES = {
    "home": ("/", 200),
    "list": ("/pressemitteilungen/", 200),
    "list-search-filter": ("/pressemitteilungen/?q=Kreativ&thema=wirtschaft", 200),
    "list-invalid-filter": ("/pressemitteilungen/?jahr=abc", 200),
    "release": (f"/pressemitteilungen/{SEED_SLUG}/", 200),
    "release-joint": (f"/pressemitteilungen/{JOINT_SLUG}/", 200),
    "release-gallery": (gallery_release_url, 200),
    "photo": (photo_page_url, 200),
    "topic": ("/themen/wirtschaft/", 200),
    "issuer": ("/herausgeber/smwa/", 200),
    "contacts": ("/kontakte/", 200),
    "publications": ("/publikationen/", 200),
    "series": ("/publikationen/reihe/schlaglicht/", 200),
    "feeds": ("/feeds/", 200),
    "home-english": ("/en/", 200),
    # The seed release's English version (demo), and a list mixing English and German-only.
    "release-english": (f"/en/pressemitteilungen/{SEED_SLUG}/", 200),
    "list-english": ("/en/pressemitteilungen/", 200),
    "imprint": ("/impressum/", 200),
    "privacy-english": ("/en/datenschutz/", 200),
    "accessibility-statement": ("/barrierefreiheit/", 200),
    "accessibility-feedback": ("/barrierefreiheit/rueckmeldung/", 200),
    "release-withdrawn": (withdrawn_release_url, 200),
    "embargo-preview": (embargo_preview_url, 200),
    "not-found": ("/pressemitteilungen/gibt-es-nicht/", 404),
    "appointments": ("/termine/", 200),
    "appointments-filtered": ("/termine/?herausgeber=smwa&thema=wirtschaft", 200),
    "appointments-archive": ("/termine/archiv/", 200),
    "appointment": (f"/termine/{PRESS_CONFERENCE_SLUG}/", 200),
    "appointment-cancelled": (cancelled_appointment_url, 200),
    "accreditation-form": (f"/termine/{PRESS_CONFERENCE_SLUG}/akkreditierung/", 200),
    "accreditation-confirm": (accreditation_confirm_url, 200),
    "alerts-form": ("/benachrichtigungen/", 200),
}

# The rest of the public pages, each in German and under /en/: what the markup checker reads
# besides PAGES (axe-core runs in a browser and costs a second a page, so it keeps to PAGES).
MORE_PAGES = {
    "search-no-results": ("/pressemitteilungen/?q=Quastenflosser", 200),
    "list-date-range-error": ("/pressemitteilungen/?von=2026-11-20&bis=2026-11-01", 200),
    "privacy": ("/datenschutz/", 200),
    "accessibility-feedback-sent": ("/barrierefreiheit/rueckmeldung/danke/", 200),
    "accreditation-sent": (f"/termine/{PRESS_CONFERENCE_SLUG}/akkreditierung/danke/", 200),
    "alerts-requested": ("/benachrichtigungen/angefordert/", 200),
    "alerts-confirm": (alerts_confirm_url, 200),
    "alerts-manage": (alerts_manage_url, 200),
    "alerts-unsubscribe": (alerts_unsubscribe_url, 200),
    "alerts-invalid-link": ("/benachrichtigungen/bestaetigen/" + "x" * 43 + "/", 404),
    "alerts-unsubscribed": ("/benachrichtigungen/abmelden/" + "x" * 43 + "/", 200),
    "accreditation-invalid-link": ("/akkreditierung/" + "x" * 43 + "/", 404),
    "not-found-elsewhere": ("/gibt-es-nicht/", 404),
}

# Forms sent back with errors: (address, the POST data, status).
INVALID_FORMS = {
    "accessibility-feedback-errors": ("/barrierefreiheit/rueckmeldung/", {"message": ""}, 200),
    "alerts-form-errors": ("/benachrichtigungen/", {"email": "kein-at"}, 200),
    "accreditation-form-errors": (
        f"/termine/{PRESS_CONFERENCE_SLUG}/akkreditierung/",
        {"name": "", "email": "kein-at"},
        200,
    ),
}


def address_of(spec) -> str:
    """The German address: a request under /en/ may have left English active in this thread."""
    with translation.override(settings.LANGUAGE_CODE):
        return spec() if callable(spec) else spec


def in_english(path: str) -> str:
    """The same page under /en/ (German is the default language, without a prefix)."""
    return path if path.startswith("/en/") else f"/en{path}"
