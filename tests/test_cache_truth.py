"""Caches cannot outlive the truth: a change made in another process is seen by this one, and no
page is stored from a read replica that has not yet replayed the latest public change."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.ratelimit import allow_request_mail
from releases.models import Release, State

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_CACHE_PAGES = True


def shared_database_url() -> str | None:
    """The test database as another process reaches it; None for SQLite's in-memory one."""
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        return None
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def in_another_process(code: str, tmp_path: Path) -> str:
    """Run `code` in `manage.py shell`, a process of its own that shares the cache and, where it
    can, the database (as a gunicorn worker, the task worker or an operator would)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Not the development database under var/: the test one, or a throwaway file.
        "DATABASE_URL": shared_database_url() or f"sqlite:///{tmp_path / 'other.sqlite3'}",
    }
    pages = django_settings.CACHES["pages"]
    if pages["BACKEND"].endswith("FileBasedCache"):
        environment["NEWSROOM_TEST_CACHE_DIR"] = str(Path(pages["LOCATION"]).parent)
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


def test_a_change_announced_by_another_process_is_seen(client, make_release, tmp_path):
    release = make_release(title="Alter Titel")
    assert "Alter Titel" in client.get(release.get_absolute_url()).content.decode()
    # The row as another process wrote it (a queryset update sends no signal here) ...
    Release.objects.filter(pk=release.pk).update(title="Neuer Titel")
    assert "Alter Titel" in client.get(release.get_absolute_url()).content.decode()
    # ... and the invalidation as that process made it.
    in_another_process("from newsroom.cache import content_changed; content_changed()", tmp_path)
    assert "Neuer Titel" in client.get(release.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_release_saved_in_manage_py_shell_shows_at_once(client, make_release, tmp_path):
    if shared_database_url() is None:
        pytest.skip("the SQLite test database lives in this process's memory; PostgreSQL runs it")
    release = make_release(title="Alter Titel")
    assert "Alter Titel" in client.get(release.get_absolute_url()).content.decode()
    in_another_process(
        "from releases.models import Release\n"
        f"release = Release.objects.get(pk={release.pk})\n"
        "release.title = 'Im Shell geändert'\n"
        "release.save()\n",
        tmp_path,
    )
    assert "Im Shell geändert" in client.get(release.get_absolute_url()).content.decode()
    assert "Im Shell geändert" in client.get("/").content.decode()


def test_rate_limits_count_across_processes(db, tmp_path):
    assert allow_request_mail("journalistin@example.org")
    # The second request for a mail arrives at another worker: it must see the first.
    answer = in_another_process(
        "from alerts.ratelimit import allow_request_mail; "
        "print(allow_request_mail('journalistin@example.org'))",
        tmp_path,
    )
    assert answer == "False"


# A read replica that lags: the "lagging" database holds what the primary held when it was last
# replicated.


def replicate():
    """Make the replica a copy of the primary as it is now."""
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = list(model._base_manager.using("default").all())
        model._base_manager.using("lagging").all()._raw_delete("lagging")
        model._base_manager.using("lagging").bulk_create(rows)


@pytest.fixture
def lagging_replica(settings):
    settings.NEWSROOM_READ_REPLICA = "lagging"
    return connections["lagging"]


def replica_queries(client, url):
    with CaptureQueriesContext(connections["lagging"]) as context:
        response = client.get(url)
    return response, len(context)


@pytest.mark.django_db(databases=["default", "lagging"])
def test_a_withdrawal_is_not_undone_by_a_lagging_replica(client, lagging_replica, make_release):
    release = make_release(title="Bald zurückgezogen")
    replicate()
    assert "Bald zurückgezogen" in client.get("/").content.decode()
    release.state = State.WITHDRAWN
    release.withdrawn_at = timezone.now()
    release.save()
    # The replica has not replayed the withdrawal yet.
    assert Release.objects.using("lagging").get(pk=release.pk).state == State.APPROVED
    for _ in range(2):  # built, then served from the cache
        assert "Bald zurückgezogen" not in client.get("/").content.decode()
        assert "notice--withdrawn" in client.get(release.get_absolute_url()).content.decode()
    replicate()
    assert "Bald zurückgezogen" not in client.get("/").content.decode()
    assert "notice--withdrawn" in client.get(release.get_absolute_url()).content.decode()


@pytest.mark.django_db(databases=["default", "lagging"])
def test_pages_read_from_the_replica_once_it_has_caught_up(client, lagging_replica, make_release):
    release = make_release(title="Alter Titel")
    replicate()
    release.title = "Neuer Titel"
    release.save()
    response, from_replica = replica_queries(client, release.get_absolute_url())
    assert "Neuer Titel" in response.content.decode()
    assert from_replica == 1  # only the question how far it is
    release.title = "Neuester Titel"
    release.save()
    replicate()
    response, from_replica = replica_queries(client, release.get_absolute_url())
    assert "Neuester Titel" in response.content.decode()
    assert from_replica > 1  # the page itself came from the replica


@pytest.mark.django_db(databases=["default", "lagging"])
def test_a_release_approved_while_the_replica_lags_still_appears_at_its_second(
    client, lagging_replica, make_release
):
    make_release("alt", title="Schon lange live")
    replicate()
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    make_release(title="Gerade freigegeben", go_live_at=go_live, first_published_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Gerade freigegeben" not in client.get("/").content.decode()
    replicate()
    with time_machine.travel(go_live, tick=False):
        assert "Gerade freigegeben" in client.get("/").content.decode()
