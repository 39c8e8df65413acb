"""Load demo content modelled on the seed release, and the demo users.

Idempotent: every object is looked up by its slug or username and only created when missing, so a
second run changes nothing (and never overwrites what someone edited in the admin).
"""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from contacts.models import Contact, OfficeMembership, Organisation
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases import demo, demo_english, revisions
from releases.demo_photos import demo_photo, show
from releases.models import Release, ReleaseContact, ReleaseLink, State, Topic
from releases.roles import PORTAL_ADMINISTRATORS, ROLE_PERMISSIONS, sync_roles

BERLIN = ZoneInfo("Europe/Berlin")

OFFICER, LEAD = OfficeMembership.Role.OFFICER, OfficeMembership.Role.LEAD
DEMO_USERS = [
    # username, password, (office slug, role) or a portal-wide group, superuser
    ("officer", "newsroom-officer", ("smwa", OFFICER), False),
    ("lead", "newsroom-lead", ("smwa", LEAD), False),
    ("officer-smk", "newsroom-officer-smk", ("smk", OFFICER), False),
    ("lead-smk", "newsroom-lead-smk", ("smk", LEAD), False),
    ("officer-lasuv", "newsroom-officer-lasuv", ("lasuv", OFFICER), False),
    ("lead-lasuv", "newsroom-lead-lasuv", ("lasuv", LEAD), False),
    ("portal", "newsroom-portal", PORTAL_ADMINISTRATORS, False),
    ("admin", "newsroom-admin", None, True),
]

SEED_SLUG = "strategiewerkstatt-kreativwirtschaft-fuer-die-industrielle-wertschoepfung-nutzen"

SEED_LEAD = (
    "Innovation braucht Kreativität. Am Innovationsstandort Sachsen hat sich in den vergangenen "
    "Jahren eine lebendige Kultur- und Kreativwirtschaft entwickelt. Wie die Region diese "
    "Potenziale nutzen kann, um ihre Innovationskraft und Wettbewerbsfähigkeit auszubauen, zeigt "
    "die „StrategieWerkstatt: Industrie der ZUKUNFT.“ in ihrem aktuellen Schlaglicht „Impulse der "
    "Kultur- und Kreativwirtschaft zu Wertschöpfung und Innovation“."
)

SEED_BODY = """
<p>Globale Trends wie die Digitalisierung der Wertschöpfung, die Entwicklung und Anwendung
neuartiger Fertigungstechniken wie 3D-Druck, aber auch der demografische Wandel verändern bereits
heute die gesamte Industrie. Die vom Sächsischen Staatsministerium für Wirtschaft, Arbeit und
Verkehr (SMWA) eingerichtete „StrategieWerkstatt: Industrie der ZUKUNFT.“ analysiert die
verschiedenen Trends und untersucht ihre Auswirkungen in Sachsen: Wie prägen sich die
technologischen, sozialen und wirtschaftlichen Trends vor Ort aus, wie beeinflussen sie die
sächsische Industrie, wie können Chancen genutzt und Risiken entschärft werden?</p>
<p>Mit dem Schlaglicht hat die StrategieWerkstatt ein Format ins Leben gerufen, in dem besondere
Aspekte aus ihrer Arbeit vorgestellt werden. Das aktuelle Schlaglicht beleuchtet die Kultur- und
Kreativwirtschaft, die sich längst zu einem bedeutsamen Wirtschaftssektor entwickelt und im Jahr
2014 mit 67,5 Milliarden Euro rund 2,3 Prozent zur gesamten Bruttowertschöpfung Deutschlands
beigetragen hat.</p>
<p>Darüber hinaus ist die Kultur- und Kreativwirtschaft ein wichtiger Impuls- und Ideengeber für
die Industrie und trägt somit unmittelbar zu deren Wettbewerbsfähigkeit bei. Hochburgen der
Kreativwirtschaft in Sachsen sind Dresden, Chemnitz und vor allem Leipzig, das sich zu einem
Magneten für kreative Köpfe entwickelt hat.</p>
<blockquote>
<p>„In den sächsischen Regionen gibt es beeindruckende Beispiele für die Verbindung von
Kreativität, Gestaltung und Fertigung, wie das Musicon Valley im Vogtland zeigt. Gerade durch neue
Technologien wie den 3D-Druck und Entwicklungen wie FabLabs und Maker Movement haben auch kleine
Unternehmen die Möglichkeit, Zugang zum Potenzial von Kultur- und Kreativwirtschaft zu finden.“</p>
<p><cite>Martin Dulig, Sächsischer Staatsminister für Wirtschaft, Arbeit und Verkehr</cite></p>
</blockquote>
<p>Das Schlaglicht stellt Beispiele für Anwendungen und Kooperationen vor und macht auch deutlich,
dass Kreativität und Innovationsfähigkeit am besten in einem Klima der Toleranz und Vielfalt
gedeihen. Es kann auf der Website der StrategieWerkstatt: Industrie der ZUKUNFT. unter
<a href="https://www.industrie.sachsen.de/strategiewerkstatt.html">www.industrie.sachsen.de/strategiewerkstatt.html</a>
heruntergeladen werden.</p>
"""

