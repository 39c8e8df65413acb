"""The demo's joint release ("gemeinsame Medieninformation") of the seed's ministry (lead issuer)
and the second ministry: a contribution to `manage.py demo` (releases/demo.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from contacts.models import Contact, Organisation

from . import revisions
from .demo_photos import show
from .models import Release, ReleaseContact, State

SLUG = "gemeinsam-kreativwirtschaft-an-schulen"
LEAD = (
    "Das Wirtschafts- und das Kultusministerium bringen Unternehmen der Kultur- und "
    "Kreativwirtschaft an Sachsens Oberschulen: Ab dem neuen Schuljahr gestalten Designerinnen, "
    "Spieleentwickler und Architektinnen Projektwochen zur Berufsorientierung."
)
BODY = (
    "<p>Das Programm „Kreativ in die Zukunft“ startet an zwanzig Oberschulen in allen "
    "Landesteilen. Die Schulen wählen ihre Partner aus einem Pool von Unternehmen, den die "
    "Kammern zusammenstellen.</p>"
    "<blockquote><p>„Wer früh erlebt, wie aus einer Idee ein Produkt wird, findet seinen Weg in "
    "die Ausbildung leichter.“</p></blockquote>"
    "<p>Beide Ministerien tragen die Kosten je zur Hälfte.</p>"
)


def second_ministry() -> Organisation:
    """The second ministry, by slug: the one the releases' demo (and the offices) made."""
    organisation, _created = Organisation.objects.get_or_create(
        slug="smk",
        defaults={"name": "Sächsisches Staatsministerium für Kultus", "short_name": "SMK"},
    )
    return organisation


def load(content) -> int:
    """Create the joint release once; returns how many objects were created."""
    if Release.objects.filter(slug=SLUG).exists():
        return 0
    lead_issuer = content.offices.get("smwa", content.issuer)
    co_issuer = content.offices.get("smk") or second_ministry()
    published = datetime(2017, 3, 6, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    release = Release.objects.create(
        slug=SLUG,
        issuer=lead_issuer,
        title="Kreativwirtschaft an Schulen: zwei Ministerien starten gemeinsames Programm",
        dateline="Dresden",
        lead=LEAD,
        body=BODY,
        state=State.APPROVED,
        go_live_at=published,
        first_published_at=published,
        go_live_handled_at=published,
        created_by=content.author,
        last_edited_by=content.author,
    )
    release.co_issuers.set([co_issuer])
    release.topics.set(
        [topic for slug, topic in content.topics.items() if slug in {"kultur", "bildung"}]
    )
    # A contact of each office, the lead issuer's first.
    contacts = [*content.contacts[:1], *Contact.objects.filter(organisation=co_issuer)[:1]]
    for order, contact in enumerate(contacts):
        ReleaseContact.objects.create(release=release, contact=contact, order=order)
    # The lead issuer's photo of the seed release, used again: the co-issuer sees it read-only.
    made = show(release, ["werkstatt"], lead_issuer, content.author)
    revisions.record(release, content.author)
    return 1 + made
