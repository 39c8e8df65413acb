"""The portal's own settings (name, logo, footer links) as pages, feeds and e-mails read them.

The row (`newsroom.models.SiteSettings`) is read once into the shared cache, under a version
token; each process keeps the latest version it read, so a page costs one cache read and no
query. Saving the row or a footer link sets a new token, now and again when the transaction
commits (a reader between the two may have read the old row); as the name is on every page, the
change also starts a new page-cache generation and purges every page at the edge.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save

DEFAULT_NAME = "Newsroom"
VERSION_KEY = "newsroom:site:version"
# Like every key of the page cache, these expire; a lost version costs one query.
SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Site:
    name: str = DEFAULT_NAME
    logo_url: str = ""
    footer_links: tuple[tuple[str, str], ...] = ()  # (label, URL)


# The latest version this process read: {token: Site}.
_known: dict[str, Site] = {}


def _store():
    from .cache import cache

    return cache()


def _load() -> Site:
    from .models import SiteSettings

    row = SiteSettings.objects.filter(pk=1).first()
    if row is None:  # a flushed database (tests): the defaults
        return Site()
    return Site(
        name=row.name,
        logo_url=row.logo.url if row.logo else "",
        footer_links=tuple((link.label, link.url) for link in row.footer_links.all()),
    )


def current() -> Site:
    """The portal's settings as they are now."""
    store = _store()
    version = store.get(VERSION_KEY)
    if version is None:
        store.add(VERSION_KEY, secrets.token_hex(8), SECONDS)
        version = store.get(VERSION_KEY)
    site = _known.get(version)
    if site is None:
        key = f"newsroom:site:{version}"
        site = store.get(key)
        if site is None:
            site = _load()
            store.set(key, site, SECONDS)
        _known.clear()
        _known[version] = site
    return site


def name(*args, **kwargs) -> str:
    """The portal's name; also the callable django-otp's settings ask for (any arguments)."""
    return current().name


def _new_version() -> None:
    _store().set(VERSION_KEY, secrets.token_hex(8), SECONDS)


def changed(sender=None, **kwargs) -> None:
    """The settings changed: every process reads them again."""
    _new_version()
    transaction.on_commit(_new_version)


def watch() -> None:
    """From AppConfig.ready: a change of the settings is read again by every process, and, as a
    change of unknown reach (newsroom/public.py), builds every page again, here and at the edge."""
    from .models import FooterLink, SiteSettings
    from .public import watch_public_models

    watch_public_models(SiteSettings, FooterLink)
    for model in (SiteSettings, FooterLink):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False)
