"""RSS 2.0 and Atom 1.0 feeds of public publications (all, and per series)."""

import uuid

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from newsroom.feeds import FeedLink, NewsroomFeed, both_formats, portal_wide
from newsroom.richtext import strip_control_characters

from .models import Publication, Series

# Publications have no uuid of their own; their permanent ids are derived from this namespace.
PUBLICATION_ID_NAMESPACE = uuid.UUID("5d0c3f7e-6a57-4c1e-9f43-2f1f3c1a8b20")


def publication_feed_title(series: Series | None = None) -> str:
    if series is None:
        return portal_wide(_("Publications"))
    return portal_wide(
        _("Publications – series %(series)s") % {"series": strip_control_characters(series.title)}
    )


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

    # Its dependency keys (newsroom/cache.py).
    shows = ("list:publications", "list:issuers")

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
            .newest_first()
            .select_related("issuer", "series")[: settings.NEWSROOM_FEED_ITEMS]
        )

    def feed_state(self, obj):
        # A publication that goes public with its release changes the count at that second.
        return (
            self.publications(obj)
            .with_public_date()
            .aggregate(
                count=Count("pk"),
                latest_publication=Max("public_date"),
                latest_edit=Max("updated_at"),
            )
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
        return publication.public_date

    def item_updateddate(self, publication):
        return publication.public_date

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
        return Series.objects.public().get(slug=slug)

    def publications(self, series):
        return Publication.objects.public().filter(series=series)

    def link(self, series):
        return series.get_absolute_url()

    def title(self, series):
        return publication_feed_title(series)

    def description(self, series):
        return _("The newest publications in the series %(series)s.") % {"series": series.title}
