"""Restore an archive written by export_content into an empty, migrated database.

    manage.py migrate && manage.py import_content newsroom-2026-11-25.zip

The archive's signature (NEWSROOM_BACKUP_KEY), every checksum, every file name and every file's
content are checked before anything is written; the records go in one transaction and the files
are moved into place before it commits, so a refused or failed restore leaves database and
storages as they were, and can simply be run again.
"""

from django.core.management.base import BaseCommand, CommandError

from newsroom.archive import ArchiveError, backup_key_is_derived, import_archive

from .export_content import DERIVED_KEY_WARNING


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive (.zip) to restore.")

    def handle(self, *args, path, **options):
        if backup_key_is_derived():
            self.stderr.write(self.style.WARNING(DERIVED_KEY_WARNING))
        try:
            import_archive(path, log=self.stdout.write)
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}."))