SEED_BACKGROUND = """
<p>Die „StrategieWerkstatt: Industrie der ZUKUNFT.“ des SMWA entwickelt in einem auf zwei Jahre
angelegten Prozess Struktur und Grundzüge einer Industriestrategie für Sachsen. In der ersten
Phase wurde eine Analyse der Ausgangssituation unter dem Titel „Rahmenbedingungen,
Herausforderungen und Perspektiven für die sächsische Industrie“ vorgelegt, die auf Anfrage bei
der StrategieWerkstatt erhältlich ist. Eine zusammenfassende Präsentation kann auf der Website
<a href="https://www.industrie.sachsen.de/strategiewerkstatt.html">www.industrie.sachsen.de/strategiewerkstatt.html</a>
heruntergeladen werden.</p>
<p>Im weiteren Verlauf wird die StrategieWerkstatt die Plattform für einen offenen und breiten
Kommunikationsprozess mit Vertretern aus Wirtschaft, Wissenschaft, Verbänden, Netzwerken und
Sozialpartnern bilden. Sie bietet somit den Beteiligten die Chance, die sächsische
Industriestrategie aktiv mitzugestalten. Darüber hinaus sollen sächsische Akteure stärker vernetzt
und neue Projektideen entwickelt werden. Mit der Durchführung der StrategieWerkstatt wurde die
VDI/VDE Innovation + Technik GmbH beauftragt.</p>
"""

TOPICS = [
    ("Wirtschaft", "wirtschaft"),
    ("Arbeit", "arbeit"),
    ("Verkehr", "verkehr"),
    ("Digitales", "digitales"),
    ("Kultur", "kultur"),
    ("Bildung", "bildung"),
]

