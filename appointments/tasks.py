"""Side effects of the appointments' workflow and of accreditation, run as tasks: e-mail to the
people a transition concerns, to the applicants after a change of plan, the double opt-in mail,
the decision mail, and the deletion of personal data after the appointment; and the go-live task,
which tells the alerts app (through `signals.py`) at the publication second."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from contacts.offices import members

from .signals import appointment_changed, appointment_went_live

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.NEWSROOM_BASE_URL.rstrip("/") + path


def schedule_go_live(event) -> None:
    """Run the go-live side effects at the publication second, on a worker (or at once if due).

    Without a backend that defers (the immediate one), `manage.py publish_due` catches it after
    its second.
    """
    go_live_at = event.appointment.go_live_at
    if go_live_at <= timezone.now():
        run_go_live.enqueue(event.appointment_id)
    elif default_task_backend.supports_defer:
        run_go_live.using(run_after=go_live_at).enqueue(event.appointment_id)


def tell_subscribers(event) -> None:
    """A public change (correction, postponement, move, cancellation): the alerts app listens."""
    from .models import Appointment

    appointment_changed.send(sender=Appointment, event=event)


FOLLOW_UPS = {
    "notify": lambda event: notify.enqueue(event.pk),
    "tell_applicants": lambda event: tell_applicants.enqueue(event.pk),
    "go_live": schedule_go_live,
    "tell_subscribers": tell_subscribers,
}


def follow_up(event_id: int, names: tuple[str, ...]) -> None:
    """Called on commit of a transition: run or enqueue what the transition table names."""
    from .models import AppointmentEvent

    event = AppointmentEvent.objects.select_related("appointment").get(pk=event_id)
    for name in names:
        FOLLOW_UPS[name](event)


@task()
def notify(event_id: int) -> int:
    """Mail the leads of a submission, the author of anything else; returns how many."""
    from .models import AppointmentEvent

    event = AppointmentEvent.objects.select_related(
        "appointment__created_by", "appointment__issuer"
    ).get(pk=event_id)
    appointment = event.appointment
    if event.action == "submit":
        # The leads who may approve it: its office's (and its parent's where that reviews it).
        people = members(appointment.issuer, "appointments.approve_appointment")
    else:
        people = [appointment.created_by] if appointment.created_by else []
    recipients = sorted({p.email for p in people if p.email and p.pk != event.actor_id})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        link = absolute(reverse("admin:appointments_appointment_change", args=[appointment.pk]))
        subject = f"{event.get_action_display()}: {appointment.title}"
        body = f"{event.get_action_display()}\n\n{event.comment}\n\n{appointment.title}\n{link}\n"
    send_mail(subject, body, None, recipients)
    return len(recipients)


@task()
def run_go_live(appointment_id: int) -> bool:
    """Run the side effects of an appointment going live, once (claimed by a conditional
    update, like `releases.tasks.run_go_live`). Returns whether this call ran them."""
    from .models import Appointment

    claimed = (
        Appointment.objects.live()
        .filter(pk=appointment_id, go_live_handled_at__isnull=True)
        .update(go_live_handled_at=timezone.now())
    )
    if not claimed:
        return False
    appointment = Appointment.objects.get(pk=appointment_id)
    logger.info("Appointment %s is live; running its side effects.", appointment.pk)
    # E-mail alerts to subscribers (the alerts app listens); sent once, as the claim is.
    appointment_went_live.send(sender=Appointment, appointment=appointment)
    return True


@task()
def tell_applicants(event_id: int) -> int:
    """After a change of plan, mail every confirmed applicant who was not declined, once per
    address (one person may have applied twice). A subscriber who also follows the appointment
    gets only this mail: the alerts app leaves applicants out of its change mailing."""
    from .models import AppointmentEvent

    event = AppointmentEvent.objects.select_related("appointment").get(pk=event_id)
    appointment = event.appointment
    addresses = {}
    for email in appointment.accreditations.told_of_changes().values_list("email", flat=True):
        addresses.setdefault(email.lower(), email)
    with translation.override(settings.LANGUAGE_CODE):
        notice = appointment.notices.last()
        if appointment.is_cancelled:
            subject = _("Cancelled: %(title)s") % {"title": appointment.title}
            what = _("The appointment is cancelled: %(reason)s") % {
                "reason": appointment.cancellation_reason
            }
        else:
            subject = _("Change of plan: %(title)s") % {"title": appointment.title}
            what = notice.note if notice else ""
        applied = _("You applied for accreditation for this appointment.")
        link = absolute(appointment.get_absolute_url())
        body = f"{what}\n\n{appointment.title}\n{link}\n\n{applied}\n"
    for email in addresses.values():
        send_mail(subject, body, None, [email])
    return len(addresses)


@task()
def send_confirmation_mail(accreditation_id: int) -> bool:
    """The double opt-in: the only mail an unconfirmed address gets."""
    from .models import Accreditation

    application = Accreditation.objects.select_related("appointment").filter(
        pk=accreditation_id, confirmed_at__isnull=True
    ).first()
    if application is None:
        return False
    link = absolute(reverse("appointments:confirm", kwargs={"token": application.token}))
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Please confirm your application for accreditation for “%(title)s” by opening this "
            "link and pressing the button (valid %(hours)s hours):\n\n%(link)s\n\n"
            "If you did not apply, ignore this mail; your data is then deleted."
        ) % {
            "title": application.appointment.title,
            "hours": settings.ALERTS_CONFIRMATION_HOURS,
            "link": link,
        }
        send_mail(_("Please confirm your application"), body, None, [application.email])
    return True


@task()
def send_decision_mail(accreditation_id: int) -> bool:
    from .models import Accreditation, ApplicationStatus

    application = Accreditation.objects.select_related("appointment").get(pk=accreditation_id)
    appointment = application.appointment
    with translation.override(settings.LANGUAGE_CODE):
        if application.status == ApplicationStatus.ACCEPTED:
            subject = _("Accreditation accepted: %(title)s") % {"title": appointment.title}
        else:
            subject = _("Accreditation declined: %(title)s") % {"title": appointment.title}
        body = (
            f"{application.decision_message}\n\n{appointment.title}\n"
            f"{absolute(appointment.get_absolute_url())}\n"
        )
    send_mail(subject, body.lstrip(), None, [application.email])
    return True


def purge_personal_data(now=None, dry_run: bool = False) -> int:
    """Delete applications whose appointment ended `retention_days` ago, and unconfirmed ones
    past the confirmation window; returns how many."""
    from .models import Accreditation, Appointment

    now = now or timezone.now()
    # Few appointments have applications: the retention of each is read in Python.
    with_applications = Appointment.objects.filter(accreditations__isnull=False).distinct()
    over = [a.pk for a in with_applications if a.personal_data_deleted_on <= now]
    due = Accreditation.objects.filter(appointment__in=over)
    expired = Accreditation.objects.unconfirmed_expired(now)
    ids = set(due.values_list("pk", flat=True)) | set(expired.values_list("pk", flat=True))
    if not dry_run and ids:
        Accreditation.objects.filter(pk__in=ids).delete()
        logger.info("Appointments: deleted %s accreditation applications.", len(ids))
    return len(ids)


@task()
def purge_accreditations() -> int:
    """The task form of `manage.py purge_accreditations`, for a scheduler."""
    return purge_personal_data()
