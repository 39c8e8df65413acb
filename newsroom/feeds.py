"""The feed machinery every feed shares: the two full-text formats (RSS 2.0 and Atom 1.0) with
Media RSS for photos, text that XML can carry, the links pages give for autodiscovery, and a
German feed base that answers conditional GETs before it renders."""

import copy
import hashlib
import io
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import feedgenerator, timezone, translation
from django.utils.cache import patch_cache_control, quote_etag
from django.views.decorators.http import condition

from . import site
from .cache import UNDECLARED, code_version, kept, kept_in_generation, public_cache
from .richtext import strip_control_characters

RSS_MIME_TYPE = "application/rss+xml"
ATOM_MIME_TYPE = "application/atom+xml"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def xml_safe(value):
    """`value` (a string, or dicts, lists and tuples of them) without the characters that XML
    cannot carry, which make Django's feed writer fail (UnserializableContentError)."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, MediaContent):
        return value._replace(**{name: xml_safe(item) for name, item in value._asdict().items()})
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


class MediaContent(NamedTuple):
    """A photo of an item as Media RSS describes it (https://www.rssboard.org/media-rss):
    `<media:content>` with its caption, its credit and either the licence it may be used under
    or, where that is no public licence, a copyright notice linking the terms."""

    url: str
    mime_type: str
    length: int
    width: int
    height: int
    description: str = ""
    credit: str = ""
    license: str = ""
    license_url: str = ""
    copyright: str = ""
    copyright_url: str = ""


def add_media_elements(handler, item) -> None:
    """Write an item's `media` (MediaContent, in order) as `<media:content>` elements."""
    for media in item.get("media") or ():
        handler.startElement(
            "media:content",
            {
                "url": media.url,
                "type": media.mime_type,
                "fileSize": str(media.length),
                "width": str(media.width),
                "height": str(media.height),
                "medium": "image",
            },
        )
        if media.description:
            handler.addQuickElement("media:description", media.description, {"type": "plain"})
        if media.credit:
            # The EBU role scheme is the spec's default; naming it costs nothing.
            attributes = {"role": "photographer", "scheme": "urn:ebu"}
            handler.addQuickElement("media:credit", media.credit, attributes)
        if media.license_url:
            attributes = {"type": "text/html", "href": media.license_url}
            handler.addQuickElement("media:license", media.license, attributes)
        if media.copyright:
            attributes = {"url": media.copyright_url} if media.copyright_url else {}
            handler.addQuickElement("media:copyright", media.copyright, attributes)
        handler.endElement("media:content")


class XmlSafeFeed:
    """Cleans every text of the feed and its items on the way in: whatever a model holds or a
    feed class forgets, the output is well-formed XML."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = xml_safe(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = xml_safe(self.items[-1])


class FullTextRssFeed(XmlSafeFeed, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded`, photos as `media:content`, at most one
    enclosure per item (RSS allows no more: the first one is kept) and the WebSub hub, if any."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_RSS,
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
        add_media_elements(handler, item)


class FullTextAtomFeed(XmlSafeFeed, feedgenerator.Atom1Feed):
    """Atom 1.0 with the full text as `<content type="html">`, every enclosure as a link, photos
    as `media:content` too, and the WebSub hub, if any."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        add_media_elements(handler, item)


RSS = FullTextRssFeed
ATOM = FullTextAtomFeed


def portal_wide(title: str) -> str:
    """The title of a feed across the whole portal, with the portal's name: a reader who follows
    several portals' and offices' feeds can tell them apart (an office's feeds carry its name)."""
    return f"{title} – {site.name()}"


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

    A document is written once per ETag (and address and deployment) and kept (newsroom.cache.
    kept) until a key it shows is purged: `shows` names the keys every document of the feed
    shows (None: it depends on every public change), the items add their own. The validators
    and the document are kept together for the content generation, so a reader after the first
    costs no query (`respond`).
    """

    shows: tuple[str, ...] | None = None

    def __init__(self, feed_type=RSS):
        self.feed_type = feed_type
        self.request = None

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # One instance serves every request (and thread); per-request state lives on a copy.
        feed = copy.copy(self)
        feed.request = request
        # The language is the address's (/feeds/ German, /en/feeds/ English), never the
        # browser's: LocaleMiddleware activates it from the path.
        feed.language = translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(feed.language):
            return feed.respond(*args, **kwargs)

    def respond(self, *args, **kwargs):
        try:
            obj = self.get_object(self.request, *args, **kwargs)
        except ObjectDoesNotExist as missing:
            raise Http404("No such feed.") from missing
        # What this address shows now: its validators and its document, kept for the content
        # generation (a go-live second or a registered page change ends it) until a key the
        # document shows is purged, as release pages are. A new generation asks the database
        # for the validators again and reuses the document while they stand.
        address = self.request.build_absolute_uri(self.request.path)
        name = hashlib.sha256(address.encode()).hexdigest()[:16]
        etag, last_modified, body = kept_in_generation(
            f"newsroom:feed-state:{name}:{code_version()}",
            lambda: self.current(obj, name),
            keys=self.keys_shown(),
        )

        # Django's condition() answers 304 from the validators.
        @condition(etag_func=lambda request: etag, last_modified_func=lambda request: last_modified)
        def render(request):
            return HttpResponse(body, content_type=self.feed_type.content_type)

        response = render(self.request)
        response.headers["Content-Language"] = self.language
        # A minute at most, so that a release shows up within a minute of its go-live second
        # however many caches sit between us and the reader.
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_MAX_AGE)
        return response

    def keys_shown(self) -> list[str]:
        return list(self.shows) if self.shows is not None else [UNDECLARED]

    def current(self, obj, name: str) -> tuple[str, datetime | None, bytes]:
        """The validators of what the feed shows now, from the database, and the document they
        name: written once per ETag (and address and deployment) and kept until a key it shows
        is purged as well."""
        etag, last_modified = self.validators(obj)
        body = kept(
            f"newsroom:feed:{name}:{etag.strip(chr(34))}:{code_version()}",
            lambda: self.write_feed(obj, self.request),
            keys=self.keys_shown(),
        )
        return etag, last_modified, body

    def write_feed(self, obj, request) -> bytes:
        feed = self.get_feed(obj, request)
        out = io.StringIO()
        feed.write(out, "utf-8")
        return out.getvalue().encode()

    def feed_state(self, obj) -> dict:
        raise NotImplementedError

    def validators(self, obj) -> tuple[str, datetime | None]:
        """The ETag and the Last-Modified time of what the feed would show now."""
        state = self.feed_state(obj)
        # What changes the output without changing the data changes the ETag too.
        state |= {
            # A renamed topic, issuer or series renames the feed.
            "title": self._get_dynamic_attr("title", obj),
            "format": self.feed_type.__name__,
            "site": self.absolute("/"),
            "items": settings.NEWSROOM_FEED_ITEMS,
            "hub": settings.NEWSROOM_WEBSUB_HUB,
            "language": self.language,
            # A deployment may write the same items differently: readers fetch the feed anew.
            "code": code_version(),
        }
        etag = hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()[:32]
        times = [value for value in state.values() if isinstance(value, datetime)]
        if not times:
            return quote_etag(etag), None
        # Never later than now, even if a date was entered in the future; HTTP dates have
        # whole seconds.
        return quote_etag(etag), min(max(times), timezone.now()).replace(microsecond=0)

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


def cached_feed(feed: NewsroomFeed):
    """`feed` behind the page cache, with the keys it shows."""
    return public_cache(feed, keys=feed.shows)
