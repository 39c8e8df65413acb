from django.apps import AppConfig
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _


def reachable_appointments_of_issuer():
    from .models import Appointment

    return Appointment.objects.reachable().filter(issuer=OuterRef("pk"))


def reachable_appointments_on_topic():
    from .models import Appointment, reachable_condition

    return Appointment.topics.through.objects.filter(
        reachable_condition("appointment__"), topic=OuterRef("pk")
    )


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Press appointments")

    def ready(self):
        # A public appointment makes its issuer and its topics public (named on pages, feeds,
        # the alerts form), as a live release does; neither app imports us.
        from contacts.models import register_public_content
        from releases.models import register_public_topic_content

        register_public_content(reachable_appointments_of_issuer)
        register_public_topic_content(reachable_appointments_on_topic)

        # The page cache must not keep a page past an appointment's publication second either.
        from newsroom.cache import register_go_live_source

        from .models import next_go_live

        register_go_live_source(next_go_live)

        # `manage.py demo` (a releases command) adds our demo appointments through its registry.
        from releases import demo

        from . import demo as appointments_demo

        demo.contribute(appointments_demo.load)

        # The home page and the feeds page show appointments; `releases` does not import us.
        from releases import sections

        from .views import all_feeds, next_appointments, upcoming_of

        sections.add(
            sections.HOME,
            "appointments/home_section.html",
            lambda: {"appointments": next_appointments()},
        )
        sections.add(
            sections.FEEDS_PAGE,
            "appointments/feeds_section.html",
            lambda absolute: {"appointment_feeds": all_feeds(absolute)},
        )
        sections.add(
            sections.TOPIC_PAGE,
            "appointments/scope_section.html",
            lambda topic: upcoming_of(topic=topic),
        )
        sections.add(
            sections.ISSUER_PAGE,
            "appointments/scope_section.html",
            lambda issuer: upcoming_of(issuer=issuer),
        )
