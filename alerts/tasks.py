"""The alerts' tasks: list a mailing's recipients and spread its sending over batch tasks; send
the day's digests; mail the confirmation (or the management link) asked for on the form.

Each task is safe to run twice: deliveries are recorded once and claimed before they are sent
(see `sending.py`), so a repeated or resumed task sends only what was not sent.
"""

from datetime import date

from django_tasks import task

from . import emails, sending
from .models import Mailing, Subscriber


@task()
def start_mailing(mailing_id: int) -> int:
    """List the recipients (once) and enqueue one batch task per ALERTS_BATCH_SIZE of them."""
    mailing = Mailing.objects.get(pk=mailing_id)
    sending.list_recipients(mailing)
    batches = sending.batches_due(mailing)
    for _ in range(batches):
        send_batch.enqueue(mailing_id)
    if not batches:
        sending.finish_if_done(mailing)
    return batches


@task()
def send_batch(mailing_id: int) -> int:
    """Send one batch of the mailing; returns how many mails the server accepted."""
    return sending.send_batch(Mailing.objects.get(pk=mailing_id)).sent


@task()
def send_digests(day: str | None = None) -> int:
    """Start the digest of `day` (ISO date, Berlin time; default yesterday) for the daily
    subscribers; returns the mailing's id. Starting it again adds nothing."""
    mailing = sending.digest_mailing(date.fromisoformat(day) if day else sending.yesterday())
    start_mailing.enqueue(mailing.pk)
    return mailing.pk


@task()
def send_request_mail(subscriber_id: int) -> bool:
    """The mail asked for on the form: the confirmation link, or, for an address that is
    already confirmed, the link to its management page."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    if subscriber.is_confirmed:
        message = emails.reminder_message(subscriber)
    else:
        message = emails.confirmation_message(subscriber)
    return bool(message.send())
