"""RSS 2.0 and Atom 1.0 feeds of public publications (all, and per series), and the feed
machinery that the release feeds share: the two full-text formats, conditional GET, German titles.

The shared part lives here because `releases` may import `publications`, never the reverse.
"""

import copy
import hashlib
import uuid
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import feedgenerator, timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from newsroom.richtext import strip_control_characters

from .models import Publication, Series

# A feed may be cached for a minute at most, so that a release shows up within a minute of its
# go-live second however many caches sit between us and the reader.
FEED_MAX_AGE = 60

RSS_MIME_TYPE = "application/rss+xml"
ATOM_MIME_TYPE = "application/atom+xml"

# Publications have no uuid of their own; their permanent ids are derived from this namespace.
PUBLICATION_ID_NAMESPACE = uuid.UUID("5d0c3f7e-6a57-4c1e-9f43-2f1f3c1a8b20")


class FullTextRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded`, at most one enclosure per item (RSS allows
    no more: the first one is kept) and the WebSub hub, if there is one."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item(self, *args, enclosures=None, **kwargs):
        super().add_item(*args, enclosures=list(enclosures or ())[:1], **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class FullTextAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with the full text as `<content type="html">` and the WebSub hub, if any."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


RSS = FullTextRssFeed
ATOM = FullTextAtomFeed


class FeedLink(NamedTuple):
    """A feed as a page links it: `<link rel="alternate" type=mime_type title=title href=url>`."""

    title: str
    url: str
    mime_type: str

    @property
    def format_name(self) -> str:
        return "Atom" if self.mime_type == ATOM_MIME_TYPE else "RSS"


def both_formats(title: str, rss_url: str, atom_url: str) -> list[FeedLink]:
    return [
        FeedLink(f"{title} (RSS)", rss_url, RSS_MIME_TYPE),
        FeedLink(f"{title} (Atom)", atom_url, ATOM_MIME_TYPE),
    ]


class NewsroomFeed(Feed):
    """A feed in German that answers conditional GETs before rendering and may be cached briefly.

    One instance serves one URL in one format: `TheFeed(RSS)` or `TheFeed(ATOM)`. Subclasses
    define `feed_state(obj)`: a few cheap facts that change whenever what the feed shows changes.
    They become the ETag; the newest of their times becomes Last-Modified.
    """

    def __init__(self, feed_type=RSS):
        self.feed_type = feed_type
        self.request = None

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # One instance serves every request (and thread); per-request state lives on a copy.
        feed = copy.copy(self)
        feed.request = request
        # Feed URLs have no language prefix; the feeds are German whatever the browser asks for.
        with translation.override(settings.LANGUAGE_CODE):
            return feed.respond(*args, **kwargs)

    def respond(self, *args, **kwargs):
        try:
            obj = self.get_object(self.request, *args, **kwargs)
        except ObjectDoesNotExist as missing:
            raise Http404("No such feed.") from missing
        etag, last_modified = self.validators(obj)
        response = get_conditional_response(self.request, etag=etag, last_modified=last_modified)
        if response is None:
            feed = self.get_feed(obj, self.request)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def feed_state(self, obj) -> dict:
        raise NotImplementedError

    def validators(self, obj) -> tuple[str, int | None]:
        """The ETag and the Last-Modified timestamp of what the feed would show now."""
        state = self.feed_state(obj)
        # What changes the output without changing the data changes the ETag too.
        state |= {
            # A renamed topic, issuer or series renames the feed.
            "title": self._get_dynamic_attr("title", obj),
            "format": self.feed_type.__name__,
            "site": self.absolute("/"),
            "items": settings.NEWSROOM_FEED_ITEMS,
            "hub": settings.NEWSROOM_WEBSUB_HUB,
        }
        etag = hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()[:32]
        times = [value for value in state.values() if isinstance(value, datetime)]
        if not times:
            return quote_etag(etag), None
        # Never later than now, even if a date was entered in the future.
        return quote_etag(etag), int(min(max(times), timezone.now()).timestamp())

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def subtitle(self, obj):
        # Atom calls the description a subtitle.
        return self._get_dynamic_attr("description", obj)

    def feed_guid(self, obj):
        return self.absolute(self.request.path)

    def feed_extra_kwargs(self, obj):
        return {"hub_url": settings.NEWSROOM_WEBSUB_HUB or None}

    def item_guid_is_permalink(self, item):
        return False

    def publication_enclosure(self, publication) -> feedgenerator.Enclosure:
        return feedgenerator.Enclosure(
            url=self.absolute(publication.get_download_url()),
            length=str(publication.file_size),
            mime_type=publication.mime_type,
        )


def publication_feed_title(series: Series | None = None) -> str:
    if series is None:
        return _("Publications")
    return _("Publications – series %(series)s") % {
        "series": strip_control_characters(series.title)
    }


def publication_feed_links(series: Series | None = None) -> list[FeedLink]:
    """The publication feeds that fit a page: those of the series, else all publications."""
    if series is None:
        rss, atom = reverse("feeds:publications_rss"), reverse("feeds:publications_atom")
    else:
        rss = reverse("feeds:series_rss", kwargs={"slug": series.slug})
        atom = reverse("feeds:series_atom", kwargs={"slug": series.slug})
    return both_formats(publication_feed_title(series), rss, atom)


class PublicationFeed(NewsroomFeed):
    """The newest public publications, each with its file as the enclosure."""

    def link(self, obj):
        return reverse("publications:library")

    def publications(self, obj):
        return Publication.objects.public()

    def title(self, obj):
        return publication_feed_title()

    def description(self, obj):
        return _("The newest publications to download.")

    def items(self, obj):
        return (
            self.publications(obj)
            .select_related("issuer", "series")
            .order_by("-published_at", "-pk")[: settings.NEWSROOM_FEED_ITEMS]
        )

    def feed_state(self, obj):
        return self.publications(obj).aggregate(
            count=Count("pk"),
            latest_publication=Max("published_at"),
            latest_edit=Max("updated_at"),
        )

    def item_title(self, publication):
        return strip_control_characters(publication.title)

    def item_link(self, publication):
        return publication.get_download_url()

    def item_guid(self, publication):
        # Stable whatever is edited later: the row and the moment it was created.
        name = f"publication:{publication.pk}:{publication.created_at.isoformat()}"
        return f"urn:uuid:{uuid.uuid5(PUBLICATION_ID_NAMESPACE, name)}"

    def item_description(self, publication):
        return escape(strip_control_characters(publication.description)) or None

    def item_pubdate(self, publication):
        return publication.published_at

    def item_updateddate(self, publication):
        return publication.published_at

    def item_author_name(self, publication):
        return strip_control_characters(publication.issuer.name)

    def item_categories(self, publication):
        if publication.series is None:
            return []
        return [strip_control_characters(publication.series.title)]

    def item_enclosures(self, publication):
        return [self.publication_enclosure(publication)]


class SeriesFeed(PublicationFeed):
    """The newest public publications of one series."""

    def get_object(self, request, slug):
        return Series.objects.get(slug=slug)

    def publications(self, series):
        return Publication.objects.public().filter(series=series)

    def link(self, series):
        return reverse("publications:series", kwargs={"slug": series.slug})

    def title(self, series):
        return publication_feed_title(series)

    def description(self, series):
        return _("The newest publications in the series %(series)s.") % {"series": series.title}
