"""The cache of anonymous public pages and feeds, and its invalidation by dependency keys.

Each cached page records the keys of what it shows (`release:12`, `topic:3`, `list:releases`;
see `depends_on` and `public_cache(keys=...)`). A public change purges the keys it touches: each
key has a *token* (a random nonce) in the shared cache, a page is stored with the tokens its keys
had, and a page whose tokens no longer match is built again. A change the public cannot see (a
draft, a release in review, an office nobody may see yet) purges nothing: the apps tell
`register_dependencies` which keys a change of their models touches, and when it touches none.
A page that declares no keys depends on `site`, which every public change purges.

Over the tokens lies the *content generation*, a random name that is part of every page's key:
it changes with a change of unknown or site-wide reach (`content_changed()` without an object)
and at the next scheduled go-live second, so an embargoed release appears at its second without
any job running; scheduling a release earlier than that second starts a new one too.

Tokens, generation and pages live in the shared cache (a file cache under var/ by default, Redis
with REDIS_URL), so every process (gunicorn workers, the task worker, `manage.py shell`) reads
and purges the same ones. An edge cache in front (Varnish with xkey, `edge/`) is told the same
keys in an `xkey` header, a TTL that ends before the next go-live second in `Surrogate-Control`,
and is sent the same purges (newsroom/edge.py).

Only the query parameters a view declares take part in a page's key, and the view sees only
those: `?utm=1` is served the page without it, and cannot fill the cache with copies.

With a read replica, a page is never stored from a replica that has not yet replayed the latest
public change: such a request reads from the primary instead (newsroom/db_router.py).

Requests that carry a session cookie (staff) are neither served from nor stored in the cache,
and only views that opt in with `@public_cache` are cached (never previews or forms with a
CSRF token).
"""

import functools
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import wraps
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from . import db_router, edge

GENERATION_KEY = "newsroom:generation"
# Every key the page cache writes expires, also where the cache never evicts by itself; a lost
# generation only costs one round of freshly built pages.
GENERATION_SECONDS = 24 * 60 * 60


class Generation(NamedTuple):
    name: str
    # The generation must not outlive this second (the next scheduled go-live).
    next_go_live: datetime | None
    # The public change a replica must have replayed before pages built from it are stored.
    sequence: int


def cache():
    return caches[settings.NEWSROOM_PAGE_CACHE]


# What a change of each model touches: `keys_of(obj)` gives the keys of the pages that show it,
# and nothing if the public cannot see it (before or after the change). Registered by the apps.
_dependencies: dict[type, Callable[[object], Iterable[str]]] = {}


def register_dependencies(model: type, keys_of: Callable[[object], Iterable[str]]) -> None:
    _dependencies[model] = keys_of


# Pages that declare no keys depend on this one; every public change purges it.
UNDECLARED = "site"
# Every page carries this key at the edge, so that a change of unknown reach purges them all.
EVERYTHING = "all"


def touched_keys(changed) -> set[str] | None:
    """The keys a change of `changed` purges; None where only a new generation will do."""
    keys_of = _dependencies.get(type(changed)) if changed is not None else None
    if keys_of is None:
        return None
    keys = set(keys_of(changed))
    # Seen before the change (pre_save, pre_delete): what the object was still counts.
    keys |= getattr(changed, "_newsroom_keys_before", set())
    return keys | {UNDECLARED} if keys else keys


def note_before_change(changed) -> None:
    """Remember the keys of `changed` as it is in the database, before it is saved or deleted:
    a topic that stops being public must still purge the pages that named it."""
    keys_of = _dependencies.get(type(changed))
    if keys_of is not None and changed.pk is not None:
        changed._newsroom_keys_before = set(keys_of(changed))