# slug, issuer slug, title, lead, topics, date (Berlin)
MORE_RELEASES = [
    (
        "breitbandausbau-foerderung-2017",
        "smwa",
        "Neues Förderprogramm für schnelles Internet im ländlichen Raum",
        "Der Freistaat stellt weitere Mittel für den Breitbandausbau bereit. "
        "Gemeinden können ab sofort Anträge für unterversorgte Ortsteile stellen.",
        ["digitales", "wirtschaft"],
        (2017, 1, 18),
    ),
    (
        "ausbildungsmarkt-bilanz-2016",
        "smwa",
        "Ausbildungsmarkt: Mehr Ausbildungsplätze als Bewerberinnen und Bewerber",
        "Die Bilanz des Ausbildungsjahres zeigt: Sächsische Betriebe "
        "bieten mehr Stellen an, als Bewerbungen eingehen. Das Ministerium wirbt für die duale "
        "Ausbildung.",
        ["arbeit", "bildung"],
        (2016, 12, 2),
    ),
    (
        "s-bahn-mitteldeutschland-neue-linie",
        "smwa",
        "Neue S-Bahn-Linie verbindet Leipzig und Chemnitz direkt",
        "Ab dem Fahrplanwechsel fahren Züge ohne Umstieg zwischen Leipzig und "
        "Chemnitz. Pendlerinnen und Pendler sparen bis zu zwanzig Minuten.",
        ["verkehr"],
        (2016, 12, 9),
    ),
    (
        "gruenderpreis-kreativwirtschaft",
        "smwa",
        "Gründerpreis würdigt junge Unternehmen der Kreativwirtschaft",
        "Drei Gründungsteams aus Leipzig, Dresden und Görlitz erhalten den "
        "diesjährigen Gründerpreis. Die Jury lobte den Mut zu neuen Geschäftsmodellen.",
        ["wirtschaft", "kultur"],
        (2016, 11, 28),
    ),
    (
        "mindestlohn-kontrollen-bilanz",
        "smwa",
        "Arbeitsschutz: Bilanz der Kontrollen auf Baustellen",
        "Die Gewerbeaufsicht hat im vergangenen Jahr mehr als 4.000 Baustellen "
        "kontrolliert. Die Zahl der schweren Unfälle ist gesunken.",
        ["arbeit"],
        (2016, 10, 20),
    ),
    (
        "digitale-schule-pilotprojekt",
        "smk",
        "Pilotprojekt „Digitale Schule“ startet an zwölf Standorten",
        "Zwölf Schulen erproben ab dem zweiten Halbjahr neue Lernplattformen. Das "
        "Projekt wird wissenschaftlich begleitet.",
        ["bildung", "digitales"],
        (2017, 2, 6),
    ),
    (
        "lehrkraefte-einstellung-fruehjahr",
        "smk",
        "Einstellungsrunde im Frühjahr: Freistaat gewinnt neue Lehrkräfte",
        "Zum Schulhalbjahr beginnen mehr als 800 Lehrerinnen und Lehrer "
        "ihren Dienst an sächsischen Schulen.",
        ["bildung"],
        (2017, 1, 30),
    ),
    (
        "kulturelle-bildung-landesprogramm",
        "smk",
        "Landesprogramm stärkt kulturelle Bildung an Ganztagsschulen",
        "Schulen können künftig leichter mit Theatern, Museen und Musikschulen "
        "zusammenarbeiten. Das Programm startet im kommenden Schuljahr.",
        ["bildung", "kultur"],
        (2016, 9, 14),
    ),
]


# Releases with a gallery: their photos (releases/demo_photos.py), in order.
GALLERIES = {
    "gruenderpreis-kreativwirtschaft": [
        "preis-buehne",
        "preis-gruenderin",
        "preis-trophaee",
        "preis-saal",
    ],
}


def berlin(year, month, day, hour=10):
    return datetime(year, month, day, hour, 0, tzinfo=BERLIN)


