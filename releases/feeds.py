"""RSS 2.0 and Atom 1.0 feeds of live press releases (all, per topic, per issuer), the helper that
tells a page which feeds to link, and the feeds page for people.

Every feed starts from `Release.objects.live()`. An item's id is the release's uuid, so it stays
when the title or slug is corrected; its Atom `updated` is the release's last correction.

Feeds exist per language: /feeds/… in German, /en/feeds/… in English. An English feed carries
only the releases that have an English version, in English: whoever subscribes to it asked for
news they can read, and a feed reader cannot sort out items in another language (RSS has no
per-item language); the German feed carries every release.
"""

import hashlib
from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, Subquery, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _

from contacts.models import Organisation
from newsroom.cache import cache as page_cache
from newsroom.cache import code_version
from newsroom.feeds import FeedLink, NewsroomFeed, both_formats, portal_wide
from newsroom.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    strip_control_characters,
)
from publications.feeds import publication_feed_links
from publications.models import Publication, Series

from . import sections
from .models import Release, State, Topic

URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


def with_absolute_urls(html: str, base_url: str) -> str:
    """Return sanitised `html` with every link and image source resolved against `base_url`.

    The markup passes the same allow-list once more, so apart from its URLs it comes out as it
    was stored.
    """

    def resolve(tag, attribute, value):
        return urljoin(base_url, value) if (tag, attribute) in URL_ATTRIBUTES else value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=resolve,
    )


def full_text(release: Release) -> str:
    """The release as a feed reader shows it, in the feed's language: lead, body, background
    and corrections."""
    text = release.localized
    parts = [format_html("<p>{}</p>", text.lead), text.body]
    if text.background:
        parts += [format_html("<h2>{}</h2>", _("Background")), text.background]
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
            .select_related("issuer")
            .in_language()
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.in_language()),
                "corrections",
                Prefetch("publications", queryset=Publication.objects.public()),
            )
            # Newest first, along the index (every public release has a first publication).
            .newest_first()[: settings.NEWSROOM_FEED_ITEMS]
        )
        self.attach_contents(releases)
        return releases

    def content_key(self, release) -> str:
        """Names one rendering of an item's full text: the release's version and corrections
        (a correction need not change the version) and the address its links resolve against."""
        corrections = release.corrections.all()
        latest = corrections[len(corrections) - 1].pk if corrections else 0
        url = hashlib.sha256(self.absolute(release.get_absolute_url()).encode()).hexdigest()[:16]
        language, code = self.language, code_version()  # a deploy renders items anew
        return f"newsroom:feed-item:{release.pk}:{release.version}:{latest}:{language}:{url}:{code}"

    def attach_contents(self, releases) -> None:
        """Each item's full text, rendered once per release version (one cache read per feed)."""
        store = page_cache()
        keys = {release.pk: self.content_key(release) for release in releases}
        stored = store.get_many(list(keys.values())) if keys else {}
        rendered = {}
        for release in releases:
            release.feed_content = stored.get(keys[release.pk])
            if release.feed_content is None:
                base = self.absolute(release.get_absolute_url())
                content = strip_control_characters(with_absolute_urls(full_text(release), base))
                release.feed_content = rendered[keys[release.pk]] = content
        if rendered:
            store.set_many(rendered, settings.NEWSROOM_FEED_CONTENT_SECONDS)

    def feed_state(self, obj):
        # Only the items the feed shows can change it. Their newest go-live covers a second
        # passing, the sum of their ids a change in which releases they are; edits, corrections
        # and attachments becoming public are covered too. Withdrawn releases leave `live()`, so
        # their withdrawal time is asked for separately. Both queries use indexes, whatever the
        # size of the archive.
        public_publications = Q(publications__in=Publication.objects.public())
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
        )
        withdrawn = self.in_scope(
            Release.objects.filter(state=State.WITHDRAWN), obj
        ).aggregate(latest_withdrawal=Max("withdrawn_at"))
        return live | withdrawn

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
        return [self.publication_enclosure(p) for p in release.publications.all()]

    def item_extra_kwargs(self, release):
        return {"content": release.feed_content}


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
