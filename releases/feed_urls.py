"""The release feeds: newsroom/urls.py mounts them under /feeds/ in the `feeds` namespace,
outside the language prefixes (one address for every language)."""

from functools import partial

from django.urls import path

from newsroom.cache import public_cache
from newsroom.feeds import ATOM, RSS

from .feeds import IssuerFeed, ReleaseFeed, TopicFeed

# What the feeds show, for their dependency keys (releases/dependencies.py names them).
SHOWS = ["list:releases", "list:topics", "list:issuers", "list:publications"]

cached = partial(public_cache, keys=SHOWS)


urlpatterns = [
    path("pressemitteilungen.rss", cached(ReleaseFeed(RSS)), name="releases_rss"),
    path("pressemitteilungen.atom", cached(ReleaseFeed(ATOM)), name="releases_atom"),
    path("themen/<slug:slug>.rss", cached(TopicFeed(RSS)), name="topic_rss"),
    path("themen/<slug:slug>.atom", cached(TopicFeed(ATOM)), name="topic_atom"),
    path("herausgeber/<slug:slug>.rss", cached(IssuerFeed(RSS)), name="issuer_rss"),
    path("herausgeber/<slug:slug>.atom", cached(IssuerFeed(ATOM)), name="issuer_atom"),
]
