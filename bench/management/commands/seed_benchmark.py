"""Fill the database with a realistic archive for benchmarks: N live releases over 20 years.

    manage.py seed_benchmark --releases 100000
    manage.py seed_benchmark --reset

Everything it makes has a slug starting with "bench-". It is idempotent: a second run adds only
what is missing up to N. Rows are written with bulk operations; the text is German, about 3,000
characters per release, built from a fixed seed so that every run makes the same archive.
Besides, one release (`bench-galerie`) shows a gallery of twelve camera-sized photos with their
renditions (`--no-gallery` leaves it out).
"""

import io
import random
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from bench.words import CLAUSES, OBJECTS, SUBJECTS, VERBS
from contacts.models import Contact, Organisation
from newsroom.cache import content_changed
from photos import renditions
from photos.models import Photo
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases.models import Release, ReleaseContact, ReleaseImage, State, Topic
from releases.search import FTS_TABLE, index_many

PREFIX = "bench-"
BATCH = 2000
YEARS = 20
# One release with a gallery of camera-sized photos (issue 17's benchmark line).
GALLERY_SLUG = f"{PREFIX}galerie"
SHARED_CAPTION = "Symbolbild (Benchmark)"
GALLERY_PHOTOS = 12
GALLERY_PHOTO_SIZE = (3000, 2000)

TOPICS = [
    "Wirtschaft",
    "Arbeit",
    "Verkehr",
    "Digitales",
    "Kultur",
    "Bildung",
    "Umwelt",
    "Energie",
    "Gesundheit",
    "Wissenschaft",
    "Tourismus",
    "Landwirtschaft",
    "Finanzen",
    "Soziales",
    "Sicherheit",
]
ISSUERS = [
    ("Staatsministerium für Wirtschaft", "SMW"),
    ("Staatsministerium für Kultus", "SMK"),
    ("Staatsministerium der Finanzen", "SMF"),
    ("Staatsministerium für Umwelt", "SMU"),
    ("Staatsministerium für Soziales", "SMS"),
    ("Staatskanzlei", "SK"),
]


PLACES = [
    "Dresden",
    "Leipzig",
    "Chemnitz",
    "Zwickau",
    "Plauen",
    "Görlitz",
    "Freiberg",
    "Bautzen",
    "Pirna",
    "Meißen",
    "Riesa",
    "Radebeul",
    "Freital",
    "Döbeln",
    "Grimma",
    "Torgau",
    "Annaberg-Buchholz",
    "Aue",
    "Hoyerswerda",
    "Kamenz",
    "Zittau",
    "Delitzsch",
    "Borna",
    "Glauchau",
]
SYLLABLES = [
    "ber",
    "lin",
    "wa",
    "ken",
    "dor",
    "mu",
    "sel",
    "tra",
    "vo",
    "gin",
    "ha",
    "rel",
    "sto",
    "pin",
    "ul",
    "ma",
    "zer",
    "fo",
    "dri",
    "lan",
]


def project_names(rng: random.Random, count: int = 5000) -> list[str]:
    """Rare words, so that searches find a handful of releases as they do in real archives."""
    names = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize())
    return sorted(names)


