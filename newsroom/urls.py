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

from publications.feeds import ATOM, RSS, PublicationFeed, SeriesFeed
from releases.feeds import IssuerFeed, ReleaseFeed, TopicFeed, feeds_page

from .cache import public_cache
from .editor_uploads import editor_image_upload
from .sitemaps import SITEMAPS
from .views import healthz, robots_txt

admin.site.site_header = _("Newsroom administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Press office")

feed_patterns = [
    path("pressemitteilungen.rss", public_cache(ReleaseFeed(RSS)), name="releases_rss"),
    path("pressemitteilungen.atom", public_cache(ReleaseFeed(ATOM)), name="releases_atom"),
    path("themen/<slug:slug>.rss", public_cache(TopicFeed(RSS)), name="topic_rss"),
    path("themen/<slug:slug>.atom", public_cache(TopicFeed(ATOM)), name="topic_atom"),
    path("herausgeber/<slug:slug>.rss", public_cache(IssuerFeed(RSS)), name="issuer_rss"),
    path("herausgeber/<slug:slug>.atom", public_cache(IssuerFeed(ATOM)), name="issuer_atom"),
    path("publikationen.rss", public_cache(PublicationFeed(RSS)), name="publications_rss"),
    path("publikationen.atom", public_cache(PublicationFeed(ATOM)), name="publications_atom"),
    path("publikationen/<slug:slug>.rss", public_cache(SeriesFeed(RSS)), name="series_rss"),
    path("publikationen/<slug:slug>.atom", public_cache(SeriesFeed(ATOM)), name="series_atom"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ckeditor5/image_upload/", editor_image_upload, name="editor_image_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/", include((feed_patterns, "feeds"))),
    # An index of sections, so that no file grows past what crawlers accept.
    path("sitemap.xml", public_cache(sitemap_index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public_cache(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", public_cache(robots_txt), name="robots_txt"),
    path("healthz", healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", include("releases.urls")),
    path("", include("publications.urls")),
    path("", include("contacts.urls")),
    path("", include("alerts.urls")),
    path("feeds/", public_cache(feeds_page), name="feeds_page"),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.NEWSROOM_SERVE_MEDIA:
    # Without a web server in front (make serve), Django hands out the public images itself.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
