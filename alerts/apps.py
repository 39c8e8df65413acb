from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self):
        # `releases` never imports this app: it sends signals, and we listen.
        from releases.signals import release_changed, release_went_live

        from . import receivers

        release_went_live.connect(receivers.alert_subscribers, dispatch_uid="alerts.went_live")
        release_changed.connect(receivers.notify_recipients, dispatch_uid="alerts.changed")

        # Nor does `appointments`.
        from appointments.signals import appointment_changed, appointment_went_live

        appointment_went_live.connect(
            receivers.alert_appointment, dispatch_uid="alerts.appointment_went_live"
        )
        appointment_changed.connect(
            receivers.appointment_changed, dispatch_uid="alerts.appointment_changed"
        )
