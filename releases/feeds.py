"""RSS 2.0 and Atom 1.0 feeds of live press releases (all, per topic, per issuer), the helper that
tells a page which feeds to link, and the feeds page for people.

Every feed starts from `Release.objects.live()`. An item's id is the release's uuid, so it stays
when the title or slug is corrected; its Atom `updated` is the release's last correction.

An item carries the release's photos (in rights, their renditions made): in its full text as
figures with caption and credit, and as Media RSS `media:content` (the widest web JPEG, with
caption, credit and licence). The enclosures are the public publications first, then each
photo's print-quality download: an Atom entry links them all; an RSS item may carry only one,
so it is the first publication or, without one, the first photo's download.

Feeds exist per language: /feeds/… in German, /en/feeds/… in English. An English feed carries
only the releases that have an English version, in English: whoever subscribes to it asked for
news they can read, and a feed reader cannot sort out items in another language (RSS has no
per-item language); the German feed carries every release.
"""

import hashlib
from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.db.models import Count, FilteredRelation, Max, Prefetch, Q, Subquery, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator, formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from contacts.models import Organisation
from newsroom.cache import code_version, depends_on, kept_many
from newsroom.feeds import FeedLink, MediaContent, NewsroomFeed, both_formats, portal_wide
from newsroom.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    strip_control_characters,
)
from newsroom.translations import JOINED, adopt_related, page_language, source_language
from photos import gallery
from photos.models import Licence, Photo
from publications.feeds import publication_feed_links
from publications.models import Publication, Series

from . import sections
from .models import Release, ReleaseImage, State, Topic

URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


# Rich text, and the <div lang> that marks a part in the original's language (`full_text`).
FEED_TAGS = ALLOWED_TAGS | {"div"}
FEED_ATTRIBUTES = ALLOWED_ATTRIBUTES | {"div": {"lang"}}


def with_absolute_urls(html: str, base_url: str) -> str:
    """Return sanitised `html` with every link and image source resolved against `base_url`.

    The markup passes the same allow-list once more, so apart from its URLs it comes out as it
    was stored.
    """

    def resolve(tag, attribute, value):
        return urljoin(base_url, value) if (tag, attribute) in URL_ATTRIBUTES else value

    return nh3.clean(
        html,
        tags=FEED_TAGS,
        attributes=FEED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=resolve,
    )


def images_with_photos():
    """A release's images with the photo and its translation into the page's language joined
    (`in_language` for the photo alone: the image row has no text of its own)."""
    images = ReleaseImage.objects.select_related("photo")
    language = page_language()
    if language == source_language():
        return images
    name = f"photo_{JOINED}"
    condition = Q(photo__translations__language=language)
    joined = FilteredRelation("photo__translations", condition=condition)
    return images.annotate(**{name: joined}).select_related(name)


def shown_photos(release: Release) -> list[Photo]:
    """The photos an item shows, in the release's order: those a public page may show (in
    rights, their renditions made)."""
    return gallery.shown(image.photo for image in release.images.all())


def figure(photo: Photo) -> str:
    """A photo as the full text shows it: the middle rendition, its caption and credit."""
    text = photo.localized
    alt = "" if photo.is_decorative else text.alt_text
    image = format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">',
        photo.src,
        photo.src_width,
        photo.src_height,
        alt,
    )
    caption = " ".join(
        part
        for part in (text.caption, f"{_('Photo:')} {photo.credit}" if photo.credit else "")
        if part
    )
    if not caption:
        return format_html("<figure>{}</figure>", image)
    return format_html("<figure>{}<figcaption>{}</figcaption></figure>", image, caption)


def full_text(release: Release) -> str:
    """The release as a feed reader shows it, in the feed's language: lead, body, photos,
    background and corrections."""
    text = release.localized
    parts = [format_html("<p>{}</p>", text.lead), text.body]
    parts += [figure(photo) for photo in shown_photos(release)]
    if text.background:
        background = mark_safe(text.background)  # noqa: S308 - sanitised when it was saved
        if text.language_of("background") != text.lang:
            # The translation has none: the original's, marked as such.
            background = format_html("<div{}>{}</div>", text.field_lang["background"], background)
        parts += [format_html("<h2>{}</h2>", _("Background")), background]
    corrections = release.corrections.all()
    if corrections:
        notes = format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (formats.date_format(timezone.localtime(c.created_at), "SHORT_DATE_FORMAT"), c.note)
                for c in corrections
            ),
        )
        parts.append(format_html("<h2>{}</h2><ul>{}</ul>", _("Corrections"), notes))
    return "".join(parts)


def release_feed_title(topic: Topic | None = None, issuer: Organisation | None = None) -> str:
    """An issuer's feed carries the office's name; the others, across offices, the portal's."""
    if topic is not None:
        name = strip_control_characters(topic.localized.name)
        return portal_wide(_("Press releases – topic %(topic)s") % {"topic": name})
    if issuer is not None:
        name = strip_control_characters(issuer.localized.name)
        return _("Press releases – %(issuer)s") % {"issuer": name}
    return portal_wide(_("Press releases"))


