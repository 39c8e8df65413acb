"""Public release pages. Every public query starts from `Release.objects.live()` (or `reachable()`).

Previews (staff, and secret embargo links) render the same template with a banner, are never
cached, and are kept out of search engines.
"""

import json

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from contacts.models import Organisation
from newsroom.cache import depends_on
from newsroom.clients import client_ip
from newsroom.protected_files import checked_view, serve
from publications.models import Publication
from publications.views import send_document

from . import sections
from .dependencies import release_page_keys
from .feeds import feed_links
from .filters import ReleaseFilterForm
from .models import (
    RELEASE_IMAGE_DIRECTORY,
    OldSlug,
    PreviewAccess,
    PreviewLink,
    Release,
    ReleaseContact,
    ReleaseImage,
    Topic,
)
from .search import search, snippet

HOME_RELEASE_COUNT = 10
PAGE_SIZE = 20


def home(request):
    releases = (
        Release.objects.live()
        .newest_first()
        .select_related("issuer")
        .prefetch_related("topics")[:HOME_RELEASE_COUNT]
    )
    context = {
        "releases": releases,
        "topics": Topic.objects.public(),
        "sections": sections.render(sections.HOME),
    }
    return render(request, "releases/home.html", context)


class ArchivePaginator(Paginator):
    """Finds a page's ids first, then loads only those rows.

    Deep in a large archive (page 1,000), the database then skips index entries instead of
    whole rows, and costly columns (search snippets) are computed for one page only.
    """

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[start : start + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(request, queryset):
    """The requested page; a page that is not a number or does not exist is a 404."""
    paginator = ArchivePaginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("seite") or 1)
    except (PageNotAnInteger, EmptyPage) as missing:
        raise Http404("No such page.") from missing


def release_list(
    request, *, topic=None, issuer=None, template="releases/release_list.html", extra_context=None
):
    """The filterable, searchable list; topic and issuer pages are this list with one fixed."""
    fixed = {name for name, value in [("thema", topic), ("herausgeber", issuer)] if value}
    form = ReleaseFilterForm(request.GET or None, fixed=fixed)
    releases = Release.objects.live()
    if topic:
        releases = releases.filter(topics=topic)
    if issuer:
        releases = releases.filter(issuer=issuer)
    query = ""
    if form.is_bound:
        if form.is_valid():
            releases = form.filter(releases)
            query = form.cleaned_data.get("q", "").strip()
        else:
            releases = releases.none()
    releases = search(releases, query) if query else releases.newest_first()
    page = paginate(request, releases.select_related("issuer").prefetch_related("topics"))
    if query:
        for release in page.object_list:
            release.snippet = snippet(release, query)
    params = request.GET.copy()
    params.pop("seite", None)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "filter_query": params.urlencode(),
            "topic": topic,
            "issuer": issuer,
            **(extra_context or {}),
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    return release_list(
        request,
        topic=topic,
        template="releases/topic_detail.html",
        extra_context={
            "feed_links": feed_links(topic=topic),
            "sections": sections.render(sections.TOPIC_PAGE, topic),
        },
    )


def issuer_detail(request, slug):
    issuer = get_object_or_404(Organisation.objects.public(), slug=slug)
    return release_list(
        request,
        issuer=issuer,
        template="releases/issuer_detail.html",
        extra_context={
            "contacts": issuer.contacts.active().select_related("organisation"),
            "publications": Publication.objects.public()
            .filter(issuer=issuer)
            .newest_first()
            .select_related("series")[:5],
            "feed_links": feed_links(issuer=issuer),
            "sections": sections.render(sections.ISSUER_PAGE, issuer),
        },
    )


def with_page_relations(queryset, *, every_publication=False):
    """Everything the release page shows, in a fixed number of queries.

    The public page shows the public publications only (a live release makes its own ones
    public); previews may show `every_publication` the release will carry.
    """
    contacts = ReleaseContact.objects.select_related("contact__organisation")
    publications = Publication.objects.all() if every_publication else Publication.objects.public()
    return queryset.select_related("issuer").prefetch_related(
        "topics",
        "links",
        "images",
        "corrections",
        Prefetch("release_contacts", queryset=contacts),
        Prefetch("publications", queryset=publications.select_related("series")),
    )


JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def local_iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def news_article(request, release) -> str:
    """schema.org NewsArticle as JSON-LD, safe to place inside a <script> element."""
    absolute = request.build_absolute_uri
    issuer = release.issuer
    modified = release.last_corrected_at or release.published_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": release.lead,
        "mainEntityOfPage": absolute(release.get_absolute_url()),
        "datePublished": local_iso(release.published_at),
        "dateModified": local_iso(modified),
        "inLanguage": "de",
        "author": {"@type": "Organization", "name": issuer.name},
        "publisher": {
            "@type": "Organization",
            "name": issuer.name,
            **({"url": issuer.website} if issuer.website else {}),
            **(
                {"logo": {"@type": "ImageObject", "url": absolute(issuer.logo.url)}}
                if issuer.logo
                else {}
            ),
        },
        "image": [absolute(image.src) for image in release.images.all()],
        "keywords": [topic.name for topic in release.topics.all()],
    }
    # <, > and & are escaped, so the JSON cannot close its <script> element.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308


