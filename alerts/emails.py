"""The mails of the alerts app: plain text with an HTML alternative, in the subscriber's language
(German by default), with absolute links built from NEWSROOM_BASE_URL.

Every mail sent to the list (alerts, digests, notices) carries `List-Unsubscribe` with the
one-click address and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), and a
Message-ID fixed per delivery. The confirmation mail and the reminder of the management link go
to one address on request and carry neither.
"""

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from appointments.models import Appointment, AppointmentEvent
from newsroom import site
from newsroom.links import absolute_url
from releases.models import Release, ReleaseEvent

from .models import Delivery, Kind, Subscriber


def mail_domain() -> str:
    return urlsplit(settings.NEWSROOM_BASE_URL).hostname or "localhost"


def one_line(text: str) -> str:
    """Headers hold one line: titles pass with their whitespace collapsed."""
    return " ".join(str(text).split())


def language_of(subscriber: Subscriber) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return subscriber.language if subscriber.language in known else settings.LANGUAGE_CODE


def subscriber_links(subscriber: Subscriber) -> dict[str, str]:
    """The subscriber's secret links (in the active language)."""
    token = {"token": subscriber.token}
    return {
        "confirm_url": absolute_url(reverse("alerts:confirm", kwargs=token)),
        "manage_url": absolute_url(reverse("alerts:manage", kwargs=token)),
        "unsubscribe_url": absolute_url(reverse("alerts:unsubscribe", kwargs=token)),
    }


def compose(
    template: str, subject: str, subscriber: Subscriber, context: dict, headers=None
) -> EmailMultiAlternatives:
    """Render alerts/email/<template>.txt and .html into one message to the subscriber."""
    context = {
        "site_name": site.name(),
        "site_url": absolute_url("/"),
        "subscriber": subscriber,
        **subscriber_links(subscriber),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string(f"alerts/email/{template}.txt", context),
        from_email=settings.ALERTS_FROM_EMAIL,
        to=[subscriber.email],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"alerts/email/{template}.html", context), "text/html"
    )
    return message


def list_headers(subscriber: Subscriber, delivery: Delivery) -> dict[str, str]:
    unsubscribe_url = subscriber_links(subscriber)["unsubscribe_url"]
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<alerts.{mail_domain()}>",
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<{delivery.message_id}@{mail_domain()}>",
    }


def release_context(release: Release) -> dict:
    return {
        "release": release,
        "release_url": absolute_url(release.get_absolute_url()),
        "contacts": [link.contact for link in release.release_contacts.all()],
    }


def alert_message(
    release: Release, subscriber: Subscriber, delivery: Delivery
) -> EmailMultiAlternatives:
    """One new release: title, lead, link and press contacts."""
    with translation.override(language_of(subscriber)):
        subject = _("%(issuer)s: %(title)s") % {
            "issuer": release.issuer.display_short_name,
            "title": release.title,
        }
        return compose(
            "alert",
            subject,
            subscriber,
            release_context(release),
            list_headers(subscriber, delivery),
        )


def digest_message(
    day: date,
    releases: Sequence[Release],
    subscriber: Subscriber,
    delivery: Delivery,
    appointment_items: Sequence = (),
) -> EmailMultiAlternatives:
    """The day's releases that the subscriber's choices cover, oldest first, then the
    appointments announced or changed that day (`recipients.AppointmentItem`s)."""
    with translation.override(language_of(subscriber)):
        day_label = formats.date_format(day, "SHORT_DATE_FORMAT")
        if releases:
            subject = _("Press releases of %(date)s") % {"date": day_label}
        else:
            subject = _("Press appointments of %(date)s") % {"date": day_label}
        items = [(release, absolute_url(release.get_absolute_url())) for release in releases]
        appointments = [
            appointment_context(item.appointment, item.event) for item in appointment_items
        ]
        return compose(
            "digest",
            subject,
            subscriber,
            {"day": day, "day_label": day_label, "items": items, "appointments": appointments},
            list_headers(subscriber, delivery),
        )


def change_text(appointment: Appointment, event: AppointmentEvent | None) -> str:
    """What changed, as the public notice says it ("" for a new appointment)."""
    if event is None:
        return ""
    if event.action == "cancel":
        return _("Cancelled: %(reason)s") % {"reason": event.comment}
    # Each change of plan writes its public notice at the second of its event.
    notice = next(
        (n for n in appointment.notices.all() if n.created_at == event.created_at), None
    )
    return notice.note if notice else event.comment


def appointment_context(appointment: Appointment, event: AppointmentEvent | None) -> dict:
    start = timezone.localtime(appointment.starts_at)
    return {
        "appointment": appointment,
        "appointment_url": absolute_url(appointment.get_absolute_url()),
        "when": formats.date_format(
            start, "DATE_FORMAT" if appointment.all_day else "DATETIME_FORMAT"
        ),
        "change": change_text(appointment, event),
    }


def appointment_message(
    appointment: Appointment,
    event: AppointmentEvent | None,
    subscriber: Subscriber,
    delivery: Delivery,
) -> EmailMultiAlternatives:
    """A new appointment (`event` None), or a public change of one: when, where, what changed."""
    with translation.override(language_of(subscriber)):
        context = appointment_context(appointment, event)
        if event is None:
            subject = _("Appointment: %(title)s") % {"title": appointment.title}
        elif event.action == "cancel":
            subject = _("Cancelled: %(title)s") % {"title": appointment.title}
        else:
            subject = _("Change of plan: %(title)s") % {"title": appointment.title}
        context["contacts"] = list(appointment.contacts.all())
        return compose(
            "appointment", subject, subscriber, context, list_headers(subscriber, delivery)
        )


def notice_message(
    kind: str, event: ReleaseEvent, release: Release, subscriber: Subscriber, delivery: Delivery
) -> EmailMultiAlternatives:
    """A correction or a withdrawal of a release the subscriber was sent."""
    with translation.override(language_of(subscriber)):
        if kind == Kind.WITHDRAWAL:
            subject = _("Withdrawn: %(title)s") % {"title": release.title}
        else:
            subject = _("Correction: %(title)s") % {"title": release.title}
        return compose(
            "notice",
            subject,
            subscriber,
            {**release_context(release), "event": event, "withdrawn": kind == Kind.WITHDRAWAL},
            list_headers(subscriber, delivery),
        )


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    """The only mail an unconfirmed address is ever sent: the link that confirms it."""
    with translation.override(language_of(subscriber)):
        return compose(
            "confirm",
            _("Please confirm your e-mail alerts"),
            subscriber,
            {
                "topics": list(subscriber.topics.all()),
                "issuers": list(subscriber.issuers.all()),
                "hours": settings.ALERTS_CONFIRMATION_HOURS,
            },
        )


def reminder_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    """For a confirmed address that filled in the form again: the link to its settings."""
    with translation.override(language_of(subscriber)):
        return compose("reminder", _("Your e-mail alerts"), subscriber, {})