def content_changed(changed=None) -> None:
    """Purge the pages that show `changed`, now and again when the current transaction commits.

    The second time matters: between the first and the commit, another request may still read
    the old rows and cache them. Without `changed` (or for a model whose keys nobody registered)
    a new generation starts: every page is built again.
    """
    keys = touched_keys(changed)
    if keys is None:
        db_router.count_public_change()
        start_generation()
        transaction.on_commit(start_generation)
        # Kept renderings outlive generations (see `kept`): they go with this key.
        purge({EVERYTHING})
        transaction.on_commit(lambda: purge({EVERYTHING}))
        edge.purge_on_commit({EVERYTHING})
        return
    if _moves_next_go_live(changed):
        # Pages were given lifetimes that pass this second: all of them go, here and at the edge.
        start_generation()
        transaction.on_commit(start_generation)
        edge.purge_on_commit({EVERYTHING})
    if not keys:
        return  # nothing the public sees
    db_router.count_public_change()
    purge(keys)
    transaction.on_commit(lambda: purge(keys))
    edge.purge_on_commit(keys)


def _moves_next_go_live(changed) -> bool:
    """Does `changed` change public pages by itself at a second before the current generation's
    end? An approved release at its go-live second; any model that says when with a
    `changes_pages_at` attribute (a photo, at the end of its rights)."""
    moment = getattr(changed, "changes_pages_at", None)
    if moment is None and getattr(changed, "state", None) == "approved":
        moment = getattr(changed, "go_live_at", None)
    if moment is None or moment <= timezone.now():
        return False
    generation = current_generation()
    return generation.next_go_live is None or moment < generation.next_go_live


def start_generation() -> None:
    """End the current content generation: what is kept per generation (pages, totals, a
    feed's validators, a search's ranked ids) is computed again; what is kept per version
    stays. A go-live second does this, and so does a change that has no dependency keys."""
    # Always a new random name, never an old one put back: whoever writes last, no page was
    # stored under the current generation before it became current.
    cache().set(GENERATION_KEY, secrets.token_hex(8), GENERATION_SECONDS)


# Tokens. A purge sets a new nonce for each key, stamped with the purge counter; a page stored
# with the old nonce no longer matches. The counter tells a page built *while* one of its keys
# was purged (it may hold the old rows): such a page is not stored.
PURGES_KEY = "newsroom:purges"
SEQUENCE_KEY = "newsroom:sequence"


def _token_key(key: str) -> str:
    return f"newsroom:key:{key}"


def _purge_count(store) -> int:
    count = store.get(PURGES_KEY)
    if count is None:
        # Lost (evicted): start again above every stamp given so far (milliseconds).
        store.add(PURGES_KEY, int(time.time() * 1000), GENERATION_SECONDS)
        count = store.get(PURGES_KEY) or 0
    return count


def purge(keys: Iterable[str]) -> None:
    """Invalidate every page that shows one of `keys` (in every process)."""
    store = cache()
    known = _request_tokens.get()
    if known is not None:
        known.clear()  # what this request read of the keys is out of date now
    try:
        stamp = store.incr(PURGES_KEY)
    except ValueError:
        stamp = _purge_count(store) + 1
        store.set(PURGES_KEY, stamp, GENERATION_SECONDS)
    store.set_many(
        {_token_key(key): (secrets.token_hex(8), stamp) for key in keys}, GENERATION_SECONDS
    )
    if settings.NEWSROOM_READ_REPLICA:
        # Pages built from a replica that has not replayed this change must not be stored.
        store.set(SEQUENCE_KEY, db_router.primary_sequence(), GENERATION_SECONDS)


def _tokens(store, keys: Iterable[str]) -> dict[str, tuple[str, int]]:
    """The current token of each key, created for keys that have none yet."""
    names = {_token_key(key): key for key in keys}
    found = store.get_many(list(names))
    for name in set(names) - set(found):
        store.add(name, (secrets.token_hex(8), 0), GENERATION_SECONDS)
        found[name] = store.get(name)
    return {names[name]: token for name, token in found.items() if token is not None}


