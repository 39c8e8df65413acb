"""The appointments' part of `manage.py demo`: two upcoming appointments of the seed's ministry,
one of them with accreditation. Registered in `apps.py`; created once, looked up by slug."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from releases.demo_photos import show

from . import revisions
from .models import Appointment, Kind, State

DEMO_APPOINTMENTS = [
    {
        "slug": "pressekonferenz-strategiewerkstatt",
        "title": "Pressekonferenz: Ergebnisse der StrategieWerkstatt Industrie der ZUKUNFT",
        "kind": Kind.PRESS_CONFERENCE,
        "days_ahead": 7,
        "hour": 11,
        "hours": 1,
        "venue": "Sächsisches Staatsministerium für Wirtschaft, Arbeit und Verkehr",
        "address": "Wilhelm-Buck-Straße 2, 01097 Dresden",
        "room": "Pressesaal, Raum 1.101",
        "description": (
            "<p>Der Staatsminister stellt die Ergebnisse der StrategieWerkstatt vor und "
            "beantwortet Fragen der Presse.</p>"
        ),
        "press_notes": (
            "Foto- und Drehmöglichkeit zu Beginn. Sicherheitskontrolle am Eingang: bitte "
            "Presseausweis und Personalausweis mitbringen."
        ),
        "topics": ["wirtschaft", "kultur"],
        "accreditation": {"days_before": 2, "capacity": 40},
    },
    {
        "slug": "ortstermin-kreativwirtschaft-leipzig",
        "title": "Ortstermin: Kreativwirtschaft trifft Industrie in Leipzig",
        "kind": Kind.SITE_VISIT,
        "days_ahead": 14,
        "hour": 14,
        "hours": 2,
        "venue": "Spinnerei Leipzig, Halle 14",
        "address": "Spinnereistraße 7, 04179 Leipzig",
        "room": "",
        "description": (
            "<p>Rundgang mit Gründerinnen und Gründern der Kultur- und Kreativwirtschaft.</p>"
        ),
        "press_notes": "Parkplätze auf dem Gelände. Der Rundgang ist auf Deutsch.",
        "topics": ["wirtschaft"],
        "accreditation": None,
        # The seed release's photo, from the ministry's media library.
        "photos": ["werkstatt"],
    },
]


def berlin_at(days_ahead: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def load(content) -> int:
    """Create the demo appointments that are missing (public at once); returns how many."""
    created = 0
    now = timezone.now()
    for item in DEMO_APPOINTMENTS:
        if Appointment.objects.filter(slug=item["slug"]).exists():
            continue
        starts_at = berlin_at(item["days_ahead"], item["hour"])
        accreditation = item["accreditation"] or {}
        appointment = Appointment.objects.create(
            issuer=content.issuer,
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=item["hours"]),
            venue=item["venue"],
            address=item["address"],
            room=item["room"],
            description=item["description"],
            press_notes=item["press_notes"],
            requires_accreditation=bool(accreditation),
            accreditation_deadline=(
                starts_at - timedelta(days=accreditation["days_before"]) if accreditation else None
            ),
            capacity=accreditation.get("capacity"),
            state=State.APPROVED,
            go_live_at=now,
            first_published_at=now,
            # Public from the start: no alert is owed for demo content.
            go_live_handled_at=now,
            created_by=content.author,
            last_edited_by=content.author,
        )
        appointment.topics.set(
            [content.topics[slug] for slug in item["topics"] if slug in content.topics]
        )
        appointment.contacts.set(content.contacts)
        created += show(appointment, item.get("photos", []), content.issuer, content.author)
        revisions.record(appointment, content.author)
        created += 1
    return created
