"""Invalidation by dependency keys: a change re-renders the pages that show what changed and no
other; a change the public cannot see re-renders nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import Contact, Organisation
from releases import editing, workflow
from releases.models import State, Topic


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_CACHE_PAGES = True


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Wirtschaft", slug="wirtschaft")


@pytest.fixture
def site(make_release, topic, contact):
    """Two live releases, A in the topic with a contact, B in no topic; and the public pages."""
    release_a = make_release("a", title="Mitteilung A", contacts=[contact])
    release_a.topics.add(topic)
    release_b = make_release("b", title="Mitteilung B")
    pages = {
        "home": "/",
        "list": "/pressemitteilungen/",
        "a": release_a.get_absolute_url(),
        "b": release_b.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "issuer": "/herausgeber/mfb/",
        "feed": "/feeds/pressemitteilungen.rss",
        "topic feed": f"/feeds/themen/{topic.slug}.atom",
        "sitemap": "/sitemap-releases.xml",
        "contacts": "/kontakte/",
        "library": "/publikationen/",
    }
    return release_a, release_b, pages


def warm(client, pages):
    for url in pages.values():
        queries(client, url)
    assert all(queries(client, url) == 0 for url in pages.values())


def rebuilt(client, pages) -> set[str]:
    """The pages that needed the database on the next request."""
    return {name for name, url in pages.items() if queries(client, url) > 0}


def test_an_officer_saving_a_draft_leaves_every_page_cached(
    client, site, officer, make_release, topic
):
    _, _, pages = site
    draft = make_release("entwurf", title="Noch geheim", live=False, last_edited_by=officer)
    draft.topics.add(topic)
    warm(client, pages)
    for text in ["Erster Satz.", "Zweiter Satz."]:
        draft.body = f"<p>{text}</p>"
        editing.save_edit(draft, officer, lambda release: release.save())
    draft.topics.remove(topic)
    assert rebuilt(client, pages) == set()


def test_submitting_for_review_leaves_every_page_cached(client, site, officer, make_release):
    _, _, pages = site
    draft = make_release("entwurf", title="Noch geheim", live=False)
    warm(client, pages)
    workflow.take(draft.pk, "submit", officer)
    assert rebuilt(client, pages) == set()


def test_hidden_offices_and_documents_leave_every_page_cached(
    client, site, make_publication
):
    _, _, pages = site
    office = Organisation.objects.create(name="Neues Amt", slug="neues-amt")
    warm(client, pages)
    Contact.objects.create(organisation=office, name="Noch Niemand", slug="noch-niemand")
    office.name = "Neues Amt für Beispiele"
    office.save()
    make_publication("spaeter", published_at=timezone.now() + timedelta(days=3))
    assert rebuilt(client, pages) == set()


def test_a_correction_rebuilds_its_page_and_the_lists_but_not_other_releases(
    client, site, lead
):
    release_a, _, pages = site
    warm(client, pages)
    workflow.take(release_a.pk, "correct", lead, comment="Die Zahl war falsch.")
    assert rebuilt(client, pages) == set(pages) - {"b"}
    assert "Die Zahl war falsch." in client.get(pages["a"]).content.decode()


def test_a_topic_rename_rebuilds_its_page_and_the_pages_naming_it(client, site, topic):
    _, _, pages = site
    warm(client, pages)
    topic.name = "Wirtschaft und Arbeit"
    topic.save()
    assert rebuilt(client, pages) == {
        "home", "list", "a", "topic", "issuer", "feed", "topic feed", "sitemap"
    }
    assert "Wirtschaft und Arbeit" in client.get(pages["a"]).content.decode()


def test_a_contact_change_rebuilds_the_pages_showing_the_contact(client, site, contact):
    _, _, pages = site
    warm(client, pages)
    contact.phone = "+49 351 999"
    contact.save()
    assert rebuilt(client, pages) == {"a", "contacts", "issuer", "sitemap"}
    assert "+49 351 999" in client.get(pages["a"]).content.decode()


def test_a_topic_that_stops_being_public_leaves_the_pages_naming_it(client, site, topic):
    release_a, _, pages = site
    lonely = Topic.objects.create(name="Einsam", slug="einsam", always_public=True)
    warm(client, pages | {"lonely": lonely.get_absolute_url()})
    assert "Einsam" in client.get("/").content.decode()
    lonely.always_public = False
    lonely.save()
    assert client.get(lonely.get_absolute_url()).status_code == 404
    assert "Einsam" not in client.get("/").content.decode()
    assert "Einsam" not in client.get("/pressemitteilungen/").content.decode()


def test_publishing_a_release_rebuilds_the_lists_but_not_other_releases(
    client, site, lead, officer, make_release
):
    _, _, pages = site
    waiting = make_release(
        "neu", title="Frisch", live=False, state=State.IN_REVIEW, last_edited_by=officer
    )
    warm(client, pages)
    workflow.take(waiting.pk, "publish_now", lead, version=waiting.version)
    assert not {"a", "b"} & rebuilt(client, pages)
    assert "Frisch" in client.get("/").content.decode()


def test_a_page_built_while_what_it_shows_changed_is_not_kept(rf, db):
    """The build read the old rows while the change purged: the next request builds again."""
    from django.http import HttpResponse

    from newsroom.cache import depends_on, public_cache, purge

    builds = []

    def view(request):
        builds.append(1)
        depends_on("release:1")
        if len(builds) == 1:
            purge(["release:1"])  # another process's change, mid-build
        return HttpResponse("Seite")

    cached = public_cache(view, keys=[])
    for _ in range(3):
        cached(rf.get("/irgendwo/"))
    assert len(builds) == 2


def test_a_release_scheduled_after_the_page_was_cached_appears_at_its_second(
    client, site, lead, officer, make_release
):
    import time_machine

    _, _, pages = site
    waiting = make_release(
        "bald", title="Unter Sperrfrist", live=False, state=State.IN_REVIEW, last_edited_by=officer
    )
    warm(client, pages)
    go_live = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    workflow.take(waiting.pk, "approve", lead, version=waiting.version, go_live_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "Unter Sperrfrist" not in client.get("/").content.decode()
    with time_machine.travel(go_live, tick=False):
        assert "Unter Sperrfrist" in client.get("/").content.decode()


def test_a_feed_items_text_is_rendered_once_per_release_version(
    client, make_release, lead, monkeypatch
):
    from releases import feeds

    rendered = []
    original = feeds.full_text
    def counted(release):
        rendered.append(release.pk)
        return original(release)

    monkeypatch.setattr(feeds, "full_text", counted)
    first = make_release("eins", title="Eins")
    make_release("zwei", title="Zwei")
    for url in ["/feeds/pressemitteilungen.rss", "/feeds/pressemitteilungen.atom"]:
        client.get(url)
    assert sorted(rendered) == sorted([first.pk, first.pk + 1])
    workflow.take(first.pk, "correct", lead, comment="Ein Fehler im Titel.")
    assert "Ein Fehler im Titel." in client.get("/feeds/pressemitteilungen.rss").content.decode()
    assert rendered.count(first.pk) == 2 and rendered.count(first.pk + 1) == 1
