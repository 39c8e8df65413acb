"""Kept teasers (releases/teasers.py): each release's teaser in the lists and on home is rendered
once per version and language, read for the whole page at once, and shown anew when anything it
shows changes. The page cache is off here (tests/settings.py): what these tests see is cold."""

import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from newsroom.cache import cache
from releases import teasers, views, workflow
from releases.models import Release, Topic, TopicTranslation
from releases.teasers import TEMPLATE

PAGES = ["/", "/pressemitteilungen/", "/themen/wirtschaft/", "/herausgeber/mfb/"]


@pytest.fixture
def listed(make_release):
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    releases = [make_release(f"r{number}", title=f"Mitteilung {number}") for number in range(3)]
    for release in releases:
        release.topics.add(topic)
    return releases


def read(client, url) -> tuple[str, int, int]:
    """The page, the teasers rendered for it and its queries."""
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name == TEMPLATE)

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    finally:
        template_rendered.disconnect(count)
    assert response.status_code == 200, url
    return response.content.decode(), sum(rendered), len(queries)


def test_a_second_cold_page_reuses_the_teasers_of_the_first(client, listed):
    assert read(client, "/pressemitteilungen/")[1] == 3
    for url in ["/", "/themen/wirtschaft/", "/herausgeber/mfb/"]:
        page, rendered, _ = read(client, url)
        assert rendered == 0 and "Mitteilung 2" in page, url


# A text column read: a release's or its translation's body or search vector.
READS_TEXT = re.compile(r'("releases_release"|translation)\."(body|background|search_vector)"')


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("url", PAGES)
def test_teasers_are_rendered_without_reading_the_text(client, listed, url, prefix):
    """A teaser shows no body or background, of a release or of its translation: kilobytes a
    row that a cold list read for nothing."""
    for release in listed:
        release.translations.create(language="en", title="T", lead="L", body="<p>Text.</p>")
    with CaptureQueriesContext(connection) as queries:
        page, rendered, _ = read(client, prefix + url)
    assert rendered == 3 and (">T</a>" if prefix else ">Mitteilung 2</a>") in page
    assert not [q["sql"] for q in queries.captured_queries if READS_TEXT.search(q["sql"])]


def test_a_renamed_topic_and_issuer_and_a_correction_show_at_once(client, listed, issuer, lead):
    read(client, "/pressemitteilungen/")
    topic = Topic.objects.get()
    topic.name = "Ökonomie"
    topic.save()
    issuer.short_name = "MfN"
    issuer.save()
    page = read(client, "/pressemitteilungen/")[0]
    assert "Ökonomie</a>" in page and "Wirtschaft</a>" not in page
    assert ">MfN</a>" in page and ">MfB</a>" not in page
    release = listed[0]
    workflow.take(release.pk, "correct", lead, comment="Die Zahl war falsch.")
    release.refresh_from_db()
    release.title = "Berichtigter Titel"
    release.save()
    assert "Berichtigter Titel" in read(client, "/pressemitteilungen/")[0]


def test_english_teasers_differ_from_german_ones_and_follow_their_names(client, listed):
    topic = Topic.objects.get()
    TopicTranslation.objects.create(topic=topic, language="en", name="Economy")
    german = read(client, "/pressemitteilungen/")[0]
    english = read(client, "/en/pressemitteilungen/")[0]
    assert "Wirtschaft</a>" in german and "Economy</a>" not in german
    assert "Economy</a>" in english and "Wirtschaft</a>" not in english
    assert "Economy</a>" not in read(client, "/pressemitteilungen/")[0]
    translation = TopicTranslation.objects.get()
    translation.name = "The economy"
    translation.save()
    english = read(client, "/en/pressemitteilungen/")[0]
    assert "The economy</a>" in english


def as_before(name: str) -> str:
    """The template `name` as it was before teasers were kept: each teaser included in place."""
    source = (Path(settings.BASE_DIR) / "templates" / name).read_text()
    assert source.count("{{ release.teaser }}") == 1
    include = '{% include "includes/release_teaser.html" with heading_level=3 %}'
    if name == "releases/home.html":
        include = '{% include "includes/release_teaser.html" %}'
    return source.replace("{{ release.teaser }}", include)


def whole_rows(releases) -> list:
    """The rows as the lists loaded them before teasers were kept: whole, with the issuer and
    the topics in the page's language."""
    ids = [release.pk for release in releases]
    rows = Release.objects.filter(pk__in=ids).select_related("issuer").in_language()
    loaded = {row.pk: row for row in rows.prefetch_related(teasers.localized_topics())}
    return [loaded[pk] for pk in ids]


@contextmanager
def templates_as_before():
    engine = dict(settings.TEMPLATES[0], APP_DIRS=False)
    names = ["includes/release_results.html", "releases/home.html"]
    engine["OPTIONS"] = dict(
        engine["OPTIONS"],
        loaders=[
            ("django.template.loaders.locmem.Loader", {name: as_before(name) for name in names}),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
    with (
        override_settings(TEMPLATES=[engine]),
        mock.patch.object(views, "with_teasers", whole_rows),
    ):
        yield


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_are_byte_for_byte_what_they_were(client, listed, prefix):
    TopicTranslation.objects.create(topic=Topic.objects.get(), language="en", name="Economy")
    before = {}
    with templates_as_before():
        for url in PAGES:
            # Nothing kept: the included teasers load their topics, as they did.
            cache().clear()
            before[url] = read(client, prefix + url)[0]
    cache().clear()
    cold = {url: read(client, prefix + url)[0] for url in PAGES}
    kept = {url: read(client, prefix + url)[0] for url in PAGES}
    for url in PAGES:
        assert cold[url] == before[url] and kept[url] == before[url], url
        assert "Mitteilung 1" in before[url]
