"""Languages: the content, not only the interface (issue 16, part 1).

An English version of a release is part of its version (one edit path, revisions, approval,
corrections); /en/ shows it, or the German text marked as German; alternates, dates, feeds and
search follow the languages that exist, and nothing unpublished leaks through them.
"""

import io
import re
from datetime import datetime, timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from contacts.models import OrganisationTranslation
from photos.models import PhotoTranslation
from releases import revisions
from releases.editing import save_edit
from releases.models import (
    Correction,
    PreviewLink,
    Release,
    ReleaseContact,
    ReleaseImage,
    ReleaseTranslation,
    State,
    Topic,
    TopicTranslation,
)
from tests import budgets
from tests.helpers import (
    change_url,
    make_photo,
    new_release_data,
    post_transition,
    release_post_data,
)

ENGLISH_TITLE = "Harnessing the creative industries"
ENGLISH_LEAD = "Innovation needs creativity, says the ministry."
ENGLISH_BODY = "<p>Craftsmanship and manufacturing thrive together.</p>"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def url(release) -> str:
    """The German address (an English request leaves English active in the test's thread)."""
    with translation.override("de"):
        return release.get_absolute_url()


def english(release, **fields):
    return ReleaseTranslation.objects.create(
        release=release,
        language="en",
        **({"title": ENGLISH_TITLE, "lead": ENGLISH_LEAD, "body": ENGLISH_BODY} | fields),
    )


def with_english(data, release=None, **fields) -> dict:
    """The change form's data with the English version filled in (a new translation)."""
    text = {"title": ENGLISH_TITLE, "lead": ENGLISH_LEAD, "body": ENGLISH_BODY, "background": ""}
    existing = release.translations.first() if release is not None and release.pk else None
    form = {
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1" if existing else "0",
        "translations-0-id": existing.pk if existing else "",
        "translations-0-release": release.pk if release is not None and release.pk else "",
        "translations-0-language": "en",
    }
    form |= {f"translations-0-{name}": value for name, value in (text | fields).items()}
    return data | form


@pytest.fixture
def translated(make_release):
    release = make_release("kreativ", title="Kreativwirtschaft nutzen", lead="Innovation braucht.")
    english(release)
    return release


@pytest.fixture
def german_only(make_release):
    return make_release("nur-deutsch", title="Nur auf Deutsch", lead="Ein deutscher Vorspann.")


# Public pages -----------------------------------------------------------------------------


def test_the_english_page_shows_the_english_version(client, translated):
    page = client.get("/en" + url(translated)).content.decode()
    assert '<html lang="en">' in page
    assert f"<h1>{ENGLISH_TITLE}</h1>" in page
    assert ENGLISH_LEAD in page and "Craftsmanship" in page
    assert "Kreativwirtschaft nutzen" not in page
    assert "available in German only" not in page
    assert '"inLanguage": "en"' in page


def test_a_german_only_release_under_en_is_marked_german_with_a_note(client, german_only):
    page = client.get("/en" + url(german_only)).content.decode()
    assert '<h1 lang="de">Nur auf Deutsch</h1>' in page
    assert '<p class="lead" lang="de">Ein deutscher Vorspann.</p>' in page
    assert '<div class="richtext" lang="de">' in page
    assert "This release is available in German only." in page
    assert '"inLanguage": "de"' in page


def test_the_german_page_needs_no_lang_marks(client, german_only):
    page = client.get(url(german_only)).content.decode()
    assert '<html lang="de">' in page
    assert "<h1>Nur auf Deutsch</h1>" in page
    assert '<p class="lead">Ein deutscher Vorspann.</p>' in page
    assert "available in German only" not in page


def test_no_english_alternate_for_a_release_without_english(client, german_only, translated):
    for path in (url(german_only), "/en" + url(german_only)):
        page = client.get(path).content.decode()
        assert 'rel="alternate" hreflang="en"' not in page, path
        assert 'rel="alternate" hreflang="de"' in page, path
    page = client.get(url(translated)).content.decode()
    assert f'rel="alternate" hreflang="en" href="http://testserver/en{url(translated)}"' in page


def test_dates_under_en_are_british(client, make_release):
    moment = timezone.make_aware(timezone.datetime(2016, 11, 13, 10))
    release = make_release("datum", first_published_at=moment, go_live_at=moment)
    assert "13.11.2016" in client.get(url(release)).content.decode()
    english_page = client.get("/en" + url(release)).content.decode()
    assert "13/11/2016" in english_page and "11/13/2016" not in english_page