# Berlin's zones as German readers know them.
GERMAN_ZONE_NAMES = {"CET": "MEZ", "CEST": "MESZ"}


def embargo_time(value) -> str:
    """The embargo to the second, with the zone: a journalist must not guess what "23:22" means.

    German: "26. November 2026, 23:22:50 Uhr (MEZ)"; English: "26 November 2026, 11:22:50 pm
    (CET)".
    """
    local = timezone.localtime(value)
    zone = local.tzname()
    if (get_language() or "de").startswith("en"):
        clock = f"{local.hour % 12 or 12}:{local:%M:%S} {'am' if local.hour < 12 else 'pm'}"
        return f"{date_format(local, 'j F Y')}, {clock} ({zone})"
    zone = GERMAN_ZONE_NAMES.get(zone, zone)
    return f"{date_format(local, 'j. F Y')}, {local:%H:%M:%S} Uhr ({zone})"


def render_release(request, release, *, preview=None, embargoed_until=None, preview_link=None):
    """The release page. Through an embargo `preview_link`, images and downloads are addressed
    through that link, so they answer exactly as long as it is valid."""
    for image in release.images.all():
        image.src = (
            reverse("files:preview_image", args=[preview_link.token, image.file_basename])
            if preview_link
            else image.file.url
        )
    if preview_link:
        for publication in release.publications.all():
            publication.preview_download_url = reverse(
                "files:preview_download", args=[preview_link.token, publication.slug]
            )
    response = render(
        request,
        "releases/release_detail.html",
        {
            "release": release,
            "contacts": [item.contact for item in release.release_contacts.all()],
            "preview": preview,
            "embargoed_until": embargoed_until,
            "embargo_time": embargo_time(embargoed_until) if embargoed_until else "",
            "json_ld": news_article(request, release),
            "feed_links": release.feed_links(),
        },
    )
    if preview:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The address holds the secret token: no request from this page (its CSS, images or a
        # followed link) may carry it in a Referer. The page has no form to break.
        response["Referrer-Policy"] = "no-referrer"
    return response


def release_detail(request, slug):
    release = with_page_relations(Release.objects.reachable()).filter(slug=slug).first()
    if release is None:
        old = OldSlug.objects.filter(slug=slug, release__in=Release.objects.reachable()).first()
        if old is None:
            raise Http404("No such release.")
        return redirect(old.release, permanent=True)
    depends_on(*release_page_keys(release))
    return render_release(request, release)


def preview_link(request, token):
    """A secret embargo link: the release as it stands, whatever its state, while the link holds."""
    link = PreviewLink.objects.valid().filter(token=token).select_related("release").first()
    if link is None:
        raise Http404("No such preview link.")
    release = with_page_relations(
        Release.objects.filter(pk=link.release_id), every_publication=True
    ).get()
    PreviewAccess.objects.create(
        link=link,
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent", "")[:300],
    )
    return render_release(
        request,
        release,
        preview="embargo",
        embargoed_until=release.embargoed_until,
        preview_link=link,
    )


def may_see_unpublished(user, permission: str) -> bool:
    return user.is_active and user.is_staff and user.has_perm(permission)


@checked_view
def release_image(request, name):
    """A release image: for everyone once its release has a public page, before that for staff
    who may see releases. Anything else, including an unknown name, is a 404."""
    images = ReleaseImage.objects.filter(file=f"{RELEASE_IMAGE_DIRECTORY}/{name}")
    image = images.filter(release__in=Release.objects.reachable()).first()
    if image is not None:
        return serve(request, image.file, public=True)
    if may_see_unpublished(request.user, "releases.view_release"):
        image = images.first()
        if image is not None:
            return serve(request, image.file, public=False)
    raise Http404("No such image.")


def valid_preview_link(token) -> PreviewLink:
    link = PreviewLink.objects.valid().filter(token=token).first()
    if link is None:
        raise Http404("No such preview link.")
    return link


@checked_view
def preview_image(request, token, name):
    """An image of the release an embargo link shows, while the link is valid; never cached."""
    link = valid_preview_link(token)
    image = ReleaseImage.objects.filter(
        release_id=link.release_id, file=f"{RELEASE_IMAGE_DIRECTORY}/{name}"
    ).first()
    if image is None:
        raise Http404("No such image.")
    return serve(request, image.file, public=False)


@checked_view
def preview_download(request, token, slug):
    """A publication of the release an embargo link shows, while the link is valid."""
    link = valid_preview_link(token)
    publication = get_object_or_404(link.release.publications.all(), slug=slug)
    response = send_document(publication)
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
