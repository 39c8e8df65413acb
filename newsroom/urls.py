"""Root URLs: the admin and editor uploads, the feeds (one address for every language), then the
public site in German and under /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from appointments.urls import feed_patterns as appointment_feeds
from publications.feeds import PublicationFeed, SeriesFeed
from publications.urls import file_patterns as publication_files
from releases.feeds import IssuerFeed, ReleaseFeed, TopicFeed, feeds_page
from releases.urls import file_patterns as release_files

from .cache import public_cache
from .editor_uploads import editor_image_upload
from .feeds import ATOM, RSS
from .sitemaps import SITEMAPS
from .views import favicon, healthz, robots_txt

admin.site.site_header = _("Newsroom administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Press office")

# The dependency keys of the feeds and index pages (releases/dependencies.py names them).
RELEASE_FEED = ["list:releases", "list:topics", "list:issuers", "list:publications"]
PUBLICATION_FEED = ["list:publications", "list:issuers"]
EVERY_LIST = [*RELEASE_FEED, "list:contacts"]


def release_feed(feed):
    return public_cache(feed, keys=RELEASE_FEED)


def publication_feed(feed):
    return public_cache(feed, keys=PUBLICATION_FEED)


feed_patterns = [
    path("pressemitteilungen.rss", release_feed(ReleaseFeed(RSS)), name="releases_rss"),
    path("pressemitteilungen.atom", release_feed(ReleaseFeed(ATOM)), name="releases_atom"),
    path("themen/<slug:slug>.rss", release_feed(TopicFeed(RSS)), name="topic_rss"),
    path("themen/<slug:slug>.atom", release_feed(TopicFeed(ATOM)), name="topic_atom"),
    path("herausgeber/<slug:slug>.rss", release_feed(IssuerFeed(RSS)), name="issuer_rss"),
    path("herausgeber/<slug:slug>.atom", release_feed(IssuerFeed(ATOM)), name="issuer_atom"),
    path("publikationen.rss", publication_feed(PublicationFeed(RSS)), name="publications_rss"),
    path("publikationen.atom", publication_feed(PublicationFeed(ATOM)), name="publications_atom"),
    path("publikationen/<slug:slug>.rss", publication_feed(SeriesFeed(RSS)), name="series_rss"),
    path("publikationen/<slug:slug>.atom", publication_feed(SeriesFeed(ATOM)), name="series_atom"),
    *appointment_feeds,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # Second factor, sessions, password reset (accounts/); not per language, as mails link it.
    path("konto/", include("accounts.urls")),
    path("ckeditor5/image_upload/", editor_image_upload, name="editor_image_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/", include((feed_patterns, "feeds"))),
    # Release images and covers, checked on every request; one address for every language.
    path("", include((release_files + publication_files, "files"))),
    # An index of sections, so that no file grows past what crawlers accept.
    path(
        "sitemap.xml",
        public_cache(sitemap_index, keys=EVERY_LIST),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_cache(sitemap, query=["p"], keys=EVERY_LIST),  # a section's page number
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", public_cache(robots_txt, keys=[]), name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("", include("releases.urls")),
    path("", include("publications.urls")),
    path("", include("contacts.urls")),
    path("", include("alerts.urls")),
    path("", include("legal.urls")),
    path("", include("appointments.urls")),
    path("feeds/", public_cache(feeds_page, keys=EVERY_LIST), name="feeds_page"),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.NEWSROOM_SERVE_MEDIA:
    # Without a web server in front (make serve), Django hands out the public images itself.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