def test_lists_show_the_english_title_and_mark_german_ones(client, translated, german_only):
    page = client.get("/en/pressemitteilungen/").content.decode()
    assert ENGLISH_TITLE in page and "Kreativwirtschaft nutzen" not in page
    assert '<h3 class="teaser__title" lang="de">' in page
    assert "in German" in page
    german = client.get("/pressemitteilungen/").content.decode()
    assert "Kreativwirtschaft nutzen" in german and ENGLISH_TITLE not in german


def test_topic_issuer_and_image_texts_have_english_versions(client, translated, issuer):
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    TopicTranslation.objects.create(topic=topic, language="en", name="Economy")
    translated.topics.add(topic)
    issuer.directions = "Haltestelle Carolaplatz."
    issuer.save()
    OrganisationTranslation.objects.create(
        organisation=issuer, language="en", name="Ministry of Culture", directions="Tram stop."
    )
    photo = make_photo(issuer, alt_text="Balken", width=500, height=300)
    PhotoTranslation.objects.create(photo=photo, language="en", alt_text="Bars")
    ReleaseImage.objects.create(release=translated, photo=photo)
    page = client.get("/en" + url(translated)).content.decode()
    assert ">Economy</a>" in page and "Wirtschaft" not in page
    assert "Ministry of Culture" in page and "Tram stop." in page
    assert 'alt="Bars"' in page and "Carolaplatz" not in page
    german = client.get(url(translated)).content.decode()
    assert ">Wirtschaft</a>" in german and 'alt="Balken"' in german


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("release", budgets.RELEASE_PAGE),
        ("/en/", budgets.HOME),
        ("/en/pressemitteilungen/", budgets.RELEASE_LIST),
        ("/en/feeds/pressemitteilungen.rss", budgets.FEED_RENDERING["pressemitteilungen.rss"]),
    ],
)
def test_english_pages_keep_the_query_budgets(
    client, translated, german_only, contact, django_assert_num_queries, path, budget
):
    ReleaseContact.objects.create(release=translated, contact=contact)
    if path == "release":
        path = "/en" + url(translated)
    with django_assert_num_queries(budget):
        client.get(path)


def test_cached_pages_vary_by_language(client, settings, translated):
    settings.NEWSROOM_CACHE_PAGES = True
    assert "Kreativwirtschaft nutzen" in client.get(url(translated)).content.decode()
    english_page = client.get("/en" + url(translated)).content.decode()
    assert f"<h1>{ENGLISH_TITLE}</h1>" in english_page
    assert ENGLISH_TITLE not in client.get("/pressemitteilungen/").content.decode()
    assert ENGLISH_TITLE in client.get("/en/pressemitteilungen/").content.decode()


# Feeds ------------------------------------------------------------------------------------


def test_the_english_feed_carries_the_english_versions_only(client, translated, german_only):
    response = client.get("/en/feeds/pressemitteilungen.rss")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert response.headers["Content-Language"] == "en"
    assert [entry.title for entry in feed.entries] == [ENGLISH_TITLE]
    assert feed.entries[0].link.endswith("/en" + url(translated))
    assert "Craftsmanship" in feed.entries[0].content[0].value
    german = feedparser.parse(client.get("/feeds/pressemitteilungen.rss").content)
    assert {entry.title for entry in german.entries} == {
        "Kreativwirtschaft nutzen",
        "Nur auf Deutsch",
    }


def test_english_pages_link_the_english_feeds(client, translated):
    page = client.get("/en" + url(translated)).content.decode()
    assert 'href="/en/feeds/pressemitteilungen.rss"' in page


# Sitemap ----------------------------------------------------------------------------------


def sections_changed(client) -> dict:
    """The sitemap index's sections with a last change, and when."""
    index = client.get("/sitemap.xml").content.decode()
    found = re.findall(r"<loc>http://testserver/sitemap-([^<]+)\.xml</loc><lastmod>([^<]+)", index)
    return {section: datetime.fromisoformat(moment) for section, moment in found}