def camera_jpeg(rng: random.Random, size: tuple[int, int] = GALLERY_PHOTO_SIZE) -> bytes:
    """A photo-like JPEG: soft shapes with grain, which compresses about as a real photo does
    (2.5 MB at 3000×2000; its 960 px WebP some 90 kB), where a flat image would make
    unrealistically small renditions."""
    small = Image.new("RGB", (96, 64))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(96 * 64)])
    image = small.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 50).convert("RGB")
    output = io.BytesIO()
    Image.blend(image, grain, 0.2).save(output, "JPEG", quality=90)
    return output.getvalue()


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(CLAUSES)}."
    )


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--releases", type=int, default=100_000, help="How many (100,000).")
        parser.add_argument("--reset", action="store_true", help="Remove all benchmark data.")
        parser.add_argument("--seed", type=int, default=2016, help="Random seed (2016).")
        parser.add_argument(
            "--no-gallery",
            dest="gallery",
            action="store_false",
            help="Without the release with twelve large photos (their renditions take a minute).",
        )

    def handle(self, *args, releases, reset, seed, gallery=True, **options):
        if reset:
            self.reset()
            return
        started = time.monotonic()
        rng = random.Random(seed)
        # Paragraphs are drawn from a fixed pool: realistic text at bulk speed.
        self.pool = [f"<p>{paragraph(rng)}</p>" for _ in range(400)]
        self.projects = project_names(rng)
        issuers, contacts, topics, publications = self.supporting_rows()
        have = Release.objects.filter(slug__startswith=PREFIX).count()
        self.index_missing()
        if gallery:
            self.gallery(issuers[0], contacts, topics)
        if have >= releases:
            self.stdout.write(f"{have} benchmark releases exist; nothing to do.")
            return
        shared = self.shared_photos(issuers)
        now = timezone.now()
        span = timedelta(days=365 * YEARS).total_seconds()
        for start in range(have, releases, BATCH):
            numbers = range(start, min(start + BATCH, releases))
            # Seeded per batch, so a resumed run writes exactly what a single run would.
            batch_rng = random.Random(seed * 1_000_003 + start)
            self.create_batch(
                numbers, batch_rng, now, span, issuers, contacts, topics, publications, shared
            )
            self.stdout.write(f"  {numbers[-1] + 1:>7} releases")
        self.analyse()
        content_changed()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"{releases - have} releases created in {elapsed:.0f} s.")
        )

    def supporting_rows(self):
        issuers = []
        for number, (name, short) in enumerate(ISSUERS):
            issuer, _ = Organisation.objects.get_or_create(
                slug=f"{PREFIX}{short.lower()}",
                defaults={
                    "name": f"Sächsisches {name}" if name != "Staatskanzlei" else name,
                    "short_name": short,
                    "street_address": f"Musterstraße {number + 1}",
                    "postcode": "01097",
                    "city": "Dresden",
                    "press_email": f"presse@{short.lower()}.example.org",
                },
            )
            issuers.append(issuer)
        contacts = {}
        for issuer in issuers:
            contacts[issuer.pk] = [
                Contact.objects.get_or_create(
                    slug=f"{issuer.slug}-presse-{number}",
                    defaults={
                        "organisation": issuer,
                        "name": f"Pressestelle {issuer.short_name} {number}",
                        "role": "Pressesprecherin" if number else "Pressesprecher",
                        "phone": f"+49 351 564 {10000 + number}",
                        "email": f"presse{number}@{issuer.short_name.lower()}.example.org",
                    },
                )[0]
                for number in range(2)
            ]
        topics = [
            Topic.objects.get_or_create(slug=f"{PREFIX}{name.lower()}", defaults={"name": name})[0]
            for name in TOPICS
        ]
        series, _ = Series.objects.get_or_create(
            slug=f"{PREFIX}schlaglicht", defaults={"title": "Schlaglicht (Benchmark)"}
        )
        publications = list(Publication.objects.filter(slug__startswith=PREFIX))
        if not publications:
            storage = storages["documents"]
            name = "publications/bench-benchmark.pdf"
            if not storage.exists(name):
                storage.save(name, ContentFile(build_pdf("Benchmark", ["Ein Dokument."])))
            size = storage.size(name)
            Publication.objects.bulk_create(
                Publication(
                    slug=f"{PREFIX}publikation-{number}",
                    title=f"Bericht {number} der Benchmark-Reihe",
                    series=series,
                    issuer=issuers[number % len(issuers)],
                    file=name,
                    file_size=size,
                    mime_type="application/pdf",
                    page_count=1,
                    published_at=timezone.now() - timedelta(days=number * 10),
                )
                for number in range(300)
            )
            publications = list(Publication.objects.filter(slug__startswith=PREFIX))
        return issuers, contacts, topics, publications

    def shared_photos(self, issuers) -> dict:
        """One photo per office, shown by one release in twenty of that office (with its
        renditions, made here: no task worker runs during a seed)."""
        from releases.demo_photos import PHOTOS, paint

        photos = {}
        for issuer in issuers:
            photo = Photo.objects.filter(office=issuer, caption=SHARED_CAPTION).first()
            if photo is None:
                photo = Photo.objects.create(
                    office=issuer,
                    file=ContentFile(paint(PHOTOS["werkstatt"].scene), "symbolbild.jpg"),
                    caption=SHARED_CAPTION,
                    credit="Pressestelle",
                    alt_text="Gemalte Stadtsilhouette vor blauem Himmel",
                )
            if not renditions.is_current(photo):
                renditions.generate(photo)
            photos[issuer.pk] = photo
        return photos

    def create_batch(
        self, numbers, rng, now, span, issuers, contacts, topics, publications, shared
    ):
        rows = []
        for number in numbers:
            published = now - timedelta(seconds=rng.uniform(3600, span))
            issuer = rng.choice(issuers)
            project, place = rng.choice(self.projects), rng.choice(PLACES)
            title = f"{sentence(rng)[:-1]} – Projekt {project} in {place}"
            rows.append(
                Release(
                    slug=f"{PREFIX}{number:06d}",
                    issuer=issuer,
                    title=title,
                    dateline="Dresden",
                    lead=f"Das Projekt {project} in {place} geht in die nächste Phase. "
                    + paragraph(rng, 2),
                    body="\n".join(rng.sample(self.pool, 6)),
                    background=rng.choice(self.pool) if rng.random() < 0.3 else "",
                    state=State.APPROVED,
                    go_live_at=published,
                    first_published_at=published,
                    go_live_handled_at=published,
                )
            )
        with transaction.atomic():
            created = Release.objects.bulk_create(rows)
            if not created or created[0].pk is None:
                # Backends that do not return keys (older SQLite): read them back by slug.
                by_slug = dict(
                    Release.objects.filter(slug__in=[r.slug for r in rows]).values_list(
                        "slug", "pk"
                    )
                )
                for row in rows:
                    row.pk = by_slug[row.slug]
                created = rows
            topic_links, contact_links, publication_links, images = [], [], [], []
            for release in created:
                for topic in rng.sample(topics, rng.randint(1, 3)):
                    topic_links.append(
                        Release.topics.through(release_id=release.pk, topic_id=topic.pk)
                    )
                contact_links.append(
                    ReleaseContact(
                        release_id=release.pk, contact=rng.choice(contacts[release.issuer_id])
                    )
                )
                if rng.random() < 0.1:
                    publication_links.append(
                        Release.publications.through(
                            release_id=release.pk, publication_id=rng.choice(publications).pk
                        )
                    )
                if rng.random() < 0.05:
                    images.append(
                        ReleaseImage(release_id=release.pk, photo=shared[release.issuer_id])
                    )
            Release.topics.through.objects.bulk_create(topic_links)
            ReleaseContact.objects.bulk_create(contact_links)
            Release.publications.through.objects.bulk_create(publication_links)
            ReleaseImage.objects.bulk_create(images)
            # Indexed with the batch: a resumed run never finds rows without their index.
            index_many(created, connection.alias)

    def gallery(self, issuer, contacts, topics):
        """The release with a gallery of twelve photos, each with its renditions (made here, not
        by a worker, so that the pages show them at once)."""
        if Release.objects.filter(slug=GALLERY_SLUG).exists():
            return
        rng = random.Random(17)
        photos = []
        for number in range(1, GALLERY_PHOTOS + 1):
            photo = Photo.objects.create(
                office=issuer,
                file=ContentFile(camera_jpeg(rng, GALLERY_PHOTO_SIZE), f"galerie-{number:02d}.jpg"),
                caption=f"Baustelle {number} des Projekts, Blick von Süden",
                alt_text=f"Bagger und Kräne auf der Baustelle {number}, dahinter Wohnhäuser",
                credit=f"{issuer.short_name}/Benchmark",
            )
            if not renditions.is_current(photo):  # no immediate task backend here
                renditions.generate(photo)
            photos.append(photo)
        published = timezone.now() - timedelta(days=400)
        release = Release.objects.create(
            slug=GALLERY_SLUG,
            issuer=issuer,
            title="Bilder von der Baustelle – Projekt Galerie in Dresden",
            dateline="Dresden",
            lead="Zwölf Fotos zeigen, wie weit der Bau gekommen ist. " + paragraph(rng, 2),
            body="\n".join(rng.sample(self.pool, 6)),
            state=State.APPROVED,
            go_live_at=published,
            first_published_at=published,
            go_live_handled_at=published,
        )
        release.topics.add(*topics[:2])
        ReleaseContact.objects.create(release=release, contact=contacts[issuer.pk][0])
        ReleaseImage.objects.bulk_create(
            ReleaseImage(release=release, photo=photo, order=order)
            for order, photo in enumerate(photos)
        )
        content_changed()
        self.stdout.write(f"  gallery release {GALLERY_SLUG} with {len(photos)} photos")

    def index_missing(self):
        """Index benchmark rows that an older seed left without a search index."""
        releases = Release.objects.filter(slug__startswith=PREFIX)
        if connection.vendor == "postgresql":
            pks = list(releases.filter(search_vector__isnull=True).values_list("pk", flat=True))
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")  # noqa: S608
                indexed = {row[0] for row in cursor.fetchall()}
            pks = [pk for pk in releases.values_list("pk", flat=True) if pk not in indexed]
        else:
            return
        if pks:
            self.stdout.write(f"  search index for {len(pks)} releases ...")
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                index_many(Release.objects.filter(pk__in=pks[start : start + BATCH]))

    def analyse(self):
        """Fresh planner statistics and visibility map, as autovacuum would leave them."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run in a transaction (a test's); ANALYZE alone can.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def reset(self):
        """Remove benchmark rows with plain SQL deletes (the archive guard is for real records)."""
        releases = Release.objects.filter(slug__startswith=PREFIX)
        ids = releases.values("pk")
        with transaction.atomic():
            for model in [
                Release.topics.through,
                Release.publications.through,
                ReleaseContact,
                ReleaseImage,
            ]:
                model.objects.filter(release_id__in=ids)._raw_delete(model.objects.db)
            count = releases._raw_delete(releases.db)
            for photo in Photo.objects.filter(office__slug__startswith=PREFIX):
                photo.file.delete(save=False)
                photo.delete()  # its renditions go after the commit
            bench_publications = Publication.objects.filter(slug__startswith=PREFIX)
            bench_publications._raw_delete(bench_publications.db)
            Series.objects.filter(slug__startswith=PREFIX).delete()
            Topic.objects.filter(slug__startswith=PREFIX).delete()
            Contact.objects.filter(slug__startswith=PREFIX).delete()
            Organisation.objects.filter(slug__startswith=PREFIX).delete()
        content_changed()
        self.stdout.write(self.style.SUCCESS(f"Removed {count} benchmark releases."))
