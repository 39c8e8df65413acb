"""Public release pages. Every public query starts from `Release.objects.live()` (or `reachable()`).

Previews (staff, and secret embargo links) render the same template with a banner, are never
cached, and are kept out of search engines.
"""

import json

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe

from contacts.models import Organisation
from publications.models import Publication

from .feeds import feed_links
from .filters import ReleaseFilterForm
from .models import OldSlug, PreviewAccess, PreviewLink, Release, ReleaseContact, Topic
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
    return render(
        request, "releases/home.html", {"releases": releases, "topics": Topic.objects.in_use()}
    )


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
    topic = get_object_or_404(Topic, slug=slug)
    return release_list(
        request,
        topic=topic,
        template="releases/topic_detail.html",
        extra_context={"feed_links": feed_links(topic=topic)},
    )


def issuer_detail(request, slug):
    issuer = get_object_or_404(Organisation, slug=slug)
    return release_list(
        request,
        issuer=issuer,
        template="releases/issuer_detail.html",
        extra_context={
            "contacts": issuer.contacts.active().select_related("organisation"),
            "publications": Publication.objects.public()
            .filter(issuer=issuer)
            .select_related("series")[:5],
            "feed_links": feed_links(issuer=issuer),
        },
    )


def with_page_relations(queryset):
    """Everything the release page shows, in a fixed number of queries."""
    contacts = ReleaseContact.objects.select_related("contact__organisation")
    return queryset.select_related("issuer").prefetch_related(
        "topics",
        "links",
        "images",
        "corrections",
        Prefetch("release_contacts", queryset=contacts),
        Prefetch("publications", queryset=Publication.objects.public().select_related("series")),
    )


JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def local_iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def news_article(request, release) -> str:
    """schema.org NewsArticle as JSON-LD, safe to place inside a <script> element."""
    absolute = request.build_absolute_uri
    issuer = release.issuer
    corrections = list(release.corrections.all())
    modified = corrections[-1].created_at if corrections else release.published_at
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
        "image": [absolute(image.file.url) for image in release.images.all()],
        "keywords": [topic.name for topic in release.topics.all()],
    }
    # <, > and & are escaped, so the JSON cannot close its <script> element.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308


def render_release(request, release, *, preview=None, embargoed_until=None):
    response = render(
        request,
        "releases/release_detail.html",
        {
            "release": release,
            "contacts": [item.contact for item in release.release_contacts.all()],
            "preview": preview,
            "embargoed_until": embargoed_until,
            "json_ld": news_article(request, release),
            # The release's own feeds: everything, its issuer's and its topics'.
            "feed_links": feed_links()
            + feed_links(issuer=release.issuer)
            + [link for topic in release.topics.all() for link in feed_links(topic=topic)],
        },
    )
    if preview:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def release_detail(request, slug):
    release = with_page_relations(Release.objects.reachable()).filter(slug=slug).first()
    if release is None:
        old = OldSlug.objects.filter(slug=slug, release__in=Release.objects.reachable()).first()
        if old is None:
            raise Http404("No such release.")
        return redirect(old.release, permanent=True)
    return render_release(request, release)


def preview_link(request, token):
    """A secret embargo link: the release as it stands, whatever its state, while the link holds."""
    link = PreviewLink.objects.valid().filter(token=token).select_related("release").first()
    if link is None:
        raise Http404("No such preview link.")
    release = with_page_relations(Release.objects.filter(pk=link.release_id)).get()
    PreviewAccess.objects.create(
        link=link,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("user-agent", "")[:300],
    )
    embargoed_until = None
    if not release.is_live and release.go_live_at and release.go_live_at > timezone.now():
        embargoed_until = release.go_live_at
    return render_release(request, release, preview="embargo", embargoed_until=embargoed_until)
