"""What goes live at a second: every kind of content with scheduled publication (releases,
appointments) registers here in its `AppConfig.ready` (`newsroom` imports no app).

Two readers: the page cache, which keeps no page past the next go-live second (`next_go_live`),
and `manage.py publish_due`, the one catch-up for the side effects of everything whose second
has passed (`due`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django_tasks import task


@dataclass(frozen=True)
class GoLiveSource:
    """One kind of content with a go-live second."""

    # What the command's output calls it, e.g. "release".
    name: str
    # Its next go-live second after now, or None. It must read the primary: a lagging replica
    # may not know of something approved a moment ago.
    next_go_live: Callable[[], datetime | None]
    # A queryset of what is live but has not had its side effects yet.
    due: Callable[[], object]
    # The task that claims one (by primary key) and runs its side effects once.
    run_go_live: object


_sources: dict[str, GoLiveSource] = {}


def register_go_live_source(source: GoLiveSource) -> None:
    _sources[source.name] = source


def sources() -> list[GoLiveSource]:
    return list(_sources.values())


def catch_up(dry_run: bool = False) -> list[tuple[str, int, str]]:
    """Enqueue the go-live task of everything due (`dry_run`: only list it), oldest second
    first; returns (kind, pk, title) of each."""
    found = []
    for source in _sources.values():
        for pk, title in source.due().order_by("go_live_at").values_list("pk", "title"):
            if not dry_run:
                source.run_go_live.enqueue(pk)
            found.append((source.name, pk, title))
    return found


@task()
def publish_due() -> int:
    """The task form of `manage.py publish_due`, for a scheduler; returns how many it queued."""
    return len(catch_up())


# Seconds at which public pages change with nothing going live and no write to purge them (a
# photo's rights end): each app registers a function giving its next such second, or None.
_page_changes: dict[str, Callable[[], datetime | None]] = {}


def register_page_change(name: str, next_change: Callable[[], datetime | None]) -> None:
    _page_changes[name] = next_change


def next_go_live() -> datetime | None:
    """The next second public pages change by themselves (a go-live, or a registered page
    change), or None: no cached page may outlive it."""
    seconds = [source.next_go_live() for source in _sources.values()]
    seconds += [next_change() for next_change in _page_changes.values()]
    return min((second for second in seconds if second is not None), default=None)
