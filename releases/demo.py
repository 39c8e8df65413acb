"""Demo content that apps built on releases add to `manage.py demo`.

`releases` never imports those apps (appointments, for one): each registers a contribution in its
AppConfig.ready. The demo command calls every contribution inside its transaction, after its own
content, with what it made (`DemoContent`); a contribution creates only what is missing and
returns how many objects it created, so that running the demo twice changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoContent:
    """What the releases' demo made, for contributions to build on."""

    issuer: object  # the seed's ministry
    contacts: list = field(default_factory=list)  # its press contacts
    topics: dict = field(default_factory=dict)  # by slug
    author: object = None  # the demo officer
    lead: object = None  # the demo press lead
    # The demo's press offices by slug: "smwa" (the seed's ministry), "smk" (a second ministry),
    # "lasuv" (an authority under "smwa"); and every demo user by username. A joint release of
    # two ministries, for one, is a contribution that builds on these.
    offices: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


CONTRIBUTIONS: list[Callable[[DemoContent], int]] = []


def contribute(load: Callable[[DemoContent], int]) -> None:
    if load not in CONTRIBUTIONS:
        CONTRIBUTIONS.append(load)


def load_contributions(content: DemoContent) -> int:
    return sum(load(content) for load in CONTRIBUTIONS)
