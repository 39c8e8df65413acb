"""iCalendar (RFC 5545) for appointments: one event, or a feed of many, in Europe/Berlin with its
VTIMEZONE. UIDs are stable (the appointment's UUID), SEQUENCE counts public changes, and a
cancelled appointment stays in the feed with STATUS:CANCELLED, so calendars remove it."""

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from .models import Appointment

BERLIN = ZoneInfo("Europe/Berlin")
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Past appointments stay in the feeds a while, so that a calendar keeps its history.
FEED_DAYS_BACK = 90


def uid(appointment: Appointment) -> str:
    host = settings.NEWSROOM_BASE_URL.split("//")[-1].split("/")[0].split(":")[0]
    return f"{appointment.uuid}@{host}"


def absolute(path: str) -> str:
    return settings.NEWSROOM_BASE_URL.rstrip("/") + path


def as_event(appointment: Appointment) -> Event:
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", last_change(appointment))
    event.add("last-modified", last_change(appointment))
    event.add("sequence", appointment.sequence)
    event.add("summary", appointment.title)
    start = timezone.localtime(appointment.starts_at, BERLIN)
    if appointment.all_day:
        end = timezone.localtime(appointment.ends_at or appointment.starts_at, BERLIN)
        event.add("dtstart", start.date())
        event.add("dtend", end.date() + timedelta(days=1))  # DTEND of a date is exclusive
    else:
        event.add("dtstart", start)
        if appointment.ends_at:
            event.add("dtend", timezone.localtime(appointment.ends_at, BERLIN))
    if appointment.place:
        event.add("location", appointment.place)
    notes = [note.note for note in appointment.notices.all()]
    if appointment.is_cancelled:
        notes.append(appointment.cancellation_reason)
    text = "\n\n".join([*notes, strip_tags(appointment.description).strip()])
    if text.strip():
        event.add("description", text.strip())
    event.add("url", absolute(appointment.get_absolute_url()))
    event.add("status", "CANCELLED" if appointment.is_cancelled else "CONFIRMED")
    event.add(
        "organizer",
        f"mailto:{appointment.issuer.press_email or 'presse@localhost'}",
        parameters={"cn": appointment.issuer.name},
    )
    return event


def last_change(appointment: Appointment):
    """When the public last saw a change: an edit, a transition (they set updated_at too)."""
    return max(filter(None, [appointment.updated_at, appointment.go_live_at]))


def calendar(appointments, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Newsroom//Appointments//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    for appointment in appointments:
        cal.add_component(as_event(appointment))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_queryset(queryset=None):
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    queryset = Appointment.objects.all() if queryset is None else queryset
    return (
        queryset.reachable()
        .filter(starts_at__gte=since)
        .select_related("issuer")
        .prefetch_related("notices")
        .order_by("starts_at", "pk")
    )


def etag(queryset) -> str:
    """Changes with any public change of any appointment in the feed (one small query)."""
    rows = feed_queryset(queryset).values_list("pk", "version", "sequence", "state", "status")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]


def last_modified(queryset):
    found = feed_queryset(queryset).aggregate(updated=Max("updated_at"), live=Max("go_live_at"))
    return max(filter(None, found.values()), default=None)
