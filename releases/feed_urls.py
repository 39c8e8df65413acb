"""The release feeds: newsroom/urls.py mounts them under /feeds/ in the `feeds` namespace,
outside the language prefixes (one address for every language)."""

from django.urls import path

from newsroom.feeds import ATOM, RSS
from newsroom.feeds import cached_feed as cached

from .feeds import IssuerFeed, ReleaseFeed, TopicFeed

urlpatterns = [
    path("pressemitteilungen.rss", cached(ReleaseFeed(RSS)), name="releases_rss"),
    path("pressemitteilungen.atom", cached(ReleaseFeed(ATOM)), name="releases_atom"),
    path("themen/<slug:slug>.rss", cached(TopicFeed(RSS)), name="topic_rss"),
    path("themen/<slug:slug>.atom", cached(TopicFeed(ATOM)), name="topic_atom"),
    path("herausgeber/<slug:slug>.rss", cached(IssuerFeed(RSS)), name="issuer_rss"),
    path("herausgeber/<slug:slug>.atom", cached(IssuerFeed(ATOM)), name="issuer_atom"),
]
