"""Calendar, RSS and Atom feeds of appointments: newsroom/urls.py mounts them under /feeds/ in the
`feeds` namespace, outside the language prefixes (one address for every language)."""

from django.urls import path

from newsroom.cache import public_cache
from newsroom.feeds import ATOM, RSS

from . import views
from .feeds import AppointmentFeed, IssuerAppointmentFeed, TopicAppointmentFeed

urlpatterns = [
    path("termine.rss", public_cache(AppointmentFeed(RSS)), name="appointments_rss"),
    path("termine.atom", public_cache(AppointmentFeed(ATOM)), name="appointments_atom"),
    path(
        "termine/herausgeber/<slug:issuer>.rss",
        public_cache(IssuerAppointmentFeed(RSS)),
        name="appointments_issuer_rss",
    ),
    path(
        "termine/herausgeber/<slug:issuer>.atom",
        public_cache(IssuerAppointmentFeed(ATOM)),
        name="appointments_issuer_atom",
    ),
    path(
        "termine/themen/<slug:topic>.rss",
        public_cache(TopicAppointmentFeed(RSS)),
        name="appointments_topic_rss",
    ),
    path(
        "termine/themen/<slug:topic>.atom",
        public_cache(TopicAppointmentFeed(ATOM)),
        name="appointments_topic_atom",
    ),
    path("termine.ics", public_cache(views.calendar_feed), name="appointments_ics"),
    path(
        "termine/herausgeber/<slug:issuer>.ics",
        public_cache(views.calendar_feed),
        name="appointments_issuer_ics",
    ),
    path(
        "termine/themen/<slug:topic>.ics",
        public_cache(views.calendar_feed),
        name="appointments_topic_ics",
    ),
]