def feed_links(topic: Topic | None = None, issuer: Organisation | None = None) -> list[FeedLink]:
    """The release feeds that fit a page, RSS and Atom: the topic's and the issuer's, if given,
    else those of all releases. Each is a (title, url, mime_type) tuple; pass the list to the
    template as `feed_links` and base.html links them for autodiscovery."""
    links = []
    if topic is not None:
        kwargs = {"slug": topic.slug}
        links += both_formats(
            release_feed_title(topic=topic),
            reverse("feeds:topic_rss", kwargs=kwargs),
            reverse("feeds:topic_atom", kwargs=kwargs),
        )
    if issuer is not None:
        kwargs = {"slug": issuer.slug}
        links += both_formats(
            release_feed_title(issuer=issuer),
            reverse("feeds:issuer_rss", kwargs=kwargs),
            reverse("feeds:issuer_atom", kwargs=kwargs),
        )
    return links or both_formats(
        release_feed_title(), reverse("feeds:releases_rss"), reverse("feeds:releases_atom")
    )


class ReleaseFeed(NewsroomFeed):
    """The newest live releases, in full text, with their public publications as enclosures."""

    # Its dependency keys (releases/dependencies.py names them).
    shows = ("list:releases", "list:topics", "list:issuers", "list:publications")

    def in_scope(self, releases, obj):
        """Narrow `releases` to those this feed covers (all of them here)."""
        return releases

    def live(self):
        """The live releases in the feed's language (in German: all of them)."""
        return Release.objects.live().translated_into(self.language)

    def link(self, obj):
        return reverse("releases:home")

    def title(self, obj):
        return release_feed_title()

    def description(self, obj):
        return _("The newest press releases, in full text.")

    def items(self, obj):
        releases = list(
            self.in_scope(self.live(), obj)
            .for_display()
            .select_related("issuer")
            .in_language()
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.in_language()),
                "corrections",
                Prefetch("publications", queryset=Publication.objects.public()),
                Prefetch("images", queryset=images_with_photos()),
            )
            # Newest first, along the index (every public release has a first publication).
            .newest_first()[: settings.NEWSROOM_FEED_ITEMS]
        )
        for release in releases:
            adopt_related(release.images.all(), "photo")
            release.feed_photos = shown_photos(release)
            # A photo's change (caption, credit, file) changes the feed: it is purged with it.
            depends_on(*(f"photo:{photo.pk}" for photo in release.feed_photos))
        self.attach_contents(releases)
        return releases

    def content_name(self, release) -> str:
        """Names one rendering of an item's full text: the release's version, the photos it
        shows (one whose rights end leaves it) and the address its links resolve against."""
        url = hashlib.sha256(self.absolute(release.get_absolute_url()).encode()).hexdigest()[:16]
        photos = "-".join(str(photo.pk) for photo in release.feed_photos)
        language, code = self.language, code_version()  # a deploy renders items anew
        return f"newsroom:feed-item:{release.pk}:{release.version}:{language}:{url}:{code}:{photos}"

    def attach_contents(self, releases) -> None:
        """Each item's full text, rendered once per release version and kept until what it
        shows changes (a correction purges the release's key): one cache read per feed."""

        def render_missing(missing: dict) -> dict:
            rendered = {}
            for name, release in missing.items():
                base = self.absolute(release.get_absolute_url())
                content = strip_control_characters(with_absolute_urls(full_text(release), base))
                keys = [f"release:{release.pk}", *(f"photo:{p.pk}" for p in release.feed_photos)]
                rendered[name] = (content, keys)
            return rendered

        named = {self.content_name(release): release for release in releases}
        contents = kept_many(named, render_missing)
        for name, release in named.items():
            release.feed_content = contents[name]

    def feed_state(self, obj):
        # Only the items the feed shows can change it. Their newest go-live covers a second
        # passing, the sum of their ids a change in which releases they are; edits, corrections
        # and attachments becoming public are covered too. Withdrawn releases leave `live()`, so
        # their withdrawal time is asked for separately. Both queries use indexes, whatever the
        # size of the archive. The photos (`images`) count those in rights: one whose rights
        # end changes the feed.
        public_publications = Q(publications__in=Publication.objects.public())
        photos_in_rights = Q(images__photo__in=Photo.objects.in_rights())
        shown = self.in_scope(self.live(), obj).newest_first().values("pk")
        live = Release.objects.filter(
            pk__in=Subquery(shown[: settings.NEWSROOM_FEED_ITEMS])
        ).aggregate(
            count=Count("pk", distinct=True),
            id_sum=Sum("pk", distinct=True),
            latest_go_live=Max("go_live_at"),
            latest_edit=Max("updated_at"),
            latest_correction=Max("corrections__created_at"),
            enclosures=Count("publications", filter=public_publications, distinct=True),
            latest_enclosure=Max("publications__published_at", filter=public_publications),
            latest_enclosure_edit=Max("publications__updated_at", filter=public_publications),
            photos=Count("images", filter=photos_in_rights, distinct=True),
            latest_photo_edit=Max("images__photo__updated_at", filter=photos_in_rights),
        )
        # Newest first along the index on (state, withdrawn_at), stopping at the first in scope:
        # one step for all releases, a few for a topic or issuer, however many were withdrawn.
        withdrawn = Release.objects.filter(state=State.WITHDRAWN, withdrawn_at__isnull=False)
        latest_withdrawal = (
            self.in_scope(withdrawn, obj)
            .order_by("-withdrawn_at")
            .values_list("withdrawn_at", flat=True)
            .first()
        )
        return live | {"latest_withdrawal": latest_withdrawal}

    def item_title(self, release):
        return strip_control_characters(release.localized.title)

    def item_guid(self, release):
        return f"urn:uuid:{release.uuid}"

    def item_description(self, release):
        return escape(strip_control_characters(release.localized.lead))

    def item_pubdate(self, release):
        return release.published_at

    def item_updateddate(self, release):
        return max([release.published_at, *(c.created_at for c in release.corrections.all())])

    def item_author_name(self, release):
        return strip_control_characters(release.issuer.name)

    def item_author_email(self, release):
        return release.issuer.press_email or None

    def item_author_link(self, release):
        return release.issuer.website or None

    def item_categories(self, release):
        return [strip_control_characters(topic.localized.name) for topic in release.topics.all()]

    def item_enclosures(self, release):
        publications = [self.publication_enclosure(p) for p in release.publications.all()]
        return publications + [self.photo_enclosure(photo) for photo in release.feed_photos]

    def photo_enclosure(self, photo: Photo) -> feedgenerator.Enclosure:
        """The photo's print-quality download (with credit and licence in its metadata)."""
        download = photo.download
        return feedgenerator.Enclosure(
            url=self.absolute(download["url"]),
            length=str(download["size"]),
            mime_type=download["content_type"],
        )

    def media_content(self, photo: Photo) -> MediaContent:
        """The photo as Media RSS describes it: the widest web rendition (what a reader shows;
        the download is the enclosure), its caption, credit and licence."""
        widest = photo.rendition_widths[-1]
        licence_url = gallery.LICENCE_URLS.get(photo.licence, "")
        licence = Licence(photo.licence).label
        return MediaContent(
            url=self.absolute(widest["jpeg_url"]),
            mime_type="image/jpeg",
            length=widest["jpeg_size"],
            width=widest["width"],
            height=widest["height"],
            description=photo.localized.caption,
            credit=photo.credit,
            license=str(licence) if licence_url else "",
            license_url=licence_url,
            # Without a public licence, the notice says what use is allowed, and the photo's
            # page the rest (rights until, the releases it belongs to).
            copyright="" if licence_url else str(licence),
            copyright_url=self.absolute(reverse("photo_pages:detail", kwargs={"pk": photo.pk})),
        )

    def item_extra_kwargs(self, release):
        media = [self.media_content(photo) for photo in release.feed_photos]
        return {"content": release.feed_content, "media": media}