def test_the_sitemap_has_the_english_addresses_of_the_english_versions(
    client, translated, german_only
):
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-releases-en.xml" in index
    assert "http://testserver/sitemap-pages-en.xml" in index
    english_releases = client.get("/sitemap-releases-en.xml").content.decode()
    assert f"<loc>http://testserver/en{url(translated)}</loc>" in english_releases
    assert "nur-deutsch" not in english_releases
    english_pages = client.get("/sitemap-pages-en.xml").content.decode()
    assert "<loc>http://testserver/en/</loc>" in english_pages
    assert "<loc>http://testserver/en/pressemitteilungen/</loc>" in english_pages
    # Each section's latest change: its newest publication, or a correction after it.
    assert german_only.first_published_at > translated.first_published_at
    assert sections_changed(client) == {
        "releases": german_only.first_published_at,
        "releases-en": translated.first_published_at,
    }
    corrected = german_only.first_published_at + timedelta(minutes=5)
    Correction.objects.create(release=translated, note="Korrigiert", created_at=corrected)
    assert sections_changed(client) == {"releases": corrected, "releases-en": corrected}
    # The German sections stay German, whatever language the crawler prefers.
    german = client.get("/sitemap-releases.xml", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<loc>http://testserver{url(translated)}</loc>" in german
    assert f"<loc>http://testserver{url(german_only)}</loc>" in german
    assert "/en/" not in german


# Search -----------------------------------------------------------------------------------


def test_search_under_en_finds_the_english_text(client, translated, german_only):
    page = client.get("/en/pressemitteilungen/", {"q": "craftsmanship manufacturing"})
    assert ENGLISH_TITLE in page.content.decode()
    # Stemmed in English: "harness" finds "Harnessing".
    assert ENGLISH_TITLE in client.get("/en/pressemitteilungen/", {"q": "harness"}).content.decode()
    # German words still find a German-only release from the English page.
    assert (
        "Nur auf Deutsch"
        in client.get("/en/pressemitteilungen/", {"q": "deutscher"}).content.decode()
    )
    # The German page searches the German text.
    german = client.get("/pressemitteilungen/", {"q": "craftsmanship"}).content.decode()
    assert "Kreativwirtschaft nutzen" not in german


# A field the translation leaves empty ------------------------------------------------------

GERMAN_BACKGROUND = "<p>Hintergrund zur Messe in Leipzig.</p>"
ENGLISH_BACKGROUND = "<p>About the fair.</p>"


@pytest.fixture
def without_english_background(make_release):
    """English title, lead and body; the background only in German (the English page shows it)."""
    release = make_release("messe", title="Messe", background=GERMAN_BACKGROUND)
    english(release, title="The Leipzig fair")
    return release


def test_the_german_background_on_an_english_page_is_marked_german(
    client, make_release, without_english_background
):
    page = client.get("/en" + url(without_english_background)).content.decode()
    assert f'<div class="richtext">{ENGLISH_BODY}</div>' in page
    assert f'<div class="richtext" lang="de">{GERMAN_BACKGROUND}</div>' in page
    both = make_release("beides", background=GERMAN_BACKGROUND)
    english(both, background=ENGLISH_BACKGROUND)
    page = client.get("/en" + url(both)).content.decode()
    assert f'<div class="richtext">{ENGLISH_BACKGROUND}</div>' in page


def test_the_english_feed_marks_the_german_background(client, without_english_background):
    feed = feedparser.parse(client.get("/en/feeds/pressemitteilungen.rss").content)
    content = feed.entries[0].content[0].value
    assert f'<div lang="de">{GERMAN_BACKGROUND}</div>' in content
    assert "Craftsmanship" in content and 'lang="de"' not in content.split("<h2>")[0]


def test_a_snippet_from_the_german_background_is_marked_german(client, without_english_background):
    """Found by its English title, the release's snippet comes from where the word is in the
    text it shows: the German background."""
    page = client.get("/en/pressemitteilungen/", {"q": "leipzig"}).content.decode()
    assert '<span lang="de">Hintergrund zur Messe in <mark>Leipzig</mark>.</span>' in page
    page = client.get("/en/pressemitteilungen/", {"q": "craftsmanship"}).content.decode()
    assert "<mark>Craftsmanship</mark>" in page and "<span lang=" not in page


# Nothing unpublished leaks ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "embargoed"])
def test_an_unpublished_english_version_leaks_nowhere(client, make_release, state):
    if state == "draft":
        release = make_release("geheim", live=False)
    else:
        later = timezone.now() + timedelta(days=1)
        release = make_release(
            "geheim", state=State.APPROVED, go_live_at=later, first_published_at=later
        )
    english(release, title="Secret craftsmanship")
    assert client.get("/en" + url(release)).status_code == 404
    for path, query in [
        ("/en/", {}),
        ("/en/pressemitteilungen/", {}),
        ("/en/pressemitteilungen/", {"q": "secret craftsmanship"}),
        ("/en/feeds/pressemitteilungen.rss", {}),
        ("/en/feeds/pressemitteilungen.atom", {}),
    ]:
        assert "Secret craftsmanship" not in client.get(path, query).content.decode(), path
    assert "geheim" not in client.get("/sitemap-releases-en.xml").content.decode()


# The English version is part of the release's version -------------------------------------


def test_an_officer_adds_the_english_version_with_the_german_text(client, officer, make_release):
    release = make_release("entwurf", live=False, created_by=officer)
    client.force_login(officer)
    assert "Englisch" in client.get(change_url(release)).content.decode() or "English" in (
        client.get(change_url(release)).content.decode()
    )
    response = client.post(change_url(release), with_english(release_post_data(release), release))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.version == 2
    assert release.translations.get().title == ENGLISH_TITLE
    snapshot = release.revisions.get(number=2).snapshot
    assert snapshot["translations"]["en"]["title"] == ENGLISH_TITLE


def test_an_empty_english_form_adds_no_translation(client, officer, make_release):
    release = make_release("leer", live=False, created_by=officer)
    client.force_login(officer)
    data = with_english(
        release_post_data(release, lead="Neu."), release, title="", lead="", body="<p>&nbsp;</p>"
    )
    assert client.post(change_url(release), data).status_code == 302
    assert not release.translations.exists()


def test_a_translation_added_after_publication_is_a_correction(client, lead, translated):
    release = translated
    release.translations.all().delete()
    release.created_by = None
    release.save()
    client.force_login(lead)
    release.refresh_from_db()
    data = with_english(release_post_data(release), release)
    # Without a change note and a confirmation it is refused, and nothing is saved.
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert not release.translations.exists()
    data |= {"change_note": "English version added.", "confirm": "on"}
    assert client.post(change_url(release), data).status_code == 302
    assert release.translations.get().title == ENGLISH_TITLE
    assert Correction.objects.get(release=release).note == "English version added."
    assert release.events.filter(action="correct").exists()
    page = client.get("/en" + url(release)).content.decode()
    assert "English version added." in page and ENGLISH_TITLE in page


def test_a_changed_translation_voids_the_approval(client, officer, lead, make_release):
    release = make_release("pruefen", live=False, created_by=officer)
    english(release)
    client.force_login(officer)
    post_transition(client, release, "submit")
    client.force_login(lead)
    tomorrow = timezone.localtime() + timedelta(days=1)
    post_transition(
        client, release, "approve", go_live_at_0=f"{tomorrow:%d.%m.%Y}", go_live_at_1="10:00:00"
    )
    release.refresh_from_db()
    assert release.state == State.APPROVED
    approved = release.events.get(action="approve").version
    client.force_login(officer)
    data = with_english(release_post_data(release), release, title="Another title")
    data["confirm"] = "on"
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW and release.version == approved + 1
    assert release.translations.get().title == "Another title"


def test_translations_are_in_diffs_and_restored(officer, make_release):
    release = make_release("versionen", live=False, created_by=officer)
    revisions.record(release, officer)
    old = release.revisions.get(number=1)

    def add_english(current):
        current.save()
        english(current)

    save_edit(Release.objects.get(pk=release.pk), officer, add_english)
    new = release.revisions.get(number=2)
    with translation.override("en"):
        labels = [change.label for change in revisions.compare(old.snapshot, new.snapshot)]
    assert "title (English)" in labels and "lead (English)" in labels
    revisions.restore(Release.objects.get(pk=release.pk), old, officer)
    assert not release.translations.exists()
    revisions.restore(Release.objects.get(pk=release.pk), new, officer)
    assert release.translations.get().title == ENGLISH_TITLE


def test_a_restored_version_shows_its_photos_with_their_english_texts(
    officer, make_release, issuer
):
    # A photo's texts are the photo's own (the media library's), in every version that shows it.
    release = make_release("bild", live=False, created_by=officer)
    photo = make_photo(issuer, alt_text="Balken", width=500, height=300)
    PhotoTranslation.objects.create(photo=photo, language="en", alt_text="Bars")
    ReleaseImage.objects.create(release=release, photo=photo)
    revisions.record(release, officer)
    first = release.revisions.get(number=1)
    ReleaseImage.objects.all().delete()
    save_edit(Release.objects.get(pk=release.pk), officer, lambda current: current.save())
    revisions.restore(Release.objects.get(pk=release.pk), first, officer)
    restored = ReleaseImage.objects.get(release=release).photo
    assert restored == photo and restored.translations.get().alt_text == "Bars"


def test_the_lead_previews_the_english_version(client, lead, make_release):
    release = make_release("vorschau", live=False)
    english(release)
    client.force_login(lead)
    url = reverse("admin:releases_release_preview", args=[release.pk])
    assert ENGLISH_TITLE in client.get(url, {"language": "en"}).content.decode()
    assert ENGLISH_TITLE not in client.get(url).content.decode()


# The demo ---------------------------------------------------------------------------------


def test_the_demo_has_english_versions_and_stays_idempotent(db):
    call_command("demo", stdout=io.StringIO())
    counts = ReleaseTranslation.objects.count(), TopicTranslation.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert (ReleaseTranslation.objects.count(), TopicTranslation.objects.count()) == counts
    seed = Release.objects.get(slug__startswith="strategiewerkstatt")
    assert seed.translations.get().title.startswith("Strategy workshop")
    # Part of its first version, not a later correction.
    assert seed.revisions.get(number=1).snapshot["translations"]["en"]["title"]
    assert ReleaseTranslation.objects.count() == 2


def test_publications_and_offices_are_named_in_english(
    client, translated, issuer, contact, make_publication
):
    publication = make_publication("impulse", title="Impulse der Kreativwirtschaft")
    publication.translations.create(language="en", title="Impulses of the creative industries")
    translated.publications.add(publication)
    OrganisationTranslation.objects.create(organisation=issuer, language="en", name="Ministry")
    library = client.get("/en/publikationen/").content.decode()
    assert "Impulses of the creative industries" in library
    assert "Impulse der Kreativwirtschaft" not in library
    assert ">Ministry</a>" in client.get("/en/kontakte/").content.decode()
    release_page = client.get("/en" + url(translated)).content.decode()
    assert "Impulses of the creative industries" in release_page
    assert "Impulse der Kreativwirtschaft" in client.get("/publikationen/").content.decode()


def test_the_filter_names_topics_in_english(client, translated):
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    TopicTranslation.objects.create(topic=topic, language="en", name="Economy")
    translated.topics.add(topic)
    assert (
        '<option value="wirtschaft">Economy</option>'
        in client.get("/en/pressemitteilungen/").content.decode()
    )
    assert (
        '<option value="wirtschaft">Wirtschaft</option>'
        in client.get("/pressemitteilungen/").content.decode()
    )


def test_a_topics_english_name_is_edited_with_it(client, superuser, translated):
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    translated.topics.add(topic)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:releases_topic_change", args=[topic.pk]),
        {
            "name": "Wirtschaft",
            "slug": "wirtschaft",
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "en",
            "translations-0-name": "Economy",
            "translations-0-topic": topic.pk,
        },
    )
    assert response.status_code == 302
    assert topic.translations.get().name == "Economy"