# The tokens a public request has read. Every value kept shows EVERYTHING, and a list's teasers
# share their issuers and topics: a request checks each key's token once, not once per value.
_request_tokens: ContextVar[dict | None] = ContextVar("newsroom_tokens", default=None)


def _read_tokens(store, names: list[str]) -> dict:
    """The tokens stored under `names` (token keys), each read once per request."""
    known = _request_tokens.get()
    if known is None:
        return store.get_many(names)
    missing = [name for name in names if name not in known]
    if missing:
        found = store.get_many(missing)
        known.update((name, found.get(name)) for name in missing)
    return {name: known[name] for name in names if known[name] is not None}


def _start_computing(store) -> int:
    """The purge count before a value (or page) is computed, which is stored only if no key it
    shows is purged after it. What the request remembers of the tokens is forgotten here: a
    token read before this count would let a purge from another worker in between go unseen,
    and a stale inner value be stored as fresh."""
    known = _request_tokens.get()
    if known is not None:
        known.clear()
    return _purge_count(store)


def _still_valid(store, nonces: dict[str, str]) -> bool:
    """Do the keys of a stored page (or kept value) still have the tokens it was stored with?"""
    return _match(_read_tokens(store, [_token_key(key) for key in nonces]), nonces)


def _match(found: dict, nonces: dict[str, str]) -> bool:
    """Do the tokens `found` (by token key) have the nonces a value was stored with?"""
    return all(
        (token := found.get(_token_key(key))) is not None and token[0] == nonce
        for key, nonce in nonces.items()
    )


_recording: ContextVar[set | None] = ContextVar("newsroom_dependencies", default=None)


def depends_on(*keys: str) -> None:
    """Record that the page being built shows what `keys` name (e.g. "release:12")."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.update(keys)


@contextmanager
def recording_dependencies():
    recorded: set[str] = set()
    token = _recording.set(recorded)
    try:
        yield recorded
    finally:
        _recording.reset(token)


def _describe_key(name: str) -> str:
    return f"newsroom:generation:{name}"


def _next_go_live() -> datetime | None:
    # Apps with scheduled publication (releases, appointments) register in `newsroom.go_live`.
    from .go_live import next_go_live

    return next_go_live()


# A generation's description never changes, so each process keeps the latest few: a cache hit
# then reads two entries (the generation's name and the page), not three.
_described: dict[str, Generation] = {}


def _remember(generation: Generation) -> Generation:
    if len(_described) >= 8:
        _described.clear()
    _described[generation.name] = generation
    return generation


def _describe(store, name: str) -> Generation:
    # Read after the generation was: it covers at least every change that started it.
    generation = Generation(name, _next_go_live(), db_router.primary_sequence())
    described = (generation.next_go_live, generation.sequence)
    store.set(_describe_key(name), described, GENERATION_SECONDS)
    return generation


def _lookup(key_for=None) -> tuple[Generation, str | None, object]:
    """The current generation, and the page stored under `key_for(name)` if asked (one read)."""
    store = cache()
    for attempt in range(3):
        name = store.get(GENERATION_KEY)
        if name is None:
            name = secrets.token_hex(8)
            # add, not set: a generation started by a change meanwhile is newer and wins.
            if not store.add(GENERATION_KEY, name, GENERATION_SECONDS):
                name = store.get(GENERATION_KEY) or name
        key = key_for(name) if key_for else None
        generation = _described.get(name)
        if generation is None:
            found = store.get_many([_describe_key(name), *([key] if key else [])])
            described = found.get(_describe_key(name))
            generation = Generation(name, *described) if described else _describe(store, name)
            _remember(generation)
            page = found.get(key) if key else None
        else:
            page = store.get(key) if key else None
        expired = generation.next_go_live and generation.next_go_live <= timezone.now()
        if not expired or attempt == 2:
            return generation, key, page
        start_generation()  # a scheduled release has gone live since this generation began


# The generation a public request read first: the rest of the request builds under it too,
# rather than reading the shared cache again for each value it keeps (see `one_generation`).
_request_generation: ContextVar[list | None] = ContextVar("newsroom_generation", default=None)


@contextmanager
def one_generation():
    """Let what is built for one request share the generation it read first (and the tokens it
    read of each key)."""
    token = _request_generation.set([None])
    tokens = _request_tokens.set({})
    try:
        yield
    finally:
        _request_tokens.reset(tokens)
        _request_generation.reset(token)


def _remember_for_request(generation: Generation) -> Generation:
    scope = _request_generation.get()
    if scope is not None:
        scope[0] = generation
    return generation


def current_generation() -> Generation:
    """The generation to read and write pages under."""
    scope = _request_generation.get()
    if scope is not None and scope[0] is not None:
        return scope[0]
    return _remember_for_request(_lookup()[0])


def declared_query(request, parameters: Iterable[str]) -> QueryDict:
    """The request's query reduced to the parameters the view reads, in one fixed order."""
    names = sorted(set(parameters) & set(request.GET))
    pairs = [(name, value) for name in names for value in request.GET.getlist(name)]
    return QueryDict(urlencode(pairs))