def logo_png(initials: str, colour: str) -> bytes:
    image = Image.new("RGB", (128, 128), colour)
    ImageDraw.Draw(image).text((64, 64), initials, fill="white", font_size=30, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.new_users = set()
        with transaction.atomic():
            self.author = self.user("officer")
            created = self.load_content()
            users = self.load_users()
            # What other apps add (appointments, a joint release, ...): registered in their
            # AppConfig.ready; `offices` and `users` are there for content of other offices.
            created += demo.load_contributions(
                demo.DemoContent(
                    issuer=self.smwa,
                    contacts=[self.jungmann],
                    topics=self.topics,
                    author=self.author,
                    lead=users["lead"],
                    offices=self.offices,
                    users=users,
                )
            )
            # The photos' renditions, here rather than only on commit: a demo loaded inside an
            # enclosing transaction (the tests' `demo_site`) never commits.
            call_command("make_renditions", "--missing", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {created} objects created.")
            if created
            else "Demo content: already there, nothing changed."
        )
        # Sample legal pages (Impressum, privacy, accessibility), only where still empty.
        call_command("demo_legal", stdout=self.stdout)
        self.print_users(users)

    def load_content(self) -> int:
        self.created = 0
        smwa = self.organisation(
            "smwa",
            name="Sächsisches Staatsministerium für Wirtschaft, Arbeit und Verkehr",
            short_name="SMWA",
            street_address="Wilhelm-Buck-Straße 2",
            postcode="01097",
            city="Dresden",
            phone="+49 351 564-0",
            press_email="presse@smwa.sachsen.de",
            website="https://www.smwa.sachsen.de",
            directions=(
                "Zu erreichen ab Bahnhof Dresden-Neustadt mit den Straßenbahnlinien 3 und 9, ab "
                "Dresden-Hauptbahnhof mit den Linien 3, 7 und 8. Haltestelle Carolaplatz."
            ),
            legal_notice=(
                "Kein Zugang für verschlüsselte elektronische Dokumente. Zugang für qualifiziert "
                "elektronisch signierte Dokumente nur unter den auf "
                "www.lsf.sachsen.de/eSignatur.html vermerkten Voraussetzungen."
            ),
            logo_colour="#0b4f8a",
        )
        smk = self.organisation(
            "smk",
            name="Sächsisches Staatsministerium für Kultus",
            short_name="SMK",
            street_address="Carolaplatz 1",
            postcode="01097",
            city="Dresden",
            press_email="presse@smk.sachsen.de",
            website="https://www.smk.sachsen.de",
            directions="Haltestelle Carolaplatz, Straßenbahnlinien 3, 7 und 8.",
            logo_colour="#5a2d82",
        )
        # An authority under the ministry: its press office, reviewed by the ministry's leads.
        lasuv = self.organisation(
            "lasuv",
            name="Landesamt für Straßenbau und Verkehr",
            short_name="LASuV",
            street_address="Stauffenbergallee 24",
            postcode="01099",
            city="Dresden",
            press_email="presse@lasuv.sachsen.de",
            website="https://www.lasuv.sachsen.de",
            directions="Haltestelle Stauffenbergallee, Straßenbahnlinie 7.",
            logo_colour="#2f6b3a",
            parent=smwa,
            # Its office page and contacts are public before its first release is.
            always_public=True,
        )
        self.offices = {"smwa": smwa, "smk": smk, "lasuv": lasuv}
        jungmann = self.contact(
            "jens-jungmann",
            organisation=smwa,
            name="Jens Jungmann",
            role="Pressesprecher",
            phone="+49 351 564 80600",
            fax="+49 351 564 80680",
            email="presse@smwa.sachsen.de",
        )
        beispiel = self.contact(
            "anna-beispiel",
            organisation=smk,
            name="Anna Beispiel",
            role="Pressereferentin",
            phone="+49 351 564 20000",
            fax="+49 351 564 20009",
            email="presse@smk.sachsen.de",
        )
        topics = {
            slug: self.get_or_create(Topic, slug=slug, defaults={"name": name})
            for name, slug in TOPICS
        }
        self.smwa, self.jungmann, self.topics = smwa, jungmann, topics

        schlaglicht = self.get_or_create(
            Series,
            slug="schlaglicht",
            defaults={
                "title": "Schlaglicht",
                "description": "Besondere Aspekte aus der Arbeit der StrategieWerkstatt: "
                "Industrie der ZUKUNFT.",
            },
        )
        impulse = Publication.objects.filter(slug="schlaglicht-impulse-kreativwirtschaft").first()
        if impulse is None:
            title = "Impulse der Kultur- und Kreativwirtschaft zu Wertschöpfung und Innovation"
            impulse = Publication(
                slug="schlaglicht-impulse-kreativwirtschaft",
                title=title,
                series=schlaglicht,
                issuer=smwa,
                description="Schlaglicht der StrategieWerkstatt: Industrie der ZUKUNFT.",
                published_at=berlin(2016, 11, 13, 9),
            )
            impulse.file = ContentFile(
                build_pdf(
                    f"Schlaglicht: {title}",
                    [
                        "StrategieWerkstatt: Industrie der ZUKUNFT.",
                        "Sächsisches Staatsministerium für Wirtschaft, Arbeit und Verkehr",
                        "Demo-Dokument des Newsroom.",
                    ],
                ),
                name="schlaglicht.pdf",
            )
            impulse.save()
            self.created += 1

        seed = self.release(
            SEED_SLUG,
            issuer=smwa,
            title="StrategieWerkstatt: Kreativwirtschaft für die industrielle Wertschöpfung nutzen",
            dateline="Dresden",
            lead=SEED_LEAD,
            body=SEED_BODY,
            background=SEED_BACKGROUND,
            published=berlin(2016, 11, 13),
            topics=[topics["wirtschaft"], topics["kultur"]],
            contacts=[jungmann],
        )
        if seed is not None:
            seed.publications.add(impulse)
            ReleaseLink.objects.create(
                release=seed,
                title="StrategieWerkstatt: Industrie der ZUKUNFT.",
                url="https://www.industrie.sachsen.de/strategiewerkstatt.html",
            )
            # Photos of the office's media library (releases/demo_photos.py), English included.
            self.created += show(seed, ["werkstatt"], smwa, self.author)
            demo_english.translate_release(seed)

        for slug, issuer_slug, title, lead, topic_slugs, day in MORE_RELEASES:
            issuer = smwa if issuer_slug == "smwa" else smk
            created = self.release(
                slug,
                issuer=issuer,
                title=title,
                dateline="Dresden",
                lead=lead,
                body=f"<p>{lead}</p><p>Weitere Informationen erteilt die Pressestelle.</p>",
                published=berlin(*day),
                topics=[topics[topic] for topic in topic_slugs],
                contacts=[jungmann if issuer == smwa else beispiel],
            )
            if created is not None:
                demo_english.translate_release(created)
                if slug in GALLERIES:
                    self.created += show(created, GALLERIES[slug], issuer, self.author)

        # One release under embargo and one draft, to show that neither is public.
        embargoed = self.release(
            "embargo-demo-landeshaushalt",
            issuer=smwa,
            title="Eckpunkte des Wirtschaftshaushalts (Sperrfrist)",
            dateline="Dresden",
            lead="Dieser Text ist bis zum Ablauf der Sperrfrist nicht öffentlich.",
            body="<p>Erst nach der Sperrfrist sichtbar.</p>",
            published=timezone.now() + timedelta(days=7),
            topics=[topics["wirtschaft"]],
            contacts=[jungmann],
        )
        if embargoed is not None:
            # Its document and photo go public with it (no date of their own), not before.
            tables = Publication(
                slug="eckpunkte-wirtschaftshaushalt-tabellen",
                title="Eckpunkte des Wirtschaftshaushalts: Tabellen",
                issuer=smwa,
                published_at=None,
            )
            tables.file = ContentFile(
                build_pdf("Eckpunkte des Wirtschaftshaushalts", ["Tabellen (Sperrfrist)."]),
                name="tabellen.pdf",
            )
            tables.save()
            embargoed.publications.add(tables)
            self.created += show(embargoed, ["sperrfrist"], smwa, self.author)
        self.release(
            "entwurf-demo-messe",
            issuer=smwa,
            title="Entwurf: Sachsen auf der Hannover Messe",
            dateline="Dresden",
            lead="Ein Entwurf, der noch nicht freigegeben ist.",
            body="<p>Entwurfstext.</p>",
            published=None,
            topics=[topics["wirtschaft"]],
            contacts=[jungmann],
        )
        # Each office's desk has work: a draft of the second ministry (which the first does not
        # see) and the authority's release waiting for review by the ministry's leads.
        lasuv_contact = self.contact(
            "lasuv-pressestelle",
            organisation=lasuv,
            name="Pressestelle LASuV",
            role="Pressestelle",
            phone="+49 351 8139-0",
            email="presse@lasuv.sachsen.de",
        )
        self.release(
            "entwurf-demo-schulbau",
            issuer=smk,
            title="Entwurf: Schulbauprogramm 2018",
            dateline="Dresden",
            lead="Ein Entwurf des Kultusministeriums, den nur seine Pressestelle sieht.",
            body="<p>Entwurfstext.</p>",
            published=None,
            topics=[topics["bildung"]],
            contacts=[beispiel],
            author=self.user("officer-smk"),
        )
        bridge = self.release(
            "pruefung-demo-bruecke-freigabe",
            issuer=lasuv,
            title="Brücke Niederwartha wieder für den Verkehr freigegeben",
            dateline="Dresden",
            lead="Nach zwei Jahren Bauzeit ist die Brücke ab Montag wieder befahrbar.",
            body="<p>Das Landesamt gibt die Brücke nach der Sanierung frei.</p>",
            published=None,
            state=State.IN_REVIEW,
            topics=[topics["verkehr"]],
            contacts=[lasuv_contact],
            author=self.user("officer-lasuv"),
        )
        if bridge is not None:
            self.created += show(bridge, ["bruecke"], lasuv, self.user("officer-lasuv"))
        # The second ministry's library holds a photo that nothing uses yet.
        self.created += demo_photo("schulhof", smk, self.user("officer-smk"))[1]
        # The first version of each demo release, so its history starts somewhere.
        for release in Release.objects.filter(revisions__isnull=True).select_related("created_by"):
            revisions.record(release, release.created_by or self.author)
        return self.created

    def get_or_create(self, model, **lookup):
        obj, created = model.objects.get_or_create(**lookup)
        self.created += created
        return obj

    def organisation(self, slug, *, logo_colour, **fields):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation:
            return organisation
        organisation = Organisation(slug=slug, **fields)
        organisation.logo.save(
            f"{slug}.png", ContentFile(logo_png(fields["short_name"], logo_colour)), save=False
        )
        organisation.save()
        self.created += 1
        return organisation

    def contact(self, slug, **fields):
        return self.get_or_create(Contact, slug=slug, defaults=fields)

    def release(self, slug, *, published, topics, contacts, author=None, state=None, **fields):
        """Create a release unless its slug exists; return it only when it was created."""
        if Release.objects.filter(slug=slug).exists():
            return None
        state = state or (State.DRAFT if published is None else State.APPROVED)
        past = published is not None and published <= timezone.now()
        release = Release.objects.create(
            slug=slug,
            state=state,
            go_live_at=published,
            first_published_at=published,
            # Old demo releases went live long ago: nothing is left for publish_due to do.
            go_live_handled_at=published if past else None,
            created_by=author or self.author,
            last_edited_by=author or self.author,
            **fields,
        )
        release.topics.set(topics)
        for order, contact in enumerate(contacts):
            ReleaseContact.objects.create(release=release, contact=contact, order=order)
        self.created += 1
        return release

    def user(self, username):
        """A demo user, created (without any role yet) when missing."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password, superuser = next(
                (password, superuser)
                for name, password, _role, superuser in DEMO_USERS
                if name == username
            )
            user = User(
                username=username,
                is_staff=True,
                is_superuser=superuser,
                email=f"{username}@newsroom.invalid",
            )
            user.set_password(password)
            user.save()
            self.new_users.add(username)
        return user

    def load_users(self) -> dict:
        """Every demo user, with their role: a press office's, or a portal-wide group."""
        if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() != len(ROLE_PERMISSIONS):
            sync_roles(django_apps)  # the data migration made them; a flushed database lacks them
        users = {}
        for username, _password, role, _superuser in DEMO_USERS:
            user = self.user(username)
            # Roles only for a user the demo made now: never change what someone edited since.
            if username in self.new_users:
                if isinstance(role, tuple):
                    office, office_role = role
                    OfficeMembership.objects.create(
                        user=user, organisation=self.offices[office], role=office_role
                    )
                elif role:
                    user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def print_users(self, users: dict):
        self.stdout.write("Demo accounts for /admin/:")
        for username, password, role, _superuser in DEMO_USERS:
            if isinstance(role, tuple):
                office, office_role = role
                label = OfficeMembership.Role(office_role).label
                role = f"{label}, {self.offices[office].display_short_name}"
            role = role or "superuser"
            if users[username].check_password(password):
                shown = password
            else:
                shown = "(changed since the demo set it)"
            self.stdout.write(f"  {username:<13} password: {shown:<24} role: {role}")
        # accounts/: a second factor is required in production; here it is off unless asked for.
        if settings.NEWSROOM_REQUIRE_2FA:
            self.stdout.write(
                "Second factor required (NEWSROOM_REQUIRE_2FA): the leads, portal and admin add "
                "one after the password, at http://localhost:8000/ for passkeys."
            )
        else:
            self.stdout.write(
                "Second factor: not required in development (NEWSROOM_REQUIRE_2FA=1 to try it)."
            )
