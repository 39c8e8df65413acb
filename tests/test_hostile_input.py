"""Random paths and query strings against every public route: never a server error."""

import io
import string

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releases.management.commands.demo import SEED_SLUG

PUBLIC_ROUTES = [
    "/",
    "/pressemitteilungen/",
    f"/pressemitteilungen/{SEED_SLUG}/",
    "/themen/wirtschaft/",
    "/herausgeber/smwa/",
    "/kontakte/",
    "/kontakte/jens-jungmann.vcf",
    "/publikationen/",
    "/publikationen/reihe/schlaglicht/",
    "/publikationen/schlaglicht-impulse-kreativwirtschaft/download/",
    "/vorschau/abc/",
    "/feeds/",
    "/feeds/pressemitteilungen.rss",
    "/feeds/themen/wirtschaft.atom",
    "/feeds/herausgeber/smwa.rss",
    "/sitemap.xml",
    "/robots.txt",
    "/en/",
    "/en/pressemitteilungen/",
]
# Hypothesis runs every example of a test inside one function-scoped fixture: that is intended.
FIXTURE_PER_TEST = [HealthCheck.function_scoped_fixture]
PARAMETERS = ["q", "thema", "herausgeber", "jahr", "monat", "von", "bis", "seite", "page"]

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
) | st.sampled_from(
    [
        "-1",
        "0",
        "1e9",
        "99999999999999999999",
        "2026-02-30",
        "NaN",
        "' OR 1=1 --",
        "%00",
        "<script>",
        "../../etc/passwd",
        "ä" * 300,
    ]
)
segment = st.text(alphabet=string.ascii_letters + string.digits + "-_.~%äöüß", max_size=40)


@pytest.fixture
def demo_content(db):
    # Function-scoped: hypothesis runs all examples of a test inside one fixture's lifetime.
    call_command("demo", stdout=io.StringIO())


@pytest.mark.slow
@pytest.mark.usefixtures("demo_content")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(PUBLIC_ROUTES),
    query=st.dictionaries(st.sampled_from(PARAMETERS) | segment, text, max_size=4),
)
def test_no_query_string_makes_a_public_route_fail(client, route, query):
    response = client.get(route, query)
    assert response.status_code < 500, (route, query)


@pytest.mark.slow
@pytest.mark.usefixtures("demo_content")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=st.sampled_from(PUBLIC_ROUTES), suffix=st.lists(segment, min_size=1, max_size=4))
def test_no_path_makes_the_site_fail(client, route, suffix):
    path = route.rstrip("/") + "/" + "/".join(suffix)
    response = client.get(path)
    assert response.status_code < 500, path