class TopicFeed(ReleaseFeed):
    """The newest live releases filed under one topic."""

    def get_object(self, request, slug):
        return Topic.objects.public().in_language().get(slug=slug)

    def in_scope(self, releases, topic):
        return releases.filter(topics=topic)

    def link(self, topic):
        return topic.get_absolute_url()

    def title(self, topic):
        return release_feed_title(topic=topic)

    def description(self, topic):
        return _("The newest press releases on the topic %(topic)s, in full text.") % {
            "topic": strip_control_characters(topic.localized.name)
        }


class IssuerFeed(ReleaseFeed):
    """The newest live releases of one issuer."""

    def get_object(self, request, slug):
        return Organisation.objects.public().in_language().get(slug=slug)

    def in_scope(self, releases, issuer):
        return releases.issued_by(issuer)

    def link(self, issuer):
        return issuer.get_absolute_url()

    def title(self, issuer):
        return release_feed_title(issuer=issuer)

    def description(self, issuer):
        return _("The newest press releases of %(issuer)s, in full text.") % {
            "issuer": strip_control_characters(issuer.localized.name)
        }


def feeds_page(request):
    """Every feed there is, with its address, explained in plain words."""

    def absolute(links):
        return [link._replace(url=request.build_absolute_uri(link.url)) for link in links]

    context = {
        "release_feeds": absolute(feed_links()),
        "topic_feeds": [
            (topic, absolute(feed_links(topic=topic))) for topic in Topic.objects.public()
        ],
        "issuer_feeds": [
            (issuer, absolute(feed_links(issuer=issuer)))
            for issuer in Organisation.objects.public()
        ],
        "publication_feeds": absolute(publication_feed_links()),
        "series_feeds": [
            (series, absolute(publication_feed_links(series))) for series in Series.objects.public()
        ],
        "feed_items": settings.NEWSROOM_FEED_ITEMS,
    }
    context["sections"] = sections.render(sections.FEEDS_PAGE, absolute)
    return render(request, "releases/feeds_page.html", context)
