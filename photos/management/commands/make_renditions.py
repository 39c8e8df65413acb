"""Make the renditions of photos here and now (not as tasks): all of them, those missing, out of
date or with a file gone (`--missing`, idempotent: run it after a restore or when the task worker
was down), or the photos named (`--photo ID`).
"""

from django.core.management.base import BaseCommand, CommandError

from newsroom.protected_files import protected_storage
from photos import renditions
from photos.models import Photo


def _files_exist(photo: Photo) -> bool:
    """Rendered, and every file still there (a restore may bring the rows without the files)."""
    names = renditions.rendition_names(photo.renditions)
    return bool(names) and all(map(protected_storage().exists, names))


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only photos without current renditions (new, changed, or failed before).",
        )
        parser.add_argument(
            "--photo", type=int, action="append", default=[], metavar="ID", help="This photo."
        )

    def handle(self, *args, missing=False, photo=(), verbosity=1, **options):
        photos = Photo.objects.exclude(file="").prefetch_related("translations").order_by("pk")
        if photo:
            photos = photos.filter(pk__in=photo)
            if unknown := set(photo) - set(photos.values_list("pk", flat=True)):
                raise CommandError(f"No photo with ID {', '.join(map(str, sorted(unknown)))}.")
        made = failed = 0
        for item in photos.iterator(chunk_size=100):
            if missing and renditions.is_current(item) and _files_exist(item):
                continue
            result = renditions.generate(item)
            if result.get("widths"):
                made += 1
                if verbosity >= 2:
                    self.stdout.write(f"photo {item.pk}: {len(result['widths'])} sizes")
            else:
                failed += 1
                self.stderr.write(f"photo {item.pk}: {result.get('error', 'changed meanwhile')}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Renditions made for {made} photo(s)."))
        if failed:
            self.stderr.write(self.style.WARNING(f"{failed} photo(s) could not be rendered."))
