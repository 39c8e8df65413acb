"""Public release pages. Every public query starts from `Release.objects.live()` (or `reachable()`).

Previews (staff, and secret embargo links) render the same template with a banner, are never
cached, and are kept out of search engines.
"""

import functools
import hashlib
import json
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import (
    Count,
    Prefetch,
    Q,
    Window,
    prefetch_related_objects,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contacts.models import Organisation
from newsroom.cache import (
    changes_at,
    code_version,
    depends_on,
    is_anonymous,
    kept,
    kept_in_generation,
    only_declared_query,
)
from newsroom.clients import client_ip
from newsroom.protected_files import checked_view, serve
from newsroom.translations import adopt_related, in_language
from photos import zips
from photos.gallery import gallery, photos_of, with_photos
from photos.models import Photo
from photos.views import find_file, kept_until_rights_end, send_file
from publications.models import Publication
from publications.views import send_document

from . import sections
from .dependencies import page_changes_at, release_page_keys, with_page_changes
from .feeds import feed_links
from .filters import ReleaseFilterForm, public_topics
from .models import (
    NOT_DISPLAYED,
    RELEASE_IMAGE_DIRECTORY,
    SHOWN_TO_LINK_HOLDERS,
    OldSlug,
    PreviewAccess,
    PreviewLink,
    Release,
    ReleaseContact,
    ReleaseImage,
    Topic,
)
from .search import RANKED_MATCHES, SNIPPET_FIELDS, best_first, search, snippet
from .teasers import TEASER_FIELDS, localized_topics, with_teasers

HOME_RELEASE_COUNT = 10
RELEASE_TEMPLATE = "releases/release_detail.html"
PAGE_SIZE = 20


def home(request):
    """Home, rendered once per content generation, language and address for visitors without a
    session and kept until a key it shows is purged (the newest releases, their teasers, the
    topics, the sections), as release pages are: read again, it costs no query."""
    if not is_anonymous(request):
        return render(request, "releases/home.html", home_context())
    name = f"newsroom:home:{get_language()}:{origin_of(request)}:{code_version()}"
    return HttpResponse(
        kept_in_generation(
            name,
            lambda: render_for_everyone(request, "releases/home.html", home_context),
            keys=LISTED,
        )
    )


def home_context() -> dict:
    releases = Release.objects.live().newest_first().only(*TEASER_FIELDS)[:HOME_RELEASE_COUNT]
    return {
        "releases": with_teasers(releases),
        "topic_list": home_topic_list(),
        "sections": sections.render(sections.HOME),
    }


def render_for_everyone(request, template: str, context) -> str:
    """A page that is kept and given to every visitor without a session: it reads no parameter
    (its language links must not copy one, say ?utm=1, into it) and holds no CSRF token.
    `context()` builds its context, watched as the template is."""
    token_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    with only_declared_query(request, ()):
        html = render_to_string(template, context(), request)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not token_before:
        raise ImproperlyConfigured(f"{template} is kept for everyone: no CSRF token.")
    return html


def origin_of(request) -> str:
    """The scheme and host a kept page's absolute links were built for, as a short digest."""
    return hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:12]


def home_topic_list() -> str:
    """Home's list of the topics in use, rendered once per content generation and language
    (fifteen links, each reversed and translated, were a fifth of a cold home page). What
    public_topics shows (its keys) is what this shows."""
    return kept_in_generation(
        f"newsroom:home-topics:{get_language()}:{code_version()}",
        lambda: render_to_string("releases/home_topics.html", {"topics": public_topics()}),
    )


# A search counts its hits up to here ("more than 1,000 results"): a broad one would otherwise
# count through the whole archive on every page.
SEARCH_COUNT_LIMIT = RANKED_MATCHES - 1  # the newest 1,001 matches are ranked
# From this many rows deep, a list page starts after the last row of the page before it (kept
# when that page was shown) instead of skipping rows with OFFSET.
KEYSET_FROM = 1000
LISTED = ["list:releases"]
# What a search's hits are loaded without: all but what a snippet is made of and a teaser is
# named by (deferred, not `only`: `only` would load every field of the joined translation).
NOT_IN_SNIPPET = [
    field.name
    for field in Release._meta.concrete_fields
    if not field.primary_key and field.name not in {*TEASER_FIELDS, *SNIPPET_FIELDS}
]
# Far beyond any archive (and within what every database can skip).
MAX_PAGE = 10_000_000


