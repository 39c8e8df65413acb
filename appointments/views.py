"""Public appointment pages, calendar files and feeds, and the accreditation form.

Every public query starts from `Appointment.objects.reachable()` (live, or cancelled after
having been public). The form and the confirmation pages are never cached.
"""

import datetime
import json
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import router
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_http_methods

from contacts.models import Organisation
from newsroom.cache import code_version, kept_in_generation
from newsroom.feeds import FeedLink
from newsroom.secret_links import private
from photos.gallery import gallery, photos_of, with_photos
from releases.models import Release, Topic
from releases.views import JSON_ESCAPES, paginate

from . import accreditation, calendar, feeds
from .forms import ApplicationForm
from .models import Accreditation, Appointment, AppointmentImage, State

HOME_COUNT = 5
LIST_QUERY = ["herausgeber", "thema", "seite"]


def public_issuers():
    return Organisation.objects.filter(appointments__in=Appointment.objects.reachable()).distinct()


def public_topics():
    return Topic.objects.filter(appointments__in=Appointment.objects.reachable()).distinct()


def _filtered(request, queryset):
    """Filter by ?herausgeber=<slug>&thema=<slug>; an unknown value is a 404, not a 500."""
    chosen = {}
    issuer_slug, topic_slug = request.GET.get("herausgeber"), request.GET.get("thema")
    # Not a slug (a NUL byte, which PostgreSQL refuses in a query): nothing can match.
    chosen_slugs = (issuer_slug, topic_slug)
    if any(value and not validate_slug.regex.fullmatch(value) for value in chosen_slugs):
        raise Http404("No such filter.")
    if issuer_slug:
        chosen["issuer"] = get_object_or_404(public_issuers(), slug=issuer_slug)
        queryset = queryset.filter(issuer=chosen["issuer"])
    if topic_slug:
        chosen["topic"] = get_object_or_404(public_topics(), slug=topic_slug)
        queryset = queryset.filter(topics=chosen["topic"])
    return queryset, chosen


def next_appointments(count=HOME_COUNT):
    """For the home page: the next public appointments."""
    return list(Appointment.objects.reachable().upcoming().select_related("issuer")[:count])


def home_section() -> str:
    """The home page's next appointments, rendered once per content generation and language: a
    change of an appointment purges every key (appointments declare none), and a go-live second
    or a new day (`next_day`) starts a new generation."""
    return kept_in_generation(
        f"newsroom:home-appointments:{get_language()}:{code_version()}",
        lambda: render_to_string(
            "appointments/home_section.html", {"appointments": next_appointments()}
        ),
    )


