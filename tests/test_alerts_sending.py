"""E-mail alerts, the sending side: matching by topic and issuer, the alert on go-live (also for
scheduled releases), daily digests, correction and withdrawal notices, and batches that resume
after a crash without sending twice or skipping anyone, over a real SMTP conversation."""

import email
import io
import socket
import threading
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alerts import sending
from alerts.models import Delivery, DeliveryStatus, Frequency, Kind, Mailing, Subscriber
from releases import workflow
from releases.models import Release, State, Topic
from releases.signals import release_went_live
from releases.tasks import run_go_live


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=slug.title(), slug=slug)
        for slug in ["wirtschaft", "kultur", "umwelt"]
    }


@pytest.fixture
def other_issuer(db):
    from contacts.models import Organisation

    return Organisation.objects.create(name="Staatskanzlei", short_name="SK", slug="sk")


@pytest.fixture
def make_subscriber(db):
    def make(address, *, topics=(), issuers=(), frequency=Frequency.IMMEDIATE, **fields):
        subscriber = Subscriber.objects.create(
            email=address, frequency=frequency, confirmed_at=timezone.now(), **fields
        )
        subscriber.topics.set(topics)
        subscriber.issuers.set(issuers)
        return subscriber

    return make


def go_live(release, capture):
    with capture(execute=True):
        run_go_live.enqueue(release.pk)


def recipients(outbox=None):
    return sorted(address for message in (outbox or mail.outbox) for address in message.to)


# The real SMTP server


class Mailbox:
    """An aiosmtpd handler that keeps what it accepted and can be told to fail."""

    def __init__(self):
        self.messages = []
        self.accept_only = None  # accept this many messages in all, then answer 421
        self.refuse = {}  # address -> RCPT answer, e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept_only is not None and len(self.messages) >= self.accept_only:
            return "421 4.3.2 Service not available, closing"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    @property
    def recipients(self):
        return sorted(address for rcpt_tos, _message in self.messages for address in rcpt_tos)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A local SMTP server, and Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield mailbox
    controller.stop()


# Matching by topic and issuer


def test_an_alert_goes_to_whom_its_topic_or_issuer_or_everything_matches(
    make_release,
    make_subscriber,
    topics,
    issuer,
    other_issuer,
    django_capture_on_commit_callbacks,
):
    make_subscriber("alles@example.org")
    make_subscriber("wirtschaft@example.org", topics=[topics["wirtschaft"]])
    make_subscriber("haus@example.org", issuers=[issuer])
    make_subscriber("kultur-oder-haus@example.org", topics=[topics["kultur"]], issuers=[issuer])
    make_subscriber("umwelt@example.org", topics=[topics["umwelt"]])
    make_subscriber("andere@example.org", issuers=[other_issuer])
    make_subscriber("taeglich@example.org", frequency=Frequency.DAILY)
    make_subscriber("pause@example.org", is_paused=True)
    release = make_release()
    release.topics.set([topics["wirtschaft"], topics["kultur"]])

    go_live(release, django_capture_on_commit_callbacks)

    assert recipients() == [
        "alles@example.org",
        "haus@example.org",
        "kultur-oder-haus@example.org",
        "wirtschaft@example.org",
    ]


def test_listing_the_recipients_costs_the_same_for_1_and_50(
    make_release, make_subscriber, issuer, django_assert_max_num_queries
):
    def list_for(slug):
        mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release(slug))
        with django_assert_max_num_queries(5) as counted:
            sending.list_recipients(mailing)
        return len(counted.captured_queries), mailing.deliveries.count()

    make_subscriber("s0@example.org", issuers=[issuer])
    queries, listed = list_for("eins")
    assert listed == 1
    for number in range(1, 50):
        make_subscriber(f"s{number}@example.org")
    assert list_for("fuenfzig") == (queries, 50)


# The alert on go-live, once, never earlier


