"""Accreditation: applying (with double opt-in of the e-mail, as for alerts), confirming within
the capacity or onto the waiting list, the leads' decisions, and the door list.

Places are counted under a lock on the appointment's row, so two confirmations at the same
moment never take the last place twice.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.ratelimit import allow_per_client_hour

from .models import Accreditation, ApplicationStatus, Appointment

# Raise when the consent text on the form changes materially.
CONSENT_TEXT = _(
    "I agree that the press office processes my details to decide on my accreditation and to "
    "admit me; they are deleted after the appointment."
)


def allow_submission(request) -> bool:
    """At most ALERTS_FORM_LIMIT_PER_HOUR applications an hour from one client."""
    return allow_per_client_hour("accreditation", request, settings.ALERTS_FORM_LIMIT_PER_HOUR)


def apply(appointment: Appointment, data: dict) -> Accreditation:
    """Record an unconfirmed application and send the confirmation mail on commit."""
    from .tasks import send_confirmation_mail

    if not appointment.accreditation_open:
        raise ValidationError(_("Applications for this appointment are closed."), code="closed")
    with transaction.atomic():
        application = Accreditation.objects.create(
            appointment=appointment, consent_text=str(CONSENT_TEXT), **data
        )
        transaction.on_commit(lambda: send_confirmation_mail.enqueue(application.pk))
    return application


def confirm(application: Accreditation) -> Accreditation:
    """The double opt-in: the application now counts, for a place or on the waiting list."""
    if application.is_confirmed:
        return application
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=application.appointment_id)
        if not appointment.accreditation_open:
            raise ValidationError(
                _("The deadline for applications has passed."), code="closed"
            )
        status = (
            ApplicationStatus.WAITING_LIST if appointment.is_full else ApplicationStatus.PENDING
        )
        Accreditation.objects.filter(pk=application.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), status=status
        )
    application.refresh_from_db()
    return application


def decide(application: Accreditation, decision: str, user, message: str = "") -> Accreditation:
    """Accept or decline; accepting never goes beyond the places. The applicant is mailed."""
    from .tasks import send_decision_mail

    if decision not in {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED}:
        raise ValidationError(_("Accept or decline."), code="invalid")
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=application.appointment_id)
        application = Accreditation.objects.select_for_update().get(pk=application.pk)
        if not application.is_confirmed:
            raise ValidationError(_("The applicant has not confirmed the address."), code="unc")
        if decision == ApplicationStatus.ACCEPTED and appointment.capacity is not None:
            accepted = appointment.accreditations.filter(status=ApplicationStatus.ACCEPTED)
            if accepted.exclude(pk=application.pk).count() >= appointment.capacity:
                raise ValidationError(
                    _("All %(places)s places are taken: decline someone first."),
                    code="full",
                    params={"places": appointment.capacity},
                )
        application.status = decision
        application.decided_at = timezone.now()
        application.decided_by = user
        application.decision_message = message.strip()
        application.save()
        transaction.on_commit(lambda: send_decision_mail.enqueue(application.pk))
    return application


def door_list(appointment: Appointment):
    return appointment.accreditations.filter(status=ApplicationStatus.ACCEPTED).order_by(
        "outlet", "name"
    )
