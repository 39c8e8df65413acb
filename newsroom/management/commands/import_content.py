"""Restore an archive written by export_content into an empty, migrated database.

    manage.py migrate && manage.py import_content newsroom-2026-11-25.zip

Every file's checksum is verified before anything is written; the import runs in one
transaction, so a damaged archive leaves the database as it was.
"""

from django.core.management.base import BaseCommand, CommandError

from newsroom.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive (.zip) to restore.")

    def handle(self, *args, path, **options):
        try:
            import_archive(path, log=self.stdout.write)
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}."))
