"""Sections that apps built on releases add to release pages (the home page, the feeds page,
the topic and issuer pages).

`releases` never imports those apps (appointments, for one): each registers its section in its
AppConfig.ready, with the template that renders it and a function that returns its context.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict]


HOME: list[Section] = []
FEEDS_PAGE: list[Section] = []
# Their context functions are called with the topic or the issuer shown.
TOPIC_PAGE: list[Section] = []
ISSUER_PAGE: list[Section] = []


def add(page: list[Section], template: str, context: Callable[..., dict]) -> None:
    section = Section(template, context)
    if section not in page:
        page.append(section)


def render(page: list[Section], *args) -> list[dict]:
    """Each section's template and context, for `{% include section.template with ... %}`."""
    return [{"template": section.template, **section.context(*args)} for section in page]
