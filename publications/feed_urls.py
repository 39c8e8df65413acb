"""The publication feeds: newsroom/urls.py mounts them under /feeds/ in the `feeds` namespace,
outside the language prefixes (one address for every language)."""

from django.urls import path

from newsroom.feeds import ATOM, RSS
from newsroom.feeds import cached_feed as cached

from .feeds import PublicationFeed, SeriesFeed

urlpatterns = [
    path("publikationen.rss", cached(PublicationFeed(RSS)), name="publications_rss"),
    path("publikationen.atom", cached(PublicationFeed(ATOM)), name="publications_atom"),
    path("publikationen/<slug:slug>.rss", cached(SeriesFeed(RSS)), name="series_rss"),
    path("publikationen/<slug:slug>.atom", cached(SeriesFeed(ATOM)), name="series_atom"),
]
