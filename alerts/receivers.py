"""What the alerts app does when releases or appointments tell it something (connected in
`apps.py`).

Each receiver records a mailing first, then starts it on commit: the mailing row is the durable
note that something is to be sent, which `manage.py send_alerts` finds again should the task
be lost.
"""

from django.db import transaction

from appointments.models import Appointment, AppointmentEvent
from releases.models import Release, ReleaseEvent

from .models import Kind, Mailing

NOTICE_KINDS = {"correct": Kind.CORRECTION, "withdraw": Kind.WITHDRAWAL}


def start_on_commit(mailing: Mailing) -> None:
    from .tasks import start_mailing

    transaction.on_commit(lambda: start_mailing.enqueue(mailing.pk))


def alert_subscribers(sender, release: Release, **kwargs) -> None:
    """The release went live (sent once per release): alert the immediate subscribers."""
    mailing, created = Mailing.objects.get_or_create(kind=Kind.ALERT, release=release)
    if created:
        start_on_commit(mailing)


def notify_recipients(sender, event: ReleaseEvent, **kwargs) -> None:
    """A correction or withdrawal: tell those who were sent the release, if the lead asked."""
    kind = NOTICE_KINDS.get(event.action)
    if kind is None or not event.notify_subscribers:
        return
    mailing, created = Mailing.objects.get_or_create(
        kind=kind, event=event, defaults={"release_id": event.release_id}
    )
    if created:
        start_on_commit(mailing)


def alert_appointment(sender, appointment: Appointment, **kwargs) -> None:
    """An appointment went live (sent once): alert the immediate subscribers who follow
    appointments; the daily ones find it in their digest."""
    mailing, created = Mailing.objects.get_or_create(
        kind=Kind.APPOINTMENT, appointment=appointment
    )
    if created:
        start_on_commit(mailing)


def appointment_changed(sender, event: AppointmentEvent, **kwargs) -> None:
    """A live appointment was corrected, postponed, moved or cancelled: tell its followers."""
    mailing, created = Mailing.objects.get_or_create(
        kind=Kind.APPOINTMENT_CHANGE,
        appointment_event=event,
        defaults={"appointment_id": event.appointment_id},
    )
    if created:
        start_on_commit(mailing)
