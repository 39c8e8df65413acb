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


def public_images_of_photo():
    from .models import AppointmentImage, reachable_condition

    return AppointmentImage.objects.filter(
        reachable_condition("appointment__"), photo=OuterRef("pk")
    )


def public_appointments_showing(photo):
    """The photo's page lists the public appointments that show it."""
    from django.utils.translation import gettext as _

    from newsroom.translations import source_lang_attribute
    from photos.models import Appearance

    from .models import Appointment

    appointments = Appointment.objects.reachable().filter(images__photo=photo)
    return [
        Appearance(
            _("Appointment"),
            each.title,
            each.get_absolute_url(),
            each.starts_at,
            source_lang_attribute(),  # appointments are written in German only
        )
        for each in appointments.order_by("-starts_at")
    ]


def appointments_due_for_go_live():
    """Live appointments whose go-live side effects (alerts) have not run yet."""
    from .models import Appointment

    return Appointment.objects.live().filter(go_live_handled_at__isnull=True)


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

        # A photo is public while a public appointment (live, or cancelled after having been
        # public: its page stays) shows it; its page lists them.
        from photos.models import register_public_pages, register_public_use

        register_public_use("appointments", public_images_of_photo)
        register_public_pages("appointments", public_appointments_showing)

        # Press offices: an appointment and all that hangs on it belong to its issuer's office.
        from contacts import offices

        from .models import (
            Accreditation,
            Appointment,
            AppointmentEvent,
            AppointmentImage,
            AppointmentRevision,
            Notice,
        )

        offices.register(Appointment, "issuer")
        for model in (
            Accreditation,
            AppointmentEvent,
            AppointmentImage,
            AppointmentRevision,
            Notice,
        ):
            offices.register(model, "appointment__issuer")

        # The page cache must not keep a page past an appointment's publication second either,
        # and `publish_due` catches up on their side effects too.
        from newsroom.go_live import GoLiveSource, register_go_live_source

        from .models import next_go_live
        from .tasks import run_go_live

        register_go_live_source(
            GoLiveSource(
                "appointment",
                next_go_live,
                due=appointments_due_for_go_live,
                run_go_live=run_go_live,
            )
        )
        # At midnight yesterday's appointments leave the upcoming ones on every page.
        from newsroom.go_live import register_page_change

        from .views import next_day

        register_page_change("appointment days", next_day)

        from newsroom.sitemaps import register_sitemaps

        from .sitemaps import AppointmentSitemap

        register_sitemaps(appointments=AppointmentSitemap, pages=["appointments:list"])

        # `manage.py demo` (a releases command) adds our demo appointments through its registry.
        from releases import demo

        from . import demo as appointments_demo

        demo.contribute(appointments_demo.load)

        # The home page and the feeds page show appointments; `releases` does not import us.
        from releases import sections

        from .views import all_feeds, home_section, next_day, upcoming_of

        sections.add(sections.HOME, "includes/section_html.html", lambda: {"html": home_section()})
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