def page_key(request, generation: str, parameters: Iterable[str] = ()) -> str:
    query = declared_query(request, parameters).urlencode()
    path = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    host = request.get_host()
    # The code's version: after a deploy, pages are built by the new templates at once (and
    # processes of the old and new code, side by side in a rolling deploy, keep theirs apart).
    version = code_version()
    return f"newsroom:page:{generation}:{version}:{host}:{language}:{request.method}:{path}"


@contextmanager
def only_declared_query(request, parameters: Iterable[str]):
    """Let the view see only the declared parameters, so the page depends on nothing else.

    Otherwise a page built for `?utm=1` (its pagination links copy the query) would be served
    to everyone asking without it.
    """
    query = declared_query(request, parameters)
    saved = request.GET, request.META.get("QUERY_STRING", "")
    request.GET, request.META["QUERY_STRING"] = query, query.urlencode()
    try:
        yield
    finally:
        request.GET, request.META["QUERY_STRING"] = saved


def is_anonymous(request) -> bool:
    """No session, or a cookie that names none: a made-up `sessionid` must not buy an uncached
    page. (The middleware that finds the user reads the session anyway.)"""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return session is not None and not session.keys()


def join_chunks(response):
    """Join a response written in many small pieces (feeds are) into one.

    A WSGI server sends each piece on its own: thousands of small writes per feed.
    """
    if not response.streaming and len(response._container) > 1:
        response.content = b"".join(response._container)
    return response


def build(view, request, *args, **kwargs):
    """Call the view and render its response while the request is as the view should see it."""
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return join_chunks(response)


def edge_ttl(generation: Generation) -> int:
    """Seconds a page may be kept: never past the next go-live second."""
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    if generation.next_go_live is not None:
        until = (generation.next_go_live - timezone.now()).total_seconds()
        seconds = max(0, min(seconds, int(until)))
    return seconds


def _for_the_edge(response, generation: Generation):
    """Tell the edge cache what the page shows and how long it may keep it (from now)."""
    keys = getattr(response, "newsroom_dependencies", None)
    if keys is not None:
        response.headers["xkey"] = " ".join(sorted({*keys, EVERYTHING}))
        response.headers["Surrogate-Control"] = f"max-age={edge_ttl(generation)}"
        if generation.next_go_live is not None:
            # max-age counts from now, the edge from when the page reaches it: the second itself
            # (floored) keeps a page that arrives late from outliving it.
            response.headers["Edge-Expires"] = _http_date(generation.next_go_live)
    return response


@functools.lru_cache(maxsize=8)
def _http_date(moment: datetime) -> str:
    # Once per generation, not on every page the cache serves.
    return http_date(moment.timestamp())


def _required_sequence(store, generation: Generation) -> int:
    if not db_router.replica_in_use():
        return generation.sequence
    return max(generation.sequence, store.get(SEQUENCE_KEY) or 0)


