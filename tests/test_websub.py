"""WebSub: going live pings the hub for every feed that shows the release, through a task, and a
hub that is down never fails publishing. The hub is a stub HTTP server on localhost."""

import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from releases import websub
from releases.models import State, Topic
from releases.websub import ping_hub

BASE_URL = "https://presse.example.org"


class StubHub(ThreadingHTTPServer):
    """Records every POST it receives and answers with `status` after `delay` seconds."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHubHandler)
        self.pings: list[dict[str, list[str]]] = []
        self.status = 204
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hub"


class StubHubHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.pings.append(parse_qs(body))
        time.sleep(self.server.delay)
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def hub(settings):
    server = StubHub()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.NEWSROOM_WEBSUB_HUB = server.url
    settings.NEWSROOM_BASE_URL = BASE_URL
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def release(make_release):
    release = make_release()
    release.topics.add(
        Topic.objects.create(name="Wirtschaft", slug="wirtschaft"),
        Topic.objects.create(name="Arbeit", slug="arbeit"),
    )
    return release


FEEDS_OF_THE_RELEASE = [
    f"{BASE_URL}/feeds/{path}"
    for path in (
        "pressemitteilungen.rss",
        "pressemitteilungen.atom",
        "themen/arbeit.rss",
        "themen/arbeit.atom",
        "themen/wirtschaft.rss",
        "themen/wirtschaft.atom",
        "herausgeber/mfb.rss",
        "herausgeber/mfb.atom",
    )
]


def test_going_live_pings_the_hub_for_every_feed_that_shows_the_release(hub, release):
    ping_hub.enqueue(release.pk)
    assert sorted(ping["hub.url"][0] for ping in hub.pings) == sorted(FEEDS_OF_THE_RELEASE)


def test_every_ping_is_a_publish_notification(hub, release):
    ping_hub.enqueue(release.pk)
    assert {(ping["hub.mode"][0], len(ping["hub.url"])) for ping in hub.pings} == {("publish", 1)}


def test_the_task_reports_the_feeds_the_hub_accepted(hub, release):
    result = ping_hub.enqueue(release.pk)
    assert sorted(result.return_value) == sorted(FEEDS_OF_THE_RELEASE)


def test_without_a_hub_the_task_does_nothing(settings, release):
    settings.NEWSROOM_WEBSUB_HUB = ""
    assert ping_hub.enqueue(release.pk).return_value == []


def test_a_release_before_its_go_live_second_is_not_pinged(hub, make_release):
    go_live = timezone.now() + timedelta(hours=1)
    scheduled = make_release(state=State.APPROVED, go_live_at=go_live, first_published_at=go_live)
    ping_hub.enqueue(scheduled.pk)
    assert hub.pings == []


def test_a_withdrawn_release_is_pinged_so_readers_drop_it(hub, make_release):
    withdrawn = make_release(state=State.WITHDRAWN, withdrawn_at=timezone.now())
    ping_hub.enqueue(withdrawn.pk)
    assert len(hub.pings) == 4


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_hub_is_logged_and_does_not_fail_the_task(settings, release, caplog):
    settings.NEWSROOM_WEBSUB_HUB = f"http://127.0.0.1:{unused_port()}/hub"
    result = ping_hub.enqueue(release.pk)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, [])
    assert "could not be reached" in caplog.text


def test_a_hub_that_refuses_is_logged(hub, release, caplog):
    hub.status = 500
    assert ping_hub.enqueue(release.pk).return_value == []
    assert "HTTP 500" in caplog.text


def test_a_slow_hub_is_given_up_on_quickly(hub, release, monkeypatch):
    monkeypatch.setattr(websub, "HUB_TIMEOUT", 0.05)
    hub.delay = 0.5
    assert ping_hub.enqueue(release.pk).return_value == []


def test_a_hub_that_is_not_http_is_refused(settings, release, caplog):
    settings.NEWSROOM_WEBSUB_HUB = "file:///etc/passwd"
    assert ping_hub.enqueue(release.pk).return_value == []
    assert "must be an http(s) URL" in caplog.text


def test_publishing_through_the_workflow_pings_the_hub(
    hub, make_release, officer, lead, django_capture_on_commit_callbacks
):
    from releases.workflow import take

    release = make_release(live=False, state=State.IN_REVIEW, last_edited_by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        take(release.pk, "publish_now", lead, version=release.version)
    assert f"{BASE_URL}/feeds/pressemitteilungen.rss" in [p["hub.url"][0] for p in hub.pings]


def test_a_scheduled_release_pings_only_once_it_is_live(
    hub, make_release, officer, lead, django_capture_on_commit_callbacks
):
    import io

    import time_machine
    from django.core.management import call_command

    from releases.workflow import take

    release = make_release(live=False, state=State.IN_REVIEW, last_edited_by=officer)
    go_live = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        take(release.pk, "approve", lead, version=release.version, go_live_at=go_live)
    assert hub.pings == []
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        call_command("publish_due", stdout=io.StringIO())
    assert len(hub.pings) == 4  # all releases and the issuer, RSS and Atom


def test_a_correction_pings_the_hub(hub, release, lead, django_capture_on_commit_callbacks):
    from releases.workflow import take

    with django_capture_on_commit_callbacks(execute=True):
        take(release.pk, "correct", lead, comment="Zahl korrigiert.")
    assert len(hub.pings) == len(FEEDS_OF_THE_RELEASE)