class ArchivePaginator(Paginator):
    """Finds a page's ids first, then loads only those rows (from `rows`, default the list).

    Costly columns (snippets) are then computed for one page only. The total is kept per content
    change under `total_name` (newsroom.cache.kept) and, when it is not known yet, counted in
    the same query as the ids; each page's rows are kept beside it. With `counted_up_to` instead
    (a search, whose list holds the cap and one more), the ids of its rows, in the order
    `ranking` (a function of the list) gives, are read in one query and kept per content
    generation under `ranked_name`: the count is theirs (`more` says that more match, and the
    pages end there), and the next page, or the next journalist searching the same, costs no
    search. Deep in a kept list ordered newest first by `keyset` (descending fields), a page
    starts after the last row of the page before it where that is kept, not with an OFFSET scan
    over the rows before it.

    With `fields` (the primary key, the keyset and what else the page needs of a row), the query
    for the ids reads those too and the page holds plain rows with them as attributes: no second
    query (a list whose teasers are kept needs only each row's id and version).
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        total_name: str | None = None,
        counted_up_to: int | None = None,
        ranked_name: str | None = None,
        ranking=None,
        keyset: tuple[str, ...] = (),
        rows=None,
        fields: tuple[str, ...] = (),
    ):
        super().__init__(object_list, per_page)
        self.total_name, self.counted_up_to, self.keyset = total_name, counted_up_to, keyset
        self.ranked_name, self.ranking = ranked_name, ranking
        self.rows = object_list if rows is None else rows
        self.fields = fields
        self.more = False

    def _selected(self, anchored: bool) -> tuple[str, ...]:
        """What the query for the ids reads: `fields` (they include the keyset), else the keyset
        (deep in the list: the page's anchor is read too) or only the primary key."""
        return self.fields or (self.keyset if anchored else ("pk",))

    def _key_of(self, row: tuple, selected: tuple[str, ...]) -> tuple:
        return tuple(row[selected.index(field)] for field in self.keyset)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number > MAX_PAGE:  # asked before the total is known: no query may skip that far
            raise EmptyPage("That page contains no results")
        start = (number - 1) * self.per_page
        window = slice(start, start + self.per_page)
        anchor = self._anchor_name(start)
        counted = {}

        def total_with_ids():
            # Deep in the list, the row before the page comes too: the page's anchor.
            selected = self._selected(bool(anchor))
            begin = start - 1 if anchor else start
            counting = self.object_list.annotate(total=Window(Count("pk")))
            found = list(counting.values_list(*selected, "total")[begin : window.stop])
            if anchor and found:
                counted["last"] = self._key_of(found.pop(0), selected)
            counted["rows"] = [row[:-1] for row in found]
            return found[0][-1] if found else (0 if start == 0 else None)

        if self.total_name is not None:
            total = kept_in_generation(self.total_name, total_with_ids, keys=LISTED)
            if total is None:
                raise EmptyPage("That page contains no results")
            self.count = total
        elif self.counted_up_to is not None:
            # Every id of the list (the cap and one more) in `ranking`'s order, in one query;
            # kept per content generation under `ranked_name`.
            limit = self.counted_up_to
            ids = kept_in_generation(
                self.ranked_name, lambda: self.ranking(self.object_list), keys=LISTED
            )
            self.more = len(ids) > limit
            self.count = min(len(ids), limit)
        number = self.validate_number(number)
        if self.more:  # the pages end with the last result counted
            window = slice(start, min(window.stop, self.count))
        if self.counted_up_to is not None:
            counted["rows"] = [(pk,) for pk in ids[window]]
        if "last" in counted:
            kept_in_generation(anchor, lambda: counted["last"], keys=LISTED)
        found = counted.get("rows")
        if found is None and self.total_name is not None:
            # Kept with the list's total: a page read again costs no query. What a row holds
            # follows from the code: another deployment keeps its own.
            found = kept_in_generation(
                f"{self.total_name}:rows:{start}:{code_version()}",
                lambda: self._rows(start, window),
                keys=LISTED,
            )
        elif found is None:
            found = self._rows(start, window)
        if self.fields:
            shown = [SimpleNamespace(**dict(zip(self.fields, row, strict=True))) for row in found]
        else:
            selected = self._selected(bool(anchor))
            ids = [row[selected.index("pk")] for row in found]
            rows = {row.pk: row for row in self.rows.filter(pk__in=ids)}
            shown = [rows[pk] for pk in ids if pk in rows]
        page = self._get_page(shown, number, self)
        self._keep_where_next_starts(page, start)
        return page

    def _anchor_name(self, start: int) -> str | None:
        deep = self.keyset and self.total_name is not None and start >= KEYSET_FROM
        return f"{self.total_name}:after:{start}:{code_version()}" if deep else None

    def _rows(self, start: int, window: slice) -> list[tuple]:
        """The page's rows (of `_selected` fields): after the kept last row of the page before
        it, else with an OFFSET that (deep in the list) reads that row too and keeps it for the
        next reader."""
        name = self._anchor_name(start)
        if name is None:
            return list(self.object_list.values_list(*self._selected(False))[window])
        selected = self._selected(True)
        last = kept_in_generation(name, lambda: None, keys=LISTED)
        if last is None:
            found = list(self.object_list.values_list(*selected)[start - 1 : window.stop])
            if found:
                key = self._key_of(found[0], selected)
                kept_in_generation(name, lambda: key, keys=LISTED)
            return found[1:]
        first, *_ = self.keyset
        after, same = Q(), Q()
        for field, value in zip(self.keyset, last, strict=True):
            after |= same & Q(**{f"{field}__lt": value})
            same &= Q(**{field: value})
        # The first condition lets the database start its index scan at that row.
        listed = self.object_list.filter(Q(**{f"{first}__lte": last[0]}), after)
        return list(listed.values_list(*selected)[: self.per_page])

    def _keep_where_next_starts(self, page, start: int) -> None:
        """Deep in the list, keep this page's last row: the next page starts after it."""
        name = self._anchor_name(start + self.per_page)
        if name and page.has_next() and len(page.object_list) == self.per_page:
            last = page.object_list[-1]
            key = tuple(getattr(last, field) for field in self.keyset)
            kept_in_generation(name, lambda: key, keys=LISTED)


def paginate(request, queryset, *, rows=None, **counting):
    """The requested page (see ArchivePaginator for `counting` and `fields`); a page that is
    not a number or does not exist is a 404."""
    paginator = ArchivePaginator(queryset, PAGE_SIZE, rows=rows, **counting)
    try:
        return paginator.page(request.GET.get("seite") or 1)
    except (PageNotAnInteger, EmptyPage) as missing:
        raise Http404("No such page.") from missing


def release_total_name(form, topic, issuer, kind="release-total") -> str:
    """Names the total of a list (or, as `kind` "search", a search's ranked ids): what it
    counts besides the live releases is the topic or issuer of its page and the filters chosen
    (none where they are refused), the words searched for among them."""
    chosen = "refused"
    if not form.is_bound or form.is_valid():
        filters = sorted(form.cleaned_data.items()) if form.is_bound else []
        chosen = [(name, getattr(value, "pk", value)) for name, value in filters if value]
    fixed = (getattr(topic, "pk", None), getattr(issuer, "pk", None))
    digest = hashlib.sha256(repr((fixed, chosen)).encode()).hexdigest()[:24]
    return f"newsroom:{kind}:{digest}"


def release_list(
    request, *, topic=None, issuer=None, template="releases/release_list.html", extra_context=None
):
    """The filterable, searchable list; topic and issuer pages are this list with one fixed."""
    fixed = {name for name, value in [("topic", topic), ("issuer", issuer)] if value}
    form = ReleaseFilterForm(request.GET or None, fixed=fixed)
    releases = Release.objects.live()
    if topic:
        releases = releases.filter(topics=topic)
    if issuer:
        releases = releases.issued_by(issuer)
    query = ""
    if form.is_bound:
        if form.is_valid():
            releases = form.filter(releases)
            query = form.cleaned_data.get("q", "").strip()
        else:
            releases = releases.none()
    if query:
        listed = search(releases, query, get_language(), up_to=SEARCH_COUNT_LIMIT + 1)
        # Of each hit (and of its translation), only what its snippet is made of: the teasers
        # are kept, and with_teasers loads the others.
        hits = Release.objects.live().defer(*NOT_IN_SNIPPET)
        shown = in_language(hits, deferred=("title", *NOT_DISPLAYED))
        # A translation is found on a page in its language: the language is part of the name.
        ranked_name = f"{release_total_name(form, topic, issuer, 'search')}:{get_language()}"
        page = paginate(
            request,
            listed,
            rows=shown,
            counted_up_to=SEARCH_COUNT_LIMIT,
            ranked_name=ranked_name,
            ranking=best_first,
        )
    else:
        # Only ids and versions: the teasers are kept (with_teasers loads the others whole).
        page = paginate(
            request,
            releases.newest_first(),
            fields=TEASER_FIELDS,
            total_name=release_total_name(form, topic, issuer),
            keyset=("first_published_at", "go_live_at", "pk"),
        )
    if query:
        for release in page.object_list:
            release.snippet = snippet(release.localized, query)
    page.object_list = with_teasers(page.object_list)
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
    topic = get_object_or_404(Topic.objects.public().in_language(), slug=slug)
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
    issuer = get_object_or_404(Organisation.objects.public().in_language(), slug=slug)
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


def page_relations(*, every_publication=False) -> list:
    """What the release page shows besides its row (`with_page_row`), as a fixed number of
    prefetches.

    The public page shows the public publications only (a live release makes its own ones
    public); previews may show `every_publication` the release will carry.
    """
    contacts = ReleaseContact.objects.select_related("contact__organisation")
    publications = Publication.objects.all() if every_publication else Publication.objects.public()
    return [
        Prefetch("co_issuers", queryset=Organisation.objects.in_language()),
        localized_topics(),
        "links",
        Prefetch("images", queryset=shown_images()),
        "corrections",
        Prefetch("release_contacts", queryset=contacts),
        Prefetch("publications", queryset=publications.select_related("series").in_language()),
    ]


def shown_images():
    """A release's images with their photos, texts and renditions in the same query."""
    return with_photos(ReleaseImage.objects.all())


def release_gallery(release, *, preview_link=None, preview=None) -> list:
    """The photos the release page shows, from its `shown_images`. The public page of a
    withdrawn release shows none (as it links no document: only a live release makes its photos
    public); an embargo link's page addresses them through the link, while it is valid."""
    photos = photos_of(release.images.all())
    if preview_link:
        token = preview_link.token
        return gallery(
            photos,
            lambda name: reverse("files:preview_photo", args=[token, name.rsplit("/", 1)[-1]]),
            linked=False,
        )
    if not preview and not release.is_live:
        return []
    return gallery(photos, linked=not preview)


def with_page_row(queryset):
    """The release rows with what the page shows of them in the same query: the issuer, the
    translations into the page's language and which languages the release exists in."""
    return queryset.for_display().select_related("issuer").in_language().with_languages()


def with_page_relations(queryset, *, every_publication=False):
    """Everything the release page shows, in a fixed number of queries."""
    return with_page_row(queryset).prefetch_related(
        *page_relations(every_publication=every_publication)
    )


JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def local_iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def news_article(request, release, photos) -> str:
    """schema.org NewsArticle as JSON-LD, safe to place inside a <script> element."""
    absolute = request.build_absolute_uri
    issuer = release.issuer
    modified = release.last_corrected_at or release.published_at
    authors = [{"@type": "Organization", "name": each.localized.name} for each in release.issuers]
    text = release.localized
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "description": text.lead,
        "mainEntityOfPage": absolute(release.get_absolute_url()),
        "datePublished": local_iso(release.published_at),
        "dateModified": local_iso(modified),
        "inLanguage": text.lang,
        # A joint release has several authors; the lead issuer publishes it.
        "author": authors if len(authors) > 1 else authors[0],
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
        "image": [absolute(item.src) for item in photos],
        "keywords": [topic.localized.name for topic in release.topics.all()],
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


def page_context(request, release, *, preview=None, embargoed_until=None, preview_link=None):
    """What the release page shows, from a release with its `page_relations` loaded. Through an
    embargo `preview_link`, images and downloads are addressed through that link, so they answer
    exactly as long as it is valid."""
    photos = release_gallery(release, preview_link=preview_link, preview=preview)
    adopt_related([release], "issuer")
    issuers = release.issuers
    # Each issuer's legal notice has its own anchor; a contact's footnote points to its office's.
    for number, issuer in enumerate(issuers):
        issuer.legal_notice_anchor = f"legal-notice-{issuer.slug}" if number else "legal-notice"
    anchors = {issuer.pk: issuer.legal_notice_anchor for issuer in issuers}
    contacts = [item.contact for item in release.release_contacts.all()]
    for contact in contacts:
        contact.legal_notice_anchor = anchors.get(contact.organisation_id, "legal-notice")
    if preview_link:
        for publication in release.publications.all():
            publication.preview_download_url = reverse(
                "files:preview_download", args=[preview_link.token, publication.slug]
            )
    return {
        "release": release,
        # The text in the page's language, or the German one marked as such.
        "text": release.localized,
        "content_languages": release.languages,
        "issuers": issuers,
        "contacts": contacts,
        "preview": preview,
        "embargoed_until": embargoed_until,
        "embargo_time": embargo_time(embargoed_until) if embargoed_until else "",
        "json_ld": news_article(request, release, photos),
        "gallery": photos,
        "photos_zip_url": (
            reverse("files:preview_photos_zip", args=[preview_link.token])
            if preview_link
            else reverse("releases:photos_zip", args=[release.slug])
        )
        if photos and (preview_link or not preview)
        else None,
        "feed_links": release.feed_links(),
    }


def render_release(request, release, *, preview, embargoed_until=None, preview_link=None):
    """A preview of the release page (staff's, or an embargo link's): rendered afresh each time,
    never cached, kept out of search engines."""
    context = page_context(
        request,
        release,
        preview=preview,
        embargoed_until=embargoed_until,
        preview_link=preview_link,
    )
    response = render(request, RELEASE_TEMPLATE, context)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The address holds the secret token: no request from this page (its CSS, images or a
    # followed link) may carry it in a Referer. The page has no form to break.
    response["Referrer-Policy"] = "no-referrer"
    return response


# What `still_public` reads of a release row.
STILL_PUBLIC = ("id", "slug", "version", "state", "go_live_at", "first_published_at")


def public_page(request, slug) -> dict | None:
    """The public page of the release at `slug`, if it has one, rendered, and the version it
    shows (see `release_detail`)."""
    rows = with_page_changes(with_page_row(Release.objects.reachable()))
    release = rows.filter(slug=slug).first()
    if release is None:
        return None
    prefetch_related_objects([release], *page_relations())
    depends_on(*release_page_keys(release))
    hidden_until = page_changes_at(release)
    changes_at(hidden_until)
    if hidden_until is not None:
        # A document it links is not public yet: an edit may make it so before that second.
        depends_on("list:publications")
    html = render_for_everyone(request, RELEASE_TEMPLATE, lambda: page_context(request, release))
    return {"html": html, "shows": (release.pk, release.version, release.state)}


def still_public(slug, page: dict) -> bool:
    """Is the version a kept page shows still the public one at this address?

    Asked on every read of a kept release page, the most read page there is: one lookup by
    primary key, written out, where building the same query with the ORM took three times as
    long as the database takes to answer it."""
    pk, version, state = page["shows"]
    rows = Release.objects.raw(_still_public_sql(Release.objects.db), [pk])
    current = next(iter(rows), None)
    return (
        current is not None
        and (current.slug, current.version, current.state) == (slug, version, state)
        and current.is_reachable
    )


@functools.cache
def _still_public_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(Release._meta.get_field(name).column) for name in STILL_PUBLIC)
    table, key = quote(Release._meta.db_table), quote(Release._meta.pk.column)
    return f"SELECT {columns} FROM {table} WHERE {key} = %s"  # noqa: S608 - names from _meta


def public_page_name(request, slug) -> str:
    """Names the kept rendering of a public release page: everything it depends on besides the
    release's version and the keys it shows (newsroom.cache.kept checks those)."""
    return f"newsroom:release-page:{slug}:{get_language()}:{origin_of(request)}:{code_version()}"


def release_detail(request, slug):
    """The public release page. It is rendered once per version and language and kept until
    something it shows changes, so a page read again, after any go-live elsewhere, costs one
    query: that the version is still public. A visitor with a session (staff) is given a page
    built afresh, neither kept nor read from what is kept, as the page cache does."""
    if is_anonymous(request):
        page = kept(
            public_page_name(request, slug),
            lambda: public_page(request, slug),
            check=lambda page: still_public(slug, page),
        )
    else:
        page = public_page(request, slug)
    if page is None:
        old = OldSlug.objects.filter(slug=slug, release__in=Release.objects.reachable()).first()
        if old is None:
            raise Http404("No such release.")
        return redirect(old.release, permanent=True)
    return HttpResponse(page["html"])


def preview_link(request, token):
    """A secret embargo link: the approved release before its second, while the link holds.

    While an edit waits for a new approval the link says so instead of showing the draft."""
    link = PreviewLink.objects.valid().filter(token=token).select_related("release").first()
    if link is None:
        raise Http404("No such preview link.")
    if link.release.state not in SHOWN_TO_LINK_HOLDERS:
        return render(request, "releases/preview_in_revision.html", status=404)
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


def may_see_unpublished(user, permission: str, obj=None) -> bool:
    """Staff who may see `obj` (a role in its office); without `obj`, in any office."""
    return user.is_active and user.is_staff and user.has_perm(permission, obj)


@checked_view
def release_image(request, name):
    """The address a release image had before the media library: its photo's download, for
    good, while the photo is public; anything else is a 404."""
    photo = Photo.objects.public().filter(file=f"{RELEASE_IMAGE_DIRECTORY}/{name}").first()
    if photo is None or not photo.has_renditions:
        raise Http404("No such image.")
    return redirect(photo.download["url"], permanent=True)


def valid_preview_link(token) -> PreviewLink:
    link = PreviewLink.objects.showing().filter(token=token).first()
    if link is None:
        raise Http404("No such preview link.")
    return link


def link_photos(link: PreviewLink):
    """The photos (in rights) of the release an embargo link shows."""
    return Photo.objects.in_rights().filter(release_images__release=link.release_id)


def for_link_holders(response):
    """A file of an embargo link: private, never stored, never indexed."""
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@checked_view
def preview_photo(request, token, name):
    """A rendition or the download of a photo of the release an embargo link shows, while the
    link is valid; never cached."""
    link = valid_preview_link(token)
    photo, stored = find_file(link_photos(link), name)
    return for_link_holders(send_file(request, photo, stored, public=False))


def send_zip(request, release, photos: list, *, public: bool):
    """The zip of the downloads of `photos` (built once per version and photos, then kept)."""
    name = zips.photos_zip(
        f"release:{release.pk}:{release.version}",
        photos,
        release.localized.title,
        get_language() or "de",
    )
    field_file = SimpleNamespace(storage=storages["protected"], name=name)
    response = serve(request, field_file, public=public)
    response["Content-Type"] = "application/zip"
    filename = f"{release.slug[:60]}-{_('photos')}.zip"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def zip_photos(release) -> list:
    """The photos a release's zip holds: those its page shows (`release_gallery`)."""
    photos = [item.photo for item in release_gallery(release)]
    if not photos:
        raise Http404("This release has no photos.")
    return photos


@checked_view
def photos_zip(request, slug):
    """ "Download all": the zip of a live release's photos, which any cache may keep."""
    release = get_object_or_404(Release.objects.live().in_language(), slug=slug)
    prefetch_related_objects([release], Prefetch("images", queryset=shown_images()))
    photos = zip_photos(release)
    return kept_until_rights_end(send_zip(request, release, photos, public=True), photos)


@checked_view
def preview_photos_zip(request, token):
    """The zip of the photos of the release an embargo link shows, while the link is valid."""
    link = valid_preview_link(token)
    release = Release.objects.in_language().get(pk=link.release_id)
    prefetch_related_objects([release], Prefetch("images", queryset=shown_images()))
    items = release_gallery(release, preview_link=link)
    if not items:
        raise Http404("This release has no photos.")
    photos = [item.photo for item in items]
    return for_link_holders(send_zip(request, release, photos, public=False))


@checked_view
def preview_download(request, token, slug):
    """A publication of the release an embargo link shows, while the link is valid."""
    link = valid_preview_link(token)
    publication = get_object_or_404(link.release.publications.all(), slug=slug)
    return for_link_holders(send_document(publication))
