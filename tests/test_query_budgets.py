"""Query budgets: every public page and feed costs the same number of queries with 1 and with
50 items, and never more than eight; the admin release list stays constant too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, Organisation
from photos.models import Photo
from releases.models import (
    Correction,
    ReleaseContact,
    ReleaseImage,
    ReleaseLink,
    ReleaseTranslation,
    Topic,
)
from tests import budgets
from tests.budgets import MAX_QUERIES
from tests.helpers import as_at_first_request, make_photo


@pytest.fixture
def world(db, issuer, series, make_release, make_publication):
    """Grows every kind of list a page shows, one step at a time."""
    topic = Topic.objects.create(name="Verkehr", slug="verkehr")
    anchor = make_release("anker", title="Anker")
    anchor.topics.add(topic)

    template = make_photo(issuer, width=500, height=300)

    def photo():
        """Another photo with the template's file and renditions (made once: they are slow)."""
        return Photo.objects.create(
            office=issuer,
            file=template.file.name,
            width=template.width,
            height=template.height,
            caption=template.caption,
            alt_text=template.alt_text,
            credit=template.credit,
            renditions=template.renditions,
        )

    def grow(count):
        for number in range(count):
            tag = f"{len(Topic.objects.all())}-{number}"
            release = make_release(f"r-{tag}")
            ReleaseTranslation.objects.create(
                release=release, language="en", title=f"E {tag}", lead="L", body="<p>B</p>"
            )
            release.topics.add(topic, Topic.objects.create(name=f"T {tag}", slug=f"t-{tag}"))
            contact = Contact.objects.create(organisation=issuer, name=f"K {tag}", slug=f"k-{tag}")
            ReleaseContact.objects.create(release=anchor, contact=contact, order=number)
            ReleaseLink.objects.create(release=anchor, title=f"L {tag}", url="https://e.org/")
            ReleaseImage.objects.create(release=anchor, photo=photo(), order=number)
            Correction.objects.create(release=anchor, note=f"Korrektur {tag}")
            publication = make_publication(f"p-{tag}", series=series if number % 2 == 0 else None)
            anchor.publications.add(publication)
            release.publications.add(publication)
            office = Organisation.objects.create(name=f"Amt {tag}", slug=f"amt-{tag}")
            # Joint releases: the anchor with ever more co-issuers, each release with one.
            anchor.co_issuers.add(office)
            release.co_issuers.add(office)

    grow.photo = photo
    return anchor, topic, grow


PAGES = [
    "/",
    "/pressemitteilungen/",
    "/pressemitteilungen/?thema=verkehr&jahr=2026",
    "/pressemitteilungen/?q=Mitteilung",
    "/pressemitteilungen/anker/",
    "/themen/verkehr/",
    "/herausgeber/mfb/",
    "/kontakte/",
    "/publikationen/",
    "/publikationen/reihe/schlaglicht/",
    "/feeds/",
    "/feeds/pressemitteilungen.rss",
    "/feeds/pressemitteilungen.atom",
    "/feeds/themen/verkehr.rss",
    "/feeds/herausgeber/mfb.atom",
    "/feeds/publikationen.rss",
    "/feeds/publikationen/schlaglicht.atom",
    "/sitemap.xml",
    "/sitemap-releases.xml",
    "/sitemap-releases-en.xml",
    "/sitemap-topics.xml",
    "/sitemap-issuers.xml",
]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def count_as_first_request(client, url) -> int:
    """The queries of `url` as the first request of a test makes them (tests/conftest.py)."""
    as_at_first_request()
    return count(client, url)


@pytest.fixture(scope="module")
def page_counts():
    """url -> (queries with 1 item, with 50), measured for every page at once by the first test
    that asks: growing the world to 50 items takes seconds, reading a page does not."""
    return {}


@pytest.fixture
def counts_of_every_page(page_counts, client, world):
    if not page_counts:
        _, _, grow = world
        grow(1)
        with_one = {url: count_as_first_request(client, url) for url in PAGES}
        grow(49)
        page_counts.update(
            (url, (with_one[url], count_as_first_request(client, url))) for url in PAGES
        )
    return page_counts


@pytest.mark.parametrize("url", PAGES)
def test_public_page_queries_do_not_grow_with_items(counts_of_every_page, url):
    with_one, with_fifty = counts_of_every_page[url]
    assert with_one == with_fifty, f"{url}: {with_one} queries with 1 item, {with_fifty} with 50"
    assert with_fifty <= MAX_QUERIES, f"{url}: {with_fifty} queries"


def test_admin_release_list_queries_do_not_grow(client, world, superuser):
    _, _, grow = world
    client.force_login(superuser)
    url = reverse("admin:releases_release_changelist")
    grow(1)
    with_one = count(client, url)
    grow(49)
    assert count(client, url) == with_one


def test_a_release_page_with_a_twelve_photo_gallery_keeps_its_budget(client, world):
    anchor, _, grow = world
    for number in range(12):
        ReleaseImage.objects.create(release=anchor, photo=grow.photo(), order=number)
    as_at_first_request()
    with CaptureQueriesContext(connection) as built:
        page = client.get(anchor.get_absolute_url()).content.decode()
    assert page.count('<figure class="gallery__item') == 12
    with CaptureQueriesContext(connection) as kept:
        client.get(anchor.get_absolute_url())
    assert (len(built), len(kept)) == (budgets.RELEASE_PAGE, budgets.RELEASE_PAGE_KEPT)
    english = count_as_first_request(client, "/en" + anchor.get_absolute_url())
    assert english == budgets.RELEASE_PAGE
