"""RSS 2.0 and Atom 1.0 feeds of press appointments (all, per issuer, per topic), beside the
iCalendar ones: the newest announced first, each entry updated by every public change, so that a
postponement or cancellation reaches feed readers as an updated entry with its notice."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from newsroom.feeds import FeedLink, NewsroomFeed, both_formats, portal_wide
from newsroom.richtext import strip_control_characters

from . import calendar
from .models import Appointment, State, Status


def feed_title(issuer=None, topic=None) -> str:
    """An issuer's feed carries the office's name; the others, across offices, the portal's."""
    if issuer is not None:
        return _("Press appointments – %(issuer)s") % {
            "issuer": strip_control_characters(issuer.name)
        }
    if topic is not None:
        return portal_wide(
            _("Appointments: %(name)s") % {"name": strip_control_characters(topic.name)}
        )
    return portal_wide(_("Press appointments"))


def feed_links(issuer=None, topic=None) -> list[FeedLink]:
    """The RSS and Atom feeds of one scope: all appointments, an issuer's or a topic's."""
    if issuer is not None:
        kwargs, name = {"issuer": issuer.slug}, "appointments_issuer"
    elif topic is not None:
        kwargs, name = {"topic": topic.slug}, "appointments_topic"
    else:
        kwargs, name = {}, "appointments"
    return both_formats(
        feed_title(issuer, topic),
        reverse(f"feeds:{name}_rss", kwargs=kwargs),
        reverse(f"feeds:{name}_atom", kwargs=kwargs),
    )


class AppointmentFeed(NewsroomFeed):
    """The newest public appointments (cancelled ones stay, marked), newest announced first."""

    def link(self, obj):
        return reverse("appointments:list")

    def in_scope(self, appointments, obj):
        return appointments

    def title(self, obj):
        return feed_title()

    def description(self, obj):
        return _("The newest press appointments, with every change of plan.")

    def shown(self, obj):
        return self.in_scope(Appointment.objects.reachable(), obj).order_by(
            "-first_published_at", "-pk"
        )[: settings.NEWSROOM_FEED_ITEMS]

    def items(self, obj):
        return self.shown(obj).select_related("issuer").prefetch_related("notices", "topics")

    def feed_state(self, obj):
        # One small query over the shown entries: any public change (an edit, a postponement,
        # a cancellation, a new entry or one going out of view) changes a row here.
        rows = list(
            self.shown(obj).values_list(
                "pk", "version", "sequence", "state", "status", "updated_at", "go_live_at"
            )
        )
        times = [moment for row in rows for moment in row[5:] if moment]
        return {"rows": repr(rows), "latest": max(times, default=None)}

    def item_title(self, appointment):
        when = formats.date_format(timezone.localtime(appointment.starts_at), "SHORT_DATE_FORMAT")
        prefix = {
            State.CANCELLED: _("Cancelled"),
            Status.POSTPONED: _("Postponed"),
            Status.MOVED: _("Moved"),
        }.get(appointment.state if appointment.is_cancelled else appointment.status)
        title = f"{when}: {appointment.title}"
        return f"{prefix}: {title}" if prefix else title

    def item_link(self, appointment):
        return appointment.get_absolute_url()

    def item_guid(self, appointment):
        return f"urn:uuid:{appointment.uuid}"

    def item_description(self, appointment):
        return render_to_string(
            "appointments/feed_item.html",
            {
                "appointment": appointment,
                "when": formats.date_format(
                    timezone.localtime(appointment.starts_at),
                    "DATE_FORMAT" if appointment.all_day else "DATETIME_FORMAT",
                ),
            },
        )

    def item_pubdate(self, appointment):
        return appointment.first_published_at

    def item_updateddate(self, appointment):
        return calendar.last_change(appointment)

    def item_author_name(self, appointment):
        return strip_control_characters(appointment.issuer.name)

    def item_categories(self, appointment):
        return [strip_control_characters(topic.name) for topic in appointment.topics.all()]


class IssuerAppointmentFeed(AppointmentFeed):
    def get_object(self, request, issuer):
        from .views import public_issuers

        return public_issuers().get(slug=issuer)

    def in_scope(self, appointments, issuer):
        return appointments.filter(issuer=issuer)

    def title(self, issuer):
        return feed_title(issuer=issuer)

    def description(self, issuer):
        return _("The newest press appointments of %(name)s.") % {
            "name": strip_control_characters(issuer.name)
        }


class TopicAppointmentFeed(AppointmentFeed):
    def get_object(self, request, topic):
        from .views import public_topics

        return public_topics().get(slug=topic)

    def in_scope(self, appointments, topic):
        return appointments.filter(topics=topic)

    def title(self, topic):
        return feed_title(topic=topic)

    def description(self, topic):
        return _("The newest press appointments on %(name)s.") % {
            "name": strip_control_characters(topic.name)
        }
