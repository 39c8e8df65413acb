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

from .cache import public_cache
from .editor_uploads import editor_image_upload
from .sitemaps import SITEMAPS
from .views import favicon, healthz, robots_txt, view_on_site

admin.site.site_header = _("Newsroom administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Press office")

# What sitemap.xml shows, for its dependency keys (releases/dependencies.py names them).
EVERY_LIST = ["list:releases", "list:topics", "list:issuers", "list:publications", "list:contacts"]

# Each app's feeds (per language: German under /feeds/, English under /en/feeds/) and checked
# files (outside the language prefixes, one address for every language); the apps' modules carry
# no namespace, so their names join `feeds:` and `files:`.
feed_patterns = [
    path("", include("releases.feed_urls")),
    path("", include("publications.feed_urls")),
    path("", include("appointments.feed_urls")),
]
file_patterns = [
    path("", include("releases.file_urls")),
    path("", include("publications.file_urls")),
]

urlpatterns = [
    # Before the admin's own: its "view on site" redirect would name any object's address.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    # Second factor, sessions, password reset (accounts/); not per language, as mails link it.
    path("konto/", include("accounts.urls")),
    path("ckeditor5/image_upload/", editor_image_upload, name="editor_image_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Release images and covers, checked on every request; one address for every language.
    path("", include((file_patterns, "files"))),
    # A photo's renditions and download (namespace `photos`), checked the same way.
    path("", include("photos.file_urls")),
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
    path("feeds/", include((feed_patterns, "feeds"))),
    path("", include("releases.urls")),
    path("", include("publications.urls")),
    path("", include("contacts.urls")),
    path("", include("alerts.urls")),
    path("", include("legal.urls")),
    path("", include("appointments.urls")),
    path("", include("photos.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.NEWSROOM_SERVE_MEDIA:
    # Without a web server in front (make serve), Django hands out the public images itself.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
