"""Staff previews and secret embargo links: seen by whom they are meant for, by nobody else."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from releases.models import PreviewAccess, PreviewLink, Release, State
from releases.views import embargo_time
from tests.helpers import release_post_data


@pytest.fixture
def embargoed(make_release):
    go_live = timezone.now() + timedelta(days=1)
    return make_release(
        "sperrfrist", title="Unter Sperrfrist", go_live_at=go_live, first_published_at=go_live
    )


@pytest.fixture
def link(embargoed, lead):
    return PreviewLink.objects.create(release=embargoed, label="Dresdner Zeitung", created_by=lead)


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.APPROVED])
def test_staff_preview_shows_any_state_with_a_banner(client, officer, make_release, state):
    go_live = timezone.now() + timedelta(days=3)
    release = make_release(live=False, state=state, go_live_at=go_live, first_published_at=go_live)
    client.force_login(officer)
    response = client.get(reverse("admin:releases_release_preview", args=[release.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="preview-banner"' in page
    assert release.title in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_staff_preview_is_not_for_the_public(client, stranger, embargoed):
    url = reverse("admin:releases_release_preview", args=[embargoed.pk])
    assert "/admin/login/" in client.get(url)["Location"]
    client.force_login(stranger)
    assert "/admin/login/" in client.get(url)["Location"]


def test_embargo_link_shows_the_release_with_its_embargo(client, link, embargoed):
    response = client.get(link.get_absolute_url(), REMOTE_ADDR="192.0.2.7")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Unter Sperrfrist" in page
    assert "Sperrfrist bis" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    access = PreviewAccess.objects.get()
    assert (access.link, access.ip_address) == (link, "192.0.2.7")


def test_the_release_stays_hidden_everywhere_else(client, link, embargoed):
    client.get(link.get_absolute_url())
    assert client.get(embargoed.get_absolute_url()).status_code == 404
    assert "Unter Sperrfrist" not in client.get("/").content.decode()


def test_each_access_is_logged(client, link):
    for _ in range(3):
        client.get(link.get_absolute_url())
    assert link.accesses.count() == 3


def test_an_expired_link_answers_404(client, link):
    with time_machine.travel(link.expires_at + timedelta(seconds=1)):
        assert client.get(link.get_absolute_url()).status_code == 404
    assert not PreviewAccess.objects.exists()


def test_a_revoked_link_answers_404(client, link):
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_guessed_token_answers_404(client, link):
    assert client.get("/vorschau/not-a-token/").status_code == 404


def test_tokens_are_long_and_unique(embargoed):
    tokens = {PreviewLink.objects.create(release=embargoed, label=str(n)).token for n in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


def test_lead_creates_and_revokes_a_link_in_the_admin(client, lead, embargoed):
    client.force_login(lead)
    url = reverse("admin:releases_release_change", args=[embargoed.pk])
    page = client.get(url).content.decode()
    assert "Sperrfrist-Vorschaulinks" in page

    data = release_post_data(embargoed) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-label": "Radio Dresden",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "18:00:00",
    }
    assert client.post(url, data).status_code == 302
    link = PreviewLink.objects.get(label="Radio Dresden")
    assert link.created_by == lead
    assert link.get_absolute_url() in client.get(url).content.decode()

    embargoed.refresh_from_db()
    data = release_post_data(embargoed) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-INITIAL_FORMS": "1",
        "preview_links-0-id": link.pk,
        "preview_links-0-release": embargoed.pk,
        "preview_links-0-label": "Radio Dresden",
        "preview_links-0-expires_at_0": link.expires_at.astimezone().strftime("%d.%m.%Y"),
        "preview_links-0-expires_at_1": link.expires_at.astimezone().strftime("%H:%M:%S"),
        "preview_links-0-revoke": "on",
    }
    assert client.post(url, data).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 404


def link_form(expires_at, **fields) -> dict:
    local = timezone.localtime(expires_at)
    return {
        "preview_links-0-expires_at_0": local.strftime("%d.%m.%Y"),
        "preview_links-0-expires_at_1": local.strftime("%H:%M:%S"),
        **{f"preview_links-0-{name}": value for name, value in fields.items()},
    }


def test_an_embargo_link_holds_at_most_thirty_days_after_the_go_live(client, lead, embargoed):
    client.force_login(lead)
    url = reverse("admin:releases_release_change", args=[embargoed.pk])
    latest = embargoed.go_live_at + timedelta(days=30)
    new = release_post_data(embargoed) | {"preview_links-TOTAL_FORMS": "1"}
    page = client.post(url, new | link_form(latest + timedelta(hours=1), label="Zu lang"))
    assert page.status_code == 200
    assert "höchstens 30 Tage nach der Veröffentlichung" in page.content.decode()
    assert not PreviewLink.objects.exists()
    assert client.post(url, new | link_form(latest, label="Genau")).status_code == 302
    # A link made before the limit does not stop the release from being saved.
    old = PreviewLink.objects.create(
        release=embargoed, label="Alt", expires_at=latest + timedelta(days=3000)
    )
    embargoed.refresh_from_db()
    unchanged = release_post_data(embargoed) | {
        "preview_links-TOTAL_FORMS": "2",
        "preview_links-INITIAL_FORMS": "2",
        "preview_links-1-id": old.pk,
        "preview_links-1-release": embargoed.pk,
        "preview_links-1-label": "Alt",
        "preview_links-1-expires_at_0": timezone.localtime(old.expires_at).strftime("%d.%m.%Y"),
        "preview_links-1-expires_at_1": timezone.localtime(old.expires_at).strftime("%H:%M:%S"),
    }
    kept = PreviewLink.objects.get(label="Genau")
    unchanged |= link_form(kept.expires_at, id=kept.pk, release=embargoed.pk, label="Genau")
    assert client.post(url, unchanged).status_code == 302
    assert PreviewLink.objects.get(pk=old.pk).expires_at == old.expires_at


def test_a_new_link_offers_a_week_after_the_go_live_not_after_today(client, lead, make_release):
    """A link for a release going live in three weeks must not expire before its embargo."""
    go_live = (timezone.now() + timedelta(days=21)).replace(microsecond=0)
    later = make_release("spaeter", go_live_at=go_live, first_published_at=go_live)
    client.force_login(lead)
    page = client.get(reverse("admin:releases_release_change", args=[later.pk])).content.decode()
    offered = timezone.localtime(go_live + timedelta(days=7))
    field = re.search(r'<input[^>]*name="preview_links-__prefix__-expires_at_0"[^>]*>', page)
    assert f'value="{offered:%d.%m.%Y}"' in field[0]


def test_officer_sees_links_but_cannot_create_them(client, officer, draft_for_officer):
    PreviewLink.objects.create(release=draft_for_officer, label="Radio Dresden")
    client.force_login(officer)
    url = reverse("admin:releases_release_change", args=[draft_for_officer.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Radio Dresden" in page  # the link is listed...
    assert 'name="preview_links-MAX_NUM_FORMS" value="0"' in page  # ...but none can be added
    data = release_post_data(draft_for_officer) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-label": "Heimlich",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=2)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "10:00:00",
    }
    client.post(url, data)
    assert not PreviewLink.objects.filter(label="Heimlich").exists()


@pytest.fixture
def draft_for_officer(make_release, officer):
    return make_release("entwurf-o", live=False, created_by=officer)


def test_embargo_link_survives_go_live_and_shows_the_live_page(client, link, embargoed):
    with time_machine.travel(embargoed.go_live_at + timedelta(seconds=1)):
        page = client.get(link.get_absolute_url()).content.decode()
    assert "Sperrfrist bis" not in page
    assert "Unter Sperrfrist" in page
    assert Release.objects.get(pk=embargoed.pk).state == State.APPROVED


EMBARGO_SECONDS = [
    # Winter (CET) and summer time (CEST), in UTC.
    (datetime(2026, 11, 26, 22, 22, 50, tzinfo=UTC), "26. November 2026, 23:22:50 Uhr (MEZ)"),
    (datetime(2026, 7, 1, 7, 5, 9, tzinfo=UTC), "1. Juli 2026, 09:05:09 Uhr (MESZ)"),
]


@pytest.mark.parametrize(("go_live", "banner"), EMBARGO_SECONDS)
def test_embargo_banner_names_the_second_and_the_time_zone(
    client, make_release, lead, go_live, banner
):
    release = make_release("sekunde", go_live_at=go_live, first_published_at=go_live)
    link = PreviewLink.objects.create(release=release, label="Agentur", created_by=lead)
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        page = client.get(link.get_absolute_url()).content.decode()
    assert f"Sperrfrist bis {banner}" in page


@pytest.mark.parametrize(
    ("go_live", "expected"),
    [
        (datetime(2026, 11, 26, 22, 22, 50, tzinfo=UTC), "26 November 2026, 11:22:50 pm (CET)"),
        (datetime(2026, 7, 1, 7, 5, 9, tzinfo=UTC), "1 July 2026, 9:05:09 am (CEST)"),
    ],
)
def test_the_embargo_second_in_english(go_live, expected):
    with translation.override("en"):
        assert embargo_time(go_live) == expected