def next_day() -> datetime.datetime:
    """The coming local midnight (also on the days the clocks change): yesterday's appointments
    leave the upcoming ones."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def upcoming_of(*, issuer=None, topic=None, count=HOME_COUNT) -> dict:
    """For the issuer and topic pages: their next public appointments, and where to see all."""
    appointments = Appointment.objects.reachable().upcoming().select_related("issuer")
    if issuer is not None:
        appointments, query = appointments.filter(issuer=issuer), {"herausgeber": issuer.slug}
    else:
        appointments, query = appointments.filter(topics=topic), {"thema": topic.slug}
    return {
        "appointments": list(appointments[:count]),
        "list_url": reverse("appointments:list") + "?" + urlencode(query),
        "calendar": calendar_links(issuer=issuer, topic=topic)[0],
    }


def appointment_list(request):
    queryset, chosen = _filtered(
        request, Appointment.objects.reachable().upcoming().select_related("issuer")
    )
    days = [
        (day, list(items))
        for day, items in groupby(queryset, key=lambda a: timezone.localtime(a.starts_at).date())
    ]
    return render(
        request,
        "appointments/appointment_list.html",
        {
            "days": days,
            "issuers": public_issuers(),
            "topics": public_topics(),
            "chosen": chosen,
            "feed_links": feed_links(**chosen),
        },
    )


def appointment_archive(request):
    queryset, chosen = _filtered(
        request, Appointment.objects.reachable().past().select_related("issuer")
    )
    return render(
        request,
        "appointments/appointment_archive.html",
        {"page": paginate(request, queryset), "chosen": chosen},
    )


def with_page_relations(appointments):
    """What the appointment page shows beside the appointment (linked releases: live ones)."""
    return appointments.select_related("issuer").prefetch_related(
        "notices",
        "topics",
        "contacts",
        Prefetch("releases", queryset=Release.objects.live().newest_first()),
        Prefetch("images", queryset=with_photos(AppointmentImage.objects.all())),
    )


def _public_appointment(slug):
    return get_object_or_404(with_page_relations(Appointment.objects.reachable()), slug=slug)


def map_url(appointment) -> str | None:
    """An OpenStreetMap search for the address: a link, no third-party embed."""
    query = appointment.address or appointment.venue
    if not query:
        return None
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


def event_json_ld(request, appointment) -> str:
    """schema.org Event as JSON-LD, safe inside a <script> element."""
    status = {
        "cancelled": "https://schema.org/EventCancelled",
        "postponed": "https://schema.org/EventRescheduled",
        "moved": "https://schema.org/EventMovedOnline"
        if appointment.online_url and not appointment.address
        else "https://schema.org/EventRescheduled",
    }
    key = "cancelled" if appointment.is_cancelled else appointment.status
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": appointment.title,
        "startDate": timezone.localtime(appointment.starts_at).isoformat(),
        "eventStatus": status.get(key, "https://schema.org/EventScheduled"),
        "url": request.build_absolute_uri(appointment.get_absolute_url()),
        "organizer": {"@type": "Organization", "name": appointment.issuer.name},
        "description": strip_tags(appointment.description).strip(),
    }
    if appointment.ends_at:
        data["endDate"] = timezone.localtime(appointment.ends_at).isoformat()
    if appointment.place:
        data["location"] = {
            "@type": "Place",
            "name": appointment.venue or appointment.place,
            "address": appointment.address,
        }
    elif appointment.online_url:
        data["location"] = {"@type": "VirtualLocation", "url": appointment.online_url}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308


def render_appointment(request, appointment, *, preview: bool = False):
    """The appointment page; as a staff `preview` (whatever the state) never cached, never
    indexed, and marked as a preview."""
    if preview:
        appointment = with_page_relations(Appointment.objects.filter(pk=appointment.pk)).get()
    response = render(
        request,
        "appointments/appointment_detail.html",
        {
            "appointment": appointment,
            "preview": preview,
            "map_url": map_url(appointment),
            "json_ld": event_json_ld(request, appointment),
            "feed_links": feed_links(issuer=appointment.issuer),
            "accreditation_full": appointment.accreditation_open and appointment.is_full,
            # Its photos are public with the page; a staff preview links no photo page yet.
            "gallery": gallery(photos_of(appointment.images.all()), linked=not preview),
        },
    )
    if preview:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def appointment_detail(request, slug):
    return render_appointment(request, _public_appointment(slug))


def appointment_ics(request, slug):
    appointment = _public_appointment(slug)
    response = HttpResponse(
        calendar.calendar([appointment], appointment.title), content_type=calendar.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{appointment.slug}.ics"'
    return response


# --- feeds ------------------------------------------------------------------------------------


def _feed_subject(kwargs):
    """The appointments a feed shows, and its name; 404 for an issuer or topic not public."""
    if "issuer" in kwargs:
        issuer = get_object_or_404(public_issuers(), slug=kwargs["issuer"])
        return Appointment.objects.filter(issuer=issuer), feeds.feed_title(issuer=issuer)
    if "topic" in kwargs:
        topic = get_object_or_404(public_topics(), slug=kwargs["topic"])
        return Appointment.objects.filter(topics=topic), feeds.feed_title(topic=topic)
    return Appointment.objects.all(), feeds.feed_title()


def _feed_etag(request, **kwargs):
    try:
        return calendar.etag(_feed_subject(kwargs)[0])
    except Http404:
        return None


def _feed_last_modified(request, **kwargs):
    try:
        return calendar.last_modified(_feed_subject(kwargs)[0])
    except Http404:
        return None


@condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)
def calendar_feed(request, **kwargs):
    queryset, name = _feed_subject(kwargs)
    body = calendar.calendar(calendar.feed_queryset(queryset), name)
    return HttpResponse(body, content_type=calendar.CONTENT_TYPE)


def calendar_links(issuer=None, topic=None) -> list:
    """The iCalendar feed of one scope: all appointments, an issuer's or a topic's."""
    if issuer is not None:
        url = reverse("feeds:appointments_issuer_ics", kwargs={"issuer": issuer.slug})
    elif topic is not None:
        url = reverse("feeds:appointments_topic_ics", kwargs={"topic": topic.slug})
    else:
        url = reverse("feeds:appointments_ics")
    return [FeedLink(feeds.feed_title(issuer, topic) + " (iCalendar)", url, "text/calendar")]


def feed_links(issuer=None, topic=None) -> list:
    """The appointment feeds that fit a page (autodiscovery): those of all appointments, and
    of the issuer or topic shown, each as iCalendar, RSS and Atom."""
    scopes = [{}] + [{"issuer": issuer}] * bool(issuer) + [{"topic": topic}] * bool(topic)
    return [
        link for scope in scopes for link in calendar_links(**scope) + feeds.feed_links(**scope)
    ]


# --- accreditation ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    appointment = _public_appointment(slug)
    if not appointment.requires_accreditation:
        raise Http404
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and appointment.accreditation_open and form.is_valid():
        if accreditation.allow_submission(request):
            data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
            try:
                accreditation.apply(appointment, data)
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                return redirect("appointments:applied", slug=appointment.slug)
        else:
            form.add_error(None, _("Too many applications from your network; try later."))
    context = {
        "appointment": appointment,
        "form": form,
        "full": appointment.accreditation_open and appointment.is_full,
    }
    status = 400 if request.method == "POST" and not appointment.accreditation_open else 200
    return render(request, "appointments/apply.html", context, status=status)


def applied(request, slug):
    appointment = _public_appointment(slug)
    return render(request, "appointments/applied.html", {"appointment": appointment})


def _application(token):
    # From the primary: the row was written a moment ago.
    return (
        Accreditation.objects.db_manager(router.db_for_write(Accreditation))
        .select_related("appointment")
        .filter(token=token, appointment__state=State.APPROVED)
        .first()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A GET only asks (mail scanners follow links); the button confirms."""
    application = _application(token)
    if application is None or application.is_expired:
        return private(render(request, "appointments/invalid_link.html", status=404))
    if request.method == "POST" and not application.is_confirmed:
        try:
            application = accreditation.confirm(application)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Thank you: your application is confirmed."))
        return redirect("appointments:confirm", token=token)
    return private(render(request, "appointments/confirm.html", {"application": application}))


def all_feeds(absolute) -> list[tuple[str, list]]:
    """For the feeds page: every appointment feed, grouped by scope, with absolute addresses."""
    scopes = [(_("All press appointments"), {})]
    scopes += [(issuer.name, {"issuer": issuer}) for issuer in public_issuers()]
    scopes += [(topic.name, {"topic": topic}) for topic in public_topics()]
    return [
        (name, absolute(calendar_links(**scope) + feeds.feed_links(**scope)))
        for name, scope in scopes
    ]