def public_cache(view, query: Iterable[str] = (), keys: Iterable[str] | None = None):
    """Serve anonymous GET and HEAD requests of `view` from the page cache.

    `query` names the parameters the view reads (e.g. a list's filters and page number); any
    other parameter is ignored, both in the cache key and by the view. `keys` names what every
    page of the view shows (e.g. "list:releases"); the view may add more with `depends_on`. A
    view that declares none depends on every public change.
    """
    parameters = frozenset(query)
    declared = None if keys is None else frozenset(keys)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        with one_generation():
            return cache_page(request, *args, **kwargs)

    def cache_page(request, *args, **kwargs):
        if not settings.NEWSROOM_CACHE_PAGES:
            return join_chunks(view(request, *args, **kwargs))
        if not is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        generation, key, response = _lookup(lambda name: page_key(request, name, parameters))
        _remember_for_request(generation)
        store = cache()
        if response is not None and _still_valid(store, response.newsroom_dependencies):
            return _for_the_edge(response, generation)
        started = _start_computing(store)
        with only_declared_query(request, parameters), recording_dependencies() as recorded:
            if db_router.replica_behind(_required_sequence(store, generation)):
                # The replica may predate the latest change: build (and store) from the primary.
                with db_router.reads_from_primary():
                    response = build(view, request, *args, **kwargs)
            else:
                response = build(view, request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        dependencies = recorded | (declared if declared is not None else {UNDECLARED})
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        # Hashed once here rather than by ConditionalGetMiddleware on every hit.
        if not response.has_header("ETag"):
            set_response_etag(response)
        tokens = _tokens(store, dependencies)
        response.newsroom_dependencies = {name: nonce for name, (nonce, _) in tokens.items()}
        purged_meanwhile = any(stamp > started for _, stamp in tokens.values())
        timeout = edge_ttl(generation)
        if timeout > 0 and not purged_meanwhile and len(tokens) == len(dependencies):
            store.set(key, response, timeout + 1)
        return _for_the_edge(response, generation)

    return cached_view


# Values kept between pages. What does not change from one request to the next (a release's
# rendering, an archive total, the topics in use) is computed once and kept in the shared cache
# until a change purges one of the keys it shows. Unlike a page, a kept value outlives a
# generation: a go-live elsewhere leaves it alone. What a clock changes in it (a document's own
# date) it names with `changes_at`; a change of unknown reach purges `EVERYTHING`.


# Not part of a deployment's code: data, caches, the virtual environment.
SKIPPED_FOLDERS = {".git", ".venv", "var", "node_modules", "__pycache__", ".ruff_cache"}


@functools.cache
def deployment_fingerprint() -> str:
    """Names this deployment's templates, code and translations, for the names of kept
    renderings: one kept by an older deployment (across a deploy) is not served by a newer one."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                # By content: an image built twice may give every file the same time.
                path = os.path.join(folder, name)
                with open(path, "rb") as source:
                    relative = os.path.relpath(path, settings.BASE_DIR)
                    digest.update(relative.encode() + source.read())
    return digest.hexdigest()[:12]


def code_version() -> str:
    """The deployed code's name: NEWSROOM_RELEASE where the operator sets one (the same on every
    server of a release), else the fingerprint of the installed code (once per process)."""
    return settings.NEWSROOM_RELEASE or deployment_fingerprint()


class Kept(NamedTuple):
    value: object
    # Each key the value shows, with its token's nonce when the value was computed.
    dependencies: dict[str, str]
    # The value must be computed again from this second on (None: only a purge ends it).
    until: datetime | None


_changes: ContextVar[list | None] = ContextVar("newsroom_changes_at", default=None)


def changes_at(moment: datetime | None) -> None:
    """Record that the value being computed for `kept` looks different from `moment` on."""
    moments = _changes.get()
    if moments is not None and moment is not None:
        moments.append(moment)


def kept(
    name: str,
    compute: Callable[[], object],
    *,
    keys: Iterable[str] = (),
    check: Callable[[object], bool] | None = None,
) -> object:
    """`compute()`, kept in the shared cache under `name` while what it shows stands.

    It is computed again once a key it shows is purged (those it records with `depends_on`,
    `keys`, and `EVERYTHING`), the second it records with `changes_at` comes, or `check(value)`
    says no. `name` must say what else the value depends on (language, host). The page being
    built records the same keys, so the page cache and the edge drop the page with the value.
    None is never kept. Only for what every visitor may see: previews never use it.
    """
    store = cache()
    found = store.get(name)
    now = timezone.now()
    if (
        found is not None
        and (found.until is None or now < found.until)
        and _still_valid(store, found.dependencies)
        and (check is None or check(found.value))
    ):
        depends_on(*(found.dependencies.keys() - {EVERYTHING}))
        changes_at(found.until)  # for a value kept around this one
        return found.value
    started = _start_computing(store)
    moments: list[datetime] = []
    changes = _changes.set(moments)
    try:
        with recording_dependencies() as recorded:
            if db_router.replica_in_use() and db_router.replica_behind(
                _required_sequence(store, current_generation())
            ):
                with db_router.reads_from_primary():
                    value = compute()
            else:
                value = compute()
    finally:
        _changes.reset(changes)
    if value is None:
        return None
    shown = recorded | set(keys)
    depends_on(*shown)
    dependencies = shown | {EVERYTHING}
    tokens = _tokens(store, dependencies)
    until = min(moments, default=None)
    changes_at(until)
    seconds = GENERATION_SECONDS
    if until is not None:
        seconds = min(seconds, int((until - now).total_seconds()))
    purged_meanwhile = any(stamp > started for _, stamp in tokens.values())
    if seconds > 0 and not purged_meanwhile and len(tokens) == len(dependencies):
        nonces = {key: nonce for key, (nonce, _) in tokens.items()}
        store.set(name, Kept(value, nonces, until), seconds)
    return value


def kept_in_generation(name: str, compute: Callable[[], object], *, keys: Iterable[str] = ()):
    """`kept`, for what a go-live second changes as well (a total, the topics in use): computed
    again in each content generation, as pages are."""
    return kept(f"{name}:{current_generation().name}", compute, keys=keys)


def kept_many(wanted: dict[str, object], compute: Callable[[dict], dict]) -> dict[str, object]:
    """`kept` for many values at once (the teasers of a list page): one read for the values and
    one for their keys' tokens. `compute(missing)` gets the {name: item} of the values not kept
    and returns {name: (value, keys it shows)}; those are stored in one write."""
    store = cache()
    found = store.get_many(list(wanted))
    shown = set().union(*(value.dependencies for value in found.values()))
    tokens = _read_tokens(store, [_token_key(key) for key in shown])
    now = timezone.now()
    values = {}
    for name, value in found.items():
        if (value.until is None or now < value.until) and _match(tokens, value.dependencies):
            values[name] = value.value
            depends_on(*(value.dependencies.keys() - {EVERYTHING}))
    missing = {name: item for name, item in wanted.items() if name not in values}
    if not missing:
        return values
    started = _start_computing(store)
    computed = compute(missing)
    keys = set().union(*(set(shows) for _, shows in computed.values()))
    depends_on(*keys)
    tokens = _tokens(store, keys | {EVERYTHING})
    purged_meanwhile = any(stamp > started for _, stamp in tokens.values())
    behind = db_router.replica_in_use() and db_router.replica_behind(
        _required_sequence(store, current_generation())
    )
    storing = {}
    for name, (value, shows) in computed.items():
        values[name] = value
        dependencies = set(shows) | {EVERYTHING}
        if dependencies <= tokens.keys():
            nonces = {key: tokens[key][0] for key in dependencies}
            storing[name] = Kept(value, nonces, None)
    if storing and not purged_meanwhile and not behind:
        store.set_many(storing, GENERATION_SECONDS)
    return values
