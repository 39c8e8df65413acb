"""Write everything the site holds to one signed ZIP archive.

    manage.py export_content newsroom-2026-11-25.zip

The archive holds every record (users with password hashes, alert subscribers with their
consent records included) and every file; it is authenticated with NEWSROOM_BACKUP_KEY. Keep it
as safe as the database.
"""

from django.core.management.base import BaseCommand, CommandError

from newsroom.archive import ArchiveError, backup_key_is_derived, export_archive

DERIVED_KEY_WARNING = (
    "NEWSROOM_BACKUP_KEY is not set: the archive is signed with a key derived from "
    "DJANGO_SECRET_KEY and restores only where that secret key is the same."
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive (.zip).")

    def handle(self, *args, path, **options):
        if backup_key_is_derived():
            self.stderr.write(self.style.WARNING(DERIVED_KEY_WARNING))
        try:
            export_archive(path, log=self.stdout.write)
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}."))
