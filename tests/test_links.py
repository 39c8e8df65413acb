"""Paths of pages named by a slug, reversed once and filled in (newsroom.links.slug_url)."""

import pytest
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from newsroom.links import slug_url

NAMES = ["releases:detail", "releases:topic", "releases:issuer"]


@pytest.fixture
def script_prefix():
    before = get_script_prefix()
    yield set_script_prefix
    set_script_prefix(before)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("prefix", ["/", "/presse/"])
def test_a_slug_url_is_what_reverse_gives(name, language, prefix, script_prefix):
    script_prefix(prefix)
    with translation.override(language):
        for slug in ["arbeitsmarkt-im-november", "a", "Mit_Grossbuchstaben-2026"]:
            assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})
        assert slug_url(name, "x").startswith(prefix)


@pytest.mark.parametrize("slug", ["", "mit leerzeichen", "über", "a/b", "../x"])
def test_a_slug_the_converter_refuses_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        reverse("releases:detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        slug_url("releases:detail", slug)


def test_a_slug_url_follows_the_urlconf(settings):
    assert slug_url("releases:topic", "verkehr") == "/themen/verkehr/"
    settings.ROOT_URLCONF = "tests.urls_elsewhere"
    assert slug_url("releases:topic", "verkehr") == "/anderswo/themen/verkehr/"
