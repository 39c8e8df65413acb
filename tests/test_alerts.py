"""E-mail alerts, the journalist's side: subscribing with double opt-in, expiry, the management
page, one-click unsubscribe, the form's rate limits, and the admin that hides addresses."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Delivery, DeliveryStatus, Frequency, Kind, Mailing, Subscriber
from releases.models import Topic
from releases.tasks import run_go_live

FORM = reverse("alerts:subscribe")


# Marked public, so that the form offers them without a live release (tests/test_taxonomy.py
# tests what the form offers otherwise).
@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Wirtschaft", slug="wirtschaft", always_public=True)


@pytest.fixture
def issuer(issuer):
    issuer.always_public = True
    issuer.save()
    return issuer


@pytest.fixture
def make_subscriber(db):
    def make(email="jana@example.org", *, topics=(), issuers=(), confirmed=True, **fields):
        subscriber = Subscriber.objects.create(
            email=email, confirmed_at=timezone.now() if confirmed else None, **fields
        )
        subscriber.topics.set(topics)
        subscriber.issuers.set(issuers)
        return subscriber

    return make


@pytest.fixture
def subscribe(db, client, django_capture_on_commit_callbacks):
    """Fill in the form as a journalist would; returns the response."""

    def post(email="jana@example.org", *, ip="192.0.2.1", forwarded_for=None, **data):
        fields = {"email": email, "frequency": "immediate", "consent": "on"} | data
        meta = {"REMOTE_ADDR": ip}
        if forwarded_for:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM, fields, **meta)

    return post


def go_live(release, capture):
    with capture(execute=True):
        run_go_live.enqueue(release.pk)


def link_in(message, name):
    """The path of the alerts link `name` (confirm, manage, unsubscribe) in a mail."""
    marker = f"/benachrichtigungen/{name}/"
    for word in message.body.split():
        if marker in word:
            return word[word.index("/benachrichtigungen/") :]
    raise AssertionError(f"no {name} link in {message.body}")


# Subscribing: the form, double opt-in, consent


def test_the_form_is_linked_from_every_page_and_offers_topics_and_issuers(client, topic, issuer):
    home = client.get(reverse("releases:home")).content.decode()
    assert f'href="{FORM}"' in home
    page = client.get(FORM).content.decode()
    assert 'type="email"' in page and 'autocomplete="email"' in page
    assert "Wirtschaft" in page and issuer.name in page
    assert '<label for="id_email">' in page
    assert 'name="consent"' in page and "checked" not in page.split('name="consent"')[1][:40]


def test_a_request_sends_only_a_confirmation_mail_and_stores_the_consent_text(
    subscribe, topic, issuer
):
    response = subscribe("  Jana@Example.ORG ", topics=[topic.pk], issuers=[issuer.pk])

    assert response.status_code == 302 and response["Location"] == reverse("alerts:requested")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "jana@example.org"
    assert subscriber.confirmed_at is None
    assert list(subscriber.topics.all()) == [topic]
    assert list(subscriber.issuers.all()) == [issuer]
    assert "e-mail" in subscriber.consent_text.lower() and subscriber.consent_version
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["jana@example.org"]
    assert "bestaetigen" in confirmation.body and "Wirtschaft" in confirmation.body
    assert confirmation.alternatives[0][1] == "text/html"
    # A confirmation is no list mail: it has no unsubscribe headers.
    assert "List-Unsubscribe" not in confirmation.extra_headers


def test_the_pages_and_mails_are_german_by_default_and_english_under_en(
    client, subscribe, django_capture_on_commit_callbacks
):
    assert "E-Mail-Benachrichtigungen" in client.get(FORM).content.decode()
    subscribe("deutsch@example.org")
    assert mail.outbox[0].subject == "Bitte bestätigen Sie Ihre E-Mail-Benachrichtigungen"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en" + FORM,
            {"email": "english@example.org", "frequency": "daily", "consent": "on"},
            REMOTE_ADDR="192.0.2.2",
        )
    english = mail.outbox[1]
    assert english.subject == "Please confirm your e-mail alerts"
    assert "/en/benachrichtigungen/bestaetigen/" in english.body
    assert Subscriber.objects.get(email="english@example.org").language == "en"


def test_the_consent_box_must_be_ticked(subscribe):
    response = subscribe(consent="")
    assert response.status_code == 200
    assert 'id="id_consent_error"' in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_nothing_is_sent_to_an_unconfirmed_address(
    subscribe, make_release, django_capture_on_commit_callbacks
):
    subscribe()
    go_live(make_release(), django_capture_on_commit_callbacks)
    assert [message.subject for message in mail.outbox] == [mail.outbox[0].subject]
    assert not Delivery.objects.exists()


def test_following_the_link_asks_before_it_confirms(subscribe, client):
    subscribe()
    confirm = link_in(mail.outbox[0], "bestaetigen")

    page = client.get(confirm)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "strict-origin"  # the token stays out of Referer headers
    assert Subscriber.objects.get().confirmed_at is None  # a link scanner confirms nothing

    # As a browser posts the page's form: with its CSRF token and its Origin (which a
    # "no-referrer" policy would have turned into "null", refused by the CSRF check).
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(confirm)
    token = form.context["csrf_token"]
    response = browser.post(
        confirm, {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver"
    )
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None
    assert response["Location"] == reverse("alerts:manage", args=[subscriber.token])


def test_a_confirmed_subscriber_is_alerted(
    subscribe, client, make_release, django_capture_on_commit_callbacks
):
    subscribe()
    client.post(link_in(mail.outbox[0], "bestaetigen"))
    go_live(make_release(title="Neue Zahlen"), django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["jana@example.org"]
    assert "Neue Zahlen" in mail.outbox[-1].subject


def test_a_request_expires_after_48_hours_and_is_purged(subscribe, client):
    subscribe()
    confirm = link_in(mail.outbox[0], "bestaetigen")
    with time_machine.travel(timezone.now() + timedelta(hours=47)):
        assert client.get(confirm).status_code == 200
        out = io.StringIO()
        call_command("purge_alerts", stdout=out)
        assert "0 " in out.getvalue() and Subscriber.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert client.get(confirm).status_code == 404
        assert client.post(confirm).status_code == 404
        assert Subscriber.objects.get().confirmed_at is None
        call_command("purge_alerts", "--dry-run", stdout=io.StringIO())
        assert Subscriber.objects.exists()
        call_command("purge_alerts", stdout=io.StringIO())
        call_command("purge_alerts", stdout=io.StringIO())
    assert not Subscriber.objects.exists()


def test_purge_keeps_confirmed_subscribers(make_subscriber):
    make_subscriber(created_at=timezone.now() - timedelta(days=30))
    call_command("purge_alerts", stdout=io.StringIO())
    assert Subscriber.objects.count() == 1


def test_a_new_request_from_a_known_confirmed_address_changes_nothing_but_mails_its_link(
    subscribe, make_subscriber, topic
):
    subscriber = make_subscriber()
    response = subscribe(topics=[topic.pk], frequency="daily")
    assert response["Location"] == reverse("alerts:requested")
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.IMMEDIATE and not subscriber.topics.exists()
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0], "verwalten") == reverse("alerts:manage", args=[subscriber.token])


# The management page


def test_the_management_page_changes_choices_and_pauses(client, make_subscriber, topic):
    subscriber = make_subscriber()
    url = reverse("alerts:manage", args=[subscriber.token])
    page = client.get(url)
    assert page.status_code == 200 and "jana@example.org" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"

    response = client.post(url, {"topics": [topic.pk], "frequency": "daily", "is_paused": "on"})

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.DAILY and subscriber.is_paused
    assert list(subscriber.topics.all()) == [topic]


def test_a_paused_subscriber_is_not_alerted(
    make_subscriber, make_release, django_capture_on_commit_callbacks
):
    make_subscriber(is_paused=True)
    go_live(make_release(), django_capture_on_commit_callbacks)
    assert not mail.outbox


@pytest.mark.parametrize("name", ["manage", "confirm", "unsubscribe"])
def test_a_wrong_token_reveals_nothing(client, make_subscriber, name):
    make_subscriber()
    response = client.get(reverse(f"alerts:{name}", args=["x" * 43]))
    assert response.status_code in {200, 404}
    assert "jana@example.org" not in response.content.decode()


def test_the_management_page_of_an_unconfirmed_request_is_not_there(client, make_subscriber):
    subscriber = make_subscriber(confirmed=False)
    assert client.get(reverse("alerts:manage", args=[subscriber.token])).status_code == 404


# One-click unsubscribe (RFC 8058)


def test_one_post_without_csrf_token_or_login_unsubscribes_and_deletes_the_address(
    make_subscriber, make_release, topic
):
    subscriber = make_subscriber(topics=[topic])
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    sent = Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status=DeliveryStatus.SENT
    )
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        reverse("alerts:unsubscribe", args=[subscriber.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Subscriber.topics.through.objects.exists()
    sent.refresh_from_db()
    assert sent.subscriber is None and sent.status == DeliveryStatus.SENT  # anonymised log


def test_a_get_of_the_unsubscribe_link_only_asks(client, make_subscriber):
    subscriber = make_subscriber()
    page = client.get(reverse("alerts:unsubscribe", args=[subscriber.token]))
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Subscriber.objects.exists()


def test_unsubscribing_twice_is_fine(client, make_subscriber):
    url = reverse("alerts:unsubscribe", args=[make_subscriber().token])
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200


# Rate limits: per address and per client, with one neutral answer


def test_a_bot_cannot_make_us_mail_a_third_party_twice_a_day(subscribe, client):
    for number in range(5):
        response = subscribe("opfer@example.org", ip=f"198.51.100.{number}")
        assert response["Location"] == reverse("alerts:requested")
    assert len(mail.outbox) == 1
    # Not even when the cache forgets (a restart, or one cache per process).
    cache.clear()
    subscribe("opfer@example.org", ip="203.0.113.9")
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        # Its 24-hour cache entry has expired by then; Redis keeps real time, not the test's.
        cache.clear()
        subscribe("opfer@example.org", ip="203.0.113.9")
    assert len(mail.outbox) == 2


def test_one_client_may_send_the_form_ten_times_an_hour(subscribe):
    for number in range(12):
        response = subscribe(f"person{number}@example.org", ip="192.0.2.50")
        assert response.status_code == 302
        assert response["Location"] == reverse("alerts:requested")
    assert len(mail.outbox) == 10
    assert Subscriber.objects.count() == 10
    subscribe("other@example.org", ip="192.0.2.51")
    assert len(mail.outbox) == 11


def test_ipv6_clients_are_counted_per_64_network(subscribe):
    for number in range(11):
        subscribe(f"person{number}@example.org", ip=f"2001:db8:0:1::{number + 1:x}")
    assert len(mail.outbox) == 10


def test_behind_a_proxy_the_client_is_the_forwarded_address(settings, subscribe):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    for number in range(11):
        # A client may send its own X-Forwarded-For; only the proxy's last entry counts.
        subscribe(
            f"person{number}@example.org",
            ip="10.0.0.1",
            forwarded_for=f"203.0.113.7, 192.0.2.{number}",
        )
    assert len(mail.outbox) == 11
    for number in range(11):
        subscribe(f"again{number}@example.org", ip="10.0.0.1", forwarded_for="192.0.2.99")
    assert len(mail.outbox) == 21


def test_the_answer_never_tells_whether_an_address_is_known(subscribe, make_subscriber):
    make_subscriber("bekannt@example.org")
    answers = [
        subscribe("neu@example.org"),
        subscribe("bekannt@example.org"),
        subscribe("bekannt@example.org"),  # over the per-address limit
    ]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("alerts:requested"))
    }


# The admin: counts, logs, export, and addresses only with the permission


@pytest.fixture
def subscribers(make_subscriber, topic, issuer):
    make_subscriber("alle@example.org")
    make_subscriber("thema@example.org", topics=[topic])
    make_subscriber("haus@example.org", issuers=[issuer], frequency=Frequency.DAILY)
    make_subscriber("offen@example.org", confirmed=False)


def changelist(client):
    return client.get(reverse("admin:alerts_subscriber_changelist"))


def test_the_portal_administrator_sees_counts_but_no_address(client, portal_admin, subscribers):
    assert not portal_admin.has_perm("alerts.view_subscriber_address")
    client.force_login(portal_admin)
    response = changelist(client)
    page = response.content.decode()
    assert "thema@example.org" not in page and "t…@e….org" in page
    counts = response.context["counts"]
    assert (counts["receiving"], counts["immediate"], counts["daily"]) == (3, 2, 1)
    assert (counts["everything"], counts["unconfirmed"]) == (1, 1)
    assert {topic.name: topic.subscribers for topic in counts["topics"]} == {"Wirtschaft": 1}
    assert [issuer.subscribers for issuer in counts["issuers"]] == [1]


def test_the_superuser_sees_addresses(client, superuser, subscribers):
    client.force_login(superuser)
    assert "thema@example.org" in changelist(client).content.decode()


def test_without_the_permission_addresses_cannot_be_searched_or_filtered(
    client, portal_admin, subscribers
):
    client.force_login(portal_admin)
    url = reverse("admin:alerts_subscriber_changelist")
    assert "thema@" not in client.get(url, {"q": "thema"}).content.decode()
    assert client.get(url, {"email__startswith": "t"}).status_code == 400
    deliveries = reverse("admin:alerts_delivery_changelist")
    assert client.get(deliveries, {"subscriber__email": "thema@example.org"}).status_code == 400


@pytest.mark.parametrize("who", ["officer", "lead"])
def test_no_office_role_sees_the_subscribers_or_the_mailings(client, request, who, subscribers):
    client.force_login(request.getfixturevalue(who))
    for name in ("subscriber", "mailing", "delivery"):
        assert client.get(reverse(f"admin:alerts_{name}_changelist")).status_code == 403


def test_the_subscriber_page_masks_the_address(client, portal_admin, subscribers):
    client.force_login(portal_admin)
    subscriber = Subscriber.objects.get(email="thema@example.org")
    page = client.get(reverse("admin:alerts_subscriber_change", args=[subscriber.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "thema@example.org" not in content and subscriber.token not in content


def test_nobody_edits_or_adds_subscribers_in_the_admin(client, superuser, subscribers):
    client.force_login(superuser)
    subscriber = Subscriber.objects.get(email="thema@example.org")
    assert client.get(reverse("admin:alerts_subscriber_add")).status_code == 403
    page = client.get(reverse("admin:alerts_subscriber_change", args=[subscriber.pk]))
    assert subscriber.token not in page.content.decode()
    client.post(
        reverse("admin:alerts_subscriber_change", args=[subscriber.pk]),
        {"email": "x@example.org"},
    )
    subscriber.refresh_from_db()
    assert subscriber.email == "thema@example.org"


@pytest.mark.parametrize(
    ("role", "shown"), [("portal_admin", "t…@e….org"), ("superuser", "thema@")]
)
def test_csv_export_follows_the_permission(client, request, role, shown, subscribers):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("admin:alerts_subscriber_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "email" and len(rows) == 5
    addresses = [row[0] for row in rows[1:]]
    assert any(address.startswith(shown) for address in addresses)
    if role == "portal_admin":
        assert not any("@example.org" in address for address in addresses)


def test_the_subscriber_list_costs_the_same_queries_for_1_and_50(
    client, superuser, make_subscriber, topic, django_assert_max_num_queries
):
    client.force_login(superuser)
    make_subscriber("eins@example.org", topics=[topic])
    with django_assert_max_num_queries(30) as few:
        changelist(client)
    for number in range(49):
        make_subscriber(f"s{number}@example.org", topics=[topic])
    with django_assert_max_num_queries(len(few.captured_queries)):
        changelist(client)


@pytest.mark.parametrize("role", ["portal_admin", "superuser"])
def test_the_mailings_and_the_delivery_log_are_read_only_records(
    client, request, role, make_subscriber, make_release
):
    subscriber = make_subscriber("thema@example.org")
    mailing = Mailing.objects.create(kind=Kind.ALERT, release=make_release())
    delivery = Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status=DeliveryStatus.SENT
    )
    client.force_login(request.getfixturevalue(role))
    pages = [
        reverse("admin:alerts_mailing_changelist"),
        reverse("admin:alerts_mailing_change", args=[mailing.pk]),
        reverse("admin:alerts_delivery_changelist"),
        reverse("admin:alerts_delivery_change", args=[delivery.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        shows_address = "thema@example.org" in response.content.decode()
        assert shows_address == (role == "superuser" and "delivery" in page), page
    assert client.get(reverse("admin:alerts_delivery_add")).status_code == 403
    export = client.post(
        reverse("admin:alerts_delivery_changelist"),
        {"action": "export_csv", "_selected_action": [delivery.pk]},
    )
    assert export["Content-Type"].startswith("text/csv")
    assert ("thema@example.org" in export.content.decode("utf-8-sig")) == (role == "superuser")


def test_officers_and_strangers_see_no_alerts_admin(client, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:alerts_subscriber_changelist")).status_code == 403