def test_publishing_in_the_admin_alerts_subscribers_with_title_lead_link_and_contact(
    client,
    lead,
    officer,
    make_release,
    make_subscriber,
    contact,
    django_capture_on_commit_callbacks,
):
    make_subscriber("jana@example.org")
    release = make_release(
        "entwurf",
        live=False,
        state=State.IN_REVIEW,
        title="Kreativwirtschaft stärken",
        lead="Der Minister lädt ein.",
        contacts=[contact],
        last_edited_by=officer,
    )
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:releases_release_transition", args=[release.pk, "publish_now"]),
            {"version": release.version},
        )

    alerts = [message for message in mail.outbox if message.to == ["jana@example.org"]]
    assert len(alerts) == 1
    alert = alerts[0]
    assert "Kreativwirtschaft stärken" in alert.subject
    assert "Der Minister lädt ein." in alert.body
    assert "http://127.0.0.1:8000/pressemitteilungen/entwurf/" in alert.body
    assert contact.name in alert.body and contact.phone in alert.body
    html, mime_type = alert.alternatives[0]
    assert mime_type == "text/html" and "Kreativwirtschaft stärken" in html and contact.name in html
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_scheduled_release_alerts_at_its_second_and_only_once(
    lead, officer, make_release, make_subscriber, django_capture_on_commit_callbacks
):
    make_subscriber("jana@example.org")
    release = make_release("geplant", live=False, state=State.IN_REVIEW, last_edited_by=officer)
    go_live_at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(release.pk, "approve", lead, version=release.version, go_live_at=go_live_at)
    with (
        time_machine.travel(go_live_at - timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_due", stdout=io.StringIO())
    assert "jana@example.org" not in recipients()

    with (
        time_machine.travel(go_live_at + timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_due", stdout=io.StringIO())
        call_command("publish_due", stdout=io.StringIO())
        run_go_live.enqueue(release.pk)
    assert recipients().count("jana@example.org") == 1


def test_the_go_live_signal_is_sent_once_per_release(
    make_release, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, release, **kwargs):
        heard.append(release.pk)

    release = make_release()
    release_went_live.connect(listener)
    try:
        go_live(release, django_capture_on_commit_callbacks)
        go_live(release, django_capture_on_commit_callbacks)
    finally:
        release_went_live.disconnect(listener)
    assert heard == [release.pk]


def test_a_release_withdrawn_before_its_alert_went_out_is_not_sent(make_release, make_subscriber):
    make_subscriber("jana@example.org")
    release = make_release()
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=release)
    sending.list_recipients(mailing)
    Release.objects.filter(pk=release.pk).update(state=State.WITHDRAWN)
    sending.send_all(mailing)
    assert not mail.outbox
    assert mailing.deliveries.get().status == DeliveryStatus.SKIPPED


def test_a_subscriber_who_left_before_the_batch_is_skipped(make_release, make_subscriber):
    subscriber = make_subscriber("jana@example.org")
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    sending.list_recipients(mailing)
    subscriber.delete()
    sending.send_all(mailing)
    assert not mail.outbox
    mailing.refresh_from_db()
    assert mailing.finished_at is not None


# Daily digests


def berlin(day, hour, minute=0):
    return timezone.make_aware(datetime(2026, 11, day, hour, minute))


@pytest.fixture
def day_of_releases(make_release, topics):
    """Releases on 10 November 2026, Berlin time, and one on each neighbouring day."""

    def published(slug, moment, *topic_slugs):
        release = make_release(slug, title=slug.title(), go_live_at=moment)
        release.first_published_at = moment
        release.save()
        release.topics.set([topics[name] for name in topic_slugs])
        return release

    return [
        published("vortag", berlin(9, 23, 59)),
        published("frueh", berlin(10, 0, 30), "wirtschaft"),  # 9 Nov, 23:30 UTC
        published("abends", berlin(10, 23, 30), "kultur"),
        published("folgetag", berlin(11, 0, 1), "wirtschaft"),
    ]


def test_the_digest_holds_the_days_releases_in_berlin_time_for_each_daily_subscriber(
    make_subscriber, topics, day_of_releases
):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    make_subscriber("kultur@example.org", frequency=Frequency.DAILY, topics=[topics["kultur"]])
    make_subscriber("umwelt@example.org", frequency=Frequency.DAILY, topics=[topics["umwelt"]])
    make_subscriber("sofort@example.org")

    call_command("send_digests", "--date", "2026-11-10", stdout=io.StringIO())

    assert recipients() == ["alles@example.org", "kultur@example.org"]
    everything = next(m for m in mail.outbox if m.to == ["alles@example.org"])
    assert "10.11.2026" in everything.subject
    assert everything.body.index("Frueh") < everything.body.index("Abends")
    assert "Vortag" not in everything.body and "Folgetag" not in everything.body
    assert "Abends" in everything.alternatives[0][0]
    kultur = next(m for m in mail.outbox if m.to == ["kultur@example.org"])
    assert "Abends" in kultur.body and "Frueh" not in kultur.body
    assert "List-Unsubscribe" in kultur.extra_headers


def test_sending_a_digest_again_sends_nothing_twice(make_subscriber, day_of_releases):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    for _ in range(2):
        call_command("send_digests", "--date", "2026-11-10", stdout=io.StringIO())
        sending.send_all(Mailing.objects.get(kind=Kind.DIGEST))
    assert recipients() == ["alles@example.org"]


def test_the_digest_leaves_out_withdrawn_releases(make_subscriber, day_of_releases):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    Release.objects.filter(slug="frueh").update(state=State.WITHDRAWN)
    call_command("send_digests", "--date", "2026-11-10", stdout=io.StringIO())
    assert "Frueh" not in mail.outbox[0].body and "Abends" in mail.outbox[0].body


def test_the_digest_defaults_to_yesterday_and_refuses_a_day_not_over(
    make_subscriber, day_of_releases
):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    with time_machine.travel(datetime(2026, 11, 11, 5, 0, tzinfo=UTC), tick=False):
        with pytest.raises(CommandError):
            call_command("send_digests", "--date", "2026-11-11", stdout=io.StringIO())
        call_command("send_digests", stdout=io.StringIO())
    assert Mailing.objects.get().digest_date.isoformat() == "2026-11-10"
    assert len(mail.outbox) == 1


def test_a_digest_dry_run_sends_nothing(make_subscriber, day_of_releases):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    out = io.StringIO()
    call_command("send_digests", "--date", "2026-11-10", "--dry-run", stdout=out)
    assert "1 subscriber" in out.getvalue()
    assert not mail.outbox and not Mailing.objects.exists()


# Correction and withdrawal notices


@pytest.fixture
def sent_release(make_release, make_subscriber, django_capture_on_commit_callbacks):
    """A release alerted to jana; ben subscribed only afterwards."""
    make_subscriber("jana@example.org")
    release = make_release(title="Zahlen")
    go_live(release, django_capture_on_commit_callbacks)
    make_subscriber("ben@example.org")
    mail.outbox.clear()
    return release


@pytest.mark.parametrize(("action", "word"), [("withdraw", "Zurückgezogen"), ("correct", "Korr")])
def test_a_ticked_box_notifies_those_who_were_sent_the_release(
    client, lead, sent_release, django_capture_on_commit_callbacks, action, word
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:releases_release_transition", args=[sent_release.pk, action]),
            {"comment": "Die Zahl war falsch.", "notify_subscribers": "1", "confirm": "1"},
        )
    notices = [message for message in mail.outbox if "Zahlen" in message.subject]
    assert recipients(notices) == ["jana@example.org"]
    assert notices[0].subject.startswith(word)
    assert "Die Zahl war falsch." in notices[0].body
    assert sent_release.events.get(action=action).notify_subscribers


def test_without_the_box_nobody_is_notified(
    client, lead, sent_release, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:releases_release_transition", args=[sent_release.pk, "withdraw"]),
            {"comment": "Veraltet.", "confirm": "1"},
        )
    assert not [message for message in mail.outbox if "Zahlen" in message.subject]
    assert not Mailing.objects.filter(kind=Kind.WITHDRAWAL).exists()


def test_digest_readers_are_notified_too(
    lead, make_subscriber, day_of_releases, django_capture_on_commit_callbacks
):
    make_subscriber("alles@example.org", frequency=Frequency.DAILY)
    call_command("send_digests", "--date", "2026-11-10", stdout=io.StringIO())
    mail.outbox.clear()
    abends = Release.objects.get(slug="abends")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(
            abends.pk, "correct", lead, comment="Uhrzeit ergänzt.", notify_subscribers=True
        )
    assert recipients() == ["alles@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.take(
            Release.objects.get(slug="vortag").pk,
            "correct",
            lead,
            comment="x",
            notify_subscribers=True,
        )
    assert len(mail.outbox) == 1  # "vortag" was in no digest that was sent


def test_only_corrections_and_withdrawals_record_the_box(lead, make_release, officer):
    release = make_release("pruefung", live=False, state=State.IN_REVIEW, last_edited_by=officer)
    workflow.take(release.pk, "publish_now", lead, version=release.version, notify_subscribers=True)
    assert not release.events.get(action="publish_now").notify_subscribers


def test_the_box_is_offered_for_correct_and_withdraw_only(client, lead, make_release):
    release = make_release()
    client.force_login(lead)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    assert 'id="notify-correct"' in page and 'id="notify-withdraw"' in page
    # The two transitions, and the correction an edit of the live release becomes.
    assert page.count('name="notify_subscribers"') == 3
    assert 'id="id_notify_subscribers"' in page


# A real SMTP conversation, and the resume after an interrupted batch


def test_an_alert_over_smtp_has_both_parts_and_the_one_click_headers(
    smtp, make_release, make_subscriber, contact, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber("jana@example.org")
    go_live(make_release(title="Über SMTP", contacts=[contact]), django_capture_on_commit_callbacks)

    [(rcpt_tos, message)] = smtp.messages
    assert rcpt_tos == ["jana@example.org"]
    assert message["Subject"] == "MfB: Über SMTP"
    unsubscribe = reverse("alerts:unsubscribe", args=[subscriber.token])
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = Delivery.objects.get()
    assert message["Message-ID"] == f"<{delivery.message_id}@127.0.0.1>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Über SMTP" in plain and contact.name in plain
    assert '<html lang="de">' in html and "Über SMTP" in html
    assert delivery.status == DeliveryStatus.SENT and list(delivery.releases.all())


def test_the_confirmation_goes_over_smtp_too(smtp, client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("alerts:subscribe"),
            {"email": "neu@example.org", "frequency": "daily", "consent": "on"},
        )
    [(rcpt_tos, message)] = smtp.messages
    assert rcpt_tos == ["neu@example.org"]
    assert "List-Unsubscribe" not in message
    token = Subscriber.objects.get().token
    assert reverse("alerts:confirm", args=[token]) in message.get_body(("plain",)).get_content()


def test_an_interrupted_batch_resumes_without_duplicates_or_gaps(
    smtp, settings, make_release, make_subscriber, django_capture_on_commit_callbacks
):
    settings.ALERTS_BATCH_SIZE = 3
    addresses = [f"person{number}@example.org" for number in range(8)]
    for address in addresses:
        make_subscriber(address)
    smtp.accept_only = 4  # the server gives up in the middle of the second batch

    go_live(make_release(), django_capture_on_commit_callbacks)

    assert len(smtp.messages) == 4
    mailing = Mailing.objects.get()
    assert mailing.deliveries.filter(status=DeliveryStatus.SENT).count() == 4
    assert mailing.deliveries.filter(status=DeliveryStatus.PENDING).count() == 4
    assert mailing.deliveries.filter(attempts__gt=0).exists()
    assert mailing.finished_at is None

    smtp.accept_only = None  # the server is back
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    call_command("send_alerts", stdout=out)

    assert smtp.recipients == sorted(addresses)  # everyone exactly once
    assert mailing.deliveries.filter(status=DeliveryStatus.SENT).count() == 8
    mailing.refresh_from_db()
    assert mailing.finished_at is not None
    assert "Nothing to send." in out.getvalue()


def test_a_worker_killed_while_sending_is_taken_over_after_the_lease(
    smtp, make_release, make_subscriber
):
    for address in ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]:
        make_subscriber(address)
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    sending.list_recipients(mailing)
    died, busy, *_rest = mailing.deliveries.order_by("subscriber__email")
    now = timezone.now()
    # One worker died 20 minutes ago while sending to a@; another is sending to b@ right now.
    Delivery.objects.filter(pk=died.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - timedelta(minutes=20)
    )
    Delivery.objects.filter(pk=busy.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - timedelta(minutes=1)
    )

    call_command("send_alerts", stdout=io.StringIO())
    assert smtp.recipients == ["a@example.org", "c@example.org", "d@example.org"]
    resent = next(message for rcpt_tos, message in smtp.messages if rcpt_tos == ["a@example.org"])
    assert resent["Message-ID"] == f"<{died.message_id}@127.0.0.1>"  # receivers can deduplicate

    with time_machine.travel(now + timedelta(minutes=16)):
        call_command("send_alerts", stdout=io.StringIO())
    assert smtp.recipients == ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]


def test_a_refused_address_fails_alone_and_a_greylisted_one_is_retried_later(
    smtp, make_release, make_subscriber, django_capture_on_commit_callbacks
):
    for address in ["gibtsnicht@example.org", "grau@example.org", "gut@example.org"]:
        make_subscriber(address)
    smtp.refuse = {
        "gibtsnicht@example.org": "550 5.1.1 No such user",
        "grau@example.org": "450 4.2.0 Greylisted, try later",
    }
    go_live(make_release(), django_capture_on_commit_callbacks)

    assert smtp.recipients == ["gut@example.org"]
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {
        "gibtsnicht@example.org": DeliveryStatus.FAILED,
        "grau@example.org": DeliveryStatus.PENDING,
        "gut@example.org": DeliveryStatus.SENT,
    }
    failed = Delivery.objects.get(subscriber__email="gibtsnicht@example.org")
    assert failed.error == "SMTPRecipientsRefused 550" and "example.org" not in failed.error

    smtp.refuse = {}
    call_command("send_alerts", stdout=io.StringIO())  # too early: greylisting wants a pause
    assert smtp.recipients == ["gut@example.org"]
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        call_command("send_alerts", stdout=io.StringIO())
    assert smtp.recipients == ["grau@example.org", "gut@example.org"]


def test_send_alerts_with_nothing_to_do(db):
    out = io.StringIO()
    call_command("send_alerts", "--dry-run", stdout=out)
    assert "Nothing to send." in out.getvalue()


def test_a_down_server_claims_nothing_and_counts_no_attempt(
    settings, make_release, make_subscriber
):
    make_subscriber("jana@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    sending.list_recipients(mailing)
    with pytest.raises(CommandError):
        call_command("send_alerts", stdout=io.StringIO(), stderr=io.StringIO())
    delivery = mailing.deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs it there"
)
def test_parallel_workers_never_send_the_same_delivery(smtp, settings, make_release):
    settings.ALERTS_BATCH_SIZE = 4
    addresses = [f"person{number:02}@example.org" for number in range(30)]
    for address in addresses:
        Subscriber.objects.create(email=address, confirmed_at=timezone.now())
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    sending.list_recipients(mailing)
    barrier = threading.Barrier(3)

    def worker():
        barrier.wait()
        try:
            sending.send_all(Mailing.objects.get(pk=mailing.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert smtp.recipients == addresses
    assert mailing.deliveries.filter(status=DeliveryStatus.SENT).count() == 30