def test_a_changed_english_name_purges_the_cached_pages_showing_it(client, settings, translated):
    settings.NEWSROOM_CACHE_PAGES = True
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    translated.topics.add(topic)
    assert ">Wirtschaft</a>" in client.get("/en" + url(translated)).content.decode()
    TopicTranslation.objects.create(topic=topic, language="en", name="Economy")
    assert ">Economy</a>" in client.get("/en" + url(translated)).content.decode()


def test_an_embargo_link_shows_the_english_version_under_en(client, make_release):
    later = timezone.now() + timedelta(days=1)
    release = make_release(
        "sperrfrist", state=State.APPROVED, go_live_at=later, first_published_at=later
    )
    english(release)
    link = PreviewLink.objects.create(release=release, label="Agentur")
    with translation.override("de"):
        address = link.get_absolute_url()
    assert "Eine Mitteilung" in client.get(address).content.decode()
    page = client.get("/en" + address).content.decode()
    assert f"<h1>{ENGLISH_TITLE}</h1>" in page and "Embargoed until" in page


def test_a_new_release_is_written_with_its_english_version(client, officer, issuer):
    client.force_login(officer)
    data = with_english(new_release_data(issuer=issuer.pk))
    assert client.post(reverse("admin:releases_release_add"), data).status_code == 302
    release = Release.objects.get(slug="neue-mitteilung")
    assert release.version == 1 and release.translations.get().title == ENGLISH_TITLE
    assert release.revisions.get(number=1).snapshot["translations"]["en"]["lead"] == ENGLISH_LEAD
