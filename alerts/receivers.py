"""What the alerts app does when releases tell it something (connected in `apps.py`).

Each receiver records a mailing first, then starts it on commit: the mailing row is the durable
note that something is to be sent, which `manage.py send_alerts` finds again should the task
be lost.
"""

from django.db import transaction

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
