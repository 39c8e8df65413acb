"""The benchmark's tooling: the seeded archive is searchable, the gallery release, bulk
indexing, wrk's figures."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from bench import bench
from bench.management.commands import seed_benchmark
from bench.management.commands.seed_benchmark import Command as SeedBenchmark
from photos.models import Photo
from releases import search
from releases.models import Release


def found(word: str) -> list[str]:
    return list(search.search(Release.objects.live(), word).values_list("slug", flat=True))


def forget_index(releases) -> None:
    if connection.vendor == "postgresql":
        Release.objects.filter(pk__in=[r.pk for r in releases]).update(search_vector=None)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608


@pytest.mark.django_db
def test_the_seeded_archive_is_searchable():
    call_command(SeedBenchmark(), releases=12, gallery=False, stdout=mock.Mock())
    seeded = Release.objects.live().filter(slug__startswith="bench-")
    assert seeded.count() == 12
    for release in seeded:
        project = release.title.split("Projekt ")[-1].split(" ")[0]
        assert release.slug in found(project)


@pytest.mark.django_db
def test_every_word_of_the_new_searches_is_in_the_seeded_archive():
    """The cold search row asks four of these words at once: each must be in the seeded text,
    or its searches would find nothing and cost next to nothing."""
    call_command(SeedBenchmark(), releases=60, gallery=False, stdout=mock.Mock())
    for words in bench.SEARCH_WORDS:
        for word in words:
            assert found(word), word
    measured, warm_up = bench.new_searches(), bench.new_searches(skip=6000, count=300)
    assert len(set(measured)) == 6000 and len(set(warm_up)) == 300
    assert not set(measured) & set(warm_up)  # the row's queries are never asked before it


@pytest.mark.django_db
def test_a_second_seed_indexes_what_an_older_one_left_unindexed():
    call_command(SeedBenchmark(), releases=5, gallery=False, stdout=mock.Mock())
    seeded = list(Release.objects.filter(slug__startswith="bench-"))
    forget_index(seeded)
    project = seeded[0].title.split("Projekt ")[-1].split(" ")[0]
    assert found(project) == []

    call_command(SeedBenchmark(), releases=5, gallery=False, stdout=mock.Mock())

    assert seeded[0].slug in found(project)


@pytest.mark.django_db
def test_the_seed_adds_one_release_with_a_gallery_of_twelve_photos(client, monkeypatch):
    monkeypatch.setattr(seed_benchmark, "GALLERY_PHOTO_SIZE", (600, 400))  # as large ones, faster
    call_command(SeedBenchmark(), releases=1, stdout=mock.Mock())
    call_command(SeedBenchmark(), releases=1, stdout=mock.Mock())  # a second seed adds none

    release = Release.objects.live().get(slug=seed_benchmark.GALLERY_SLUG)
    photos = [image.photo for image in release.images.all()]
    assert len(photos) == 12
    assert all(photo.has_renditions and photo.width == 600 for photo in photos)
    page = client.get(release.get_absolute_url()).content.decode()
    assert page.count('<figure class="gallery__item') == 12

    call_command(SeedBenchmark(), reset=True, stdout=mock.Mock())
    assert not Release.objects.exists()
    assert not Photo.objects.exists()


def test_index_many_indexes_each_release_as_its_own(make_release):
    releases = [
        make_release("eins", title="Wertschöpfung im Erzgebirge"),
        make_release("zwei", title="Radwege an der Elbe"),
        make_release("drei", title="Glasfaser für Schulen"),
    ]
    forget_index(releases)
    assert found("Radwege") == []

    search.index_many(releases)
    search.index_many(releases)  # again: replaces, never doubles

    assert found("Wertschoepfung") == ["eins"]
    assert found("Radweg") == ["zwei"]
    assert found("Schule") == ["drei"]
    assert found("Glasfaser Schulen") == ["drei"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {search.FTS_TABLE}")  # noqa: S608
            assert cursor.fetchone()[0] == 3


def test_a_word_is_stemmed_once_however_often_it_occurs():
    stemmer = mock.Mock()
    stemmer.stemWord.side_effect = lambda word: word[:4]
    search.stem.cache_clear()
    try:
        with mock.patch.object(search._local, "stemmer", stemmer, create=True):
            assert search.stemmed_text("Radwege Radwege radwege Elbe") == "radw radw radw elbe"
        assert stemmer.stemWord.call_count == 2
    finally:
        search.stem.cache_clear()


WRK_OUTPUT = """Running 6s test @ http://127.0.0.1:8765/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.52ms    3.10ms  48.21ms   80.00%
  Latency Distribution
     50%    6.91ms
     75%    8.80ms
     90%   11.02ms
     99%    1.20s
  12840 requests in 6.00s, 180.12MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:   2139.47
Transfer/sec:     30.01MB
P95 14250
"""


def test_wrk_figures_are_read_with_their_units():
    # wrk pads a latency in seconds with a space: "1.20s ".
    figures = bench.parse_wrk(WRK_OUTPUT.replace("1.20s\n", "1.20s \n"))
    assert figures == {
        "rps": 2139.47,
        "p50": 6.91,
        "p95": 14.25,
        "p99": 1200.0,
        "errors": 5,
    }


def test_a_row_without_a_finished_request_has_no_latency():
    output = WRK_OUTPUT.replace("12840 requests", "0 requests").replace("P95 14250", "P95 0")
    figures = bench.parse_wrk(output)
    assert figures["p95"] != figures["p95"]  # NaN, not 0 ms
    assert figures["p50"] != figures["p50"]


def uncached(**rows) -> dict:
    median = {"ceiling": {"rps": 1000.0, "p50": 5.0, "p95": 8.0, "p99": 9.0}}
    for label, (rps, p95) in rows.items():
        median[label.replace("_", " ")] = {
            "rps": rps,
            "p50": 1.0,
            "p95": p95,
            "p99": 2.0,
            "errors": 0,
            "queries": [3, 3],
        }
    return {"median": median, "postgres": True}


def verdicts(lines: list[str]) -> dict[str, str]:
    return {line.split(" | ")[0][2:]: line.split(" | ")[-1].strip(" |") for line in lines[3:]}


def test_the_uncached_targets_are_judged_against_the_ceiling_of_the_run():
    result = uncached(
        release_detail=(250, 50),
        home=(249, 50),
        **{"list, page 1": (100, 50)},
        feed=(99, 50),
        **{"list, far page": (67, 50)},
        search=(500, 150),
    )
    assert verdicts(bench.uncached_table(result)) == {
        "release detail": "met",
        "home": "**not met**",
        "list, page 1": "met",
        "feed": "**not met**",
        "list, far page": "met",
        "search": "**not met**",
    }


def test_a_page_without_a_target_has_no_verdict_and_pages_may_be_left_out():
    # `--page` measured the gallery and the far page only: no list page 1 to compare with.
    result = uncached(**{bench.GALLERY: (300, 500), "list, far page": (67, 50)})
    assert verdicts(bench.uncached_table(result)) == {bench.GALLERY: "", "list, far page": ""}
