"""Write every release, revision, contact, publication and their files to a ZIP archive.

    manage.py export_content newsroom-2026-11-25.zip

The archive holds password hashes and personal data: keep it as safe as the database.
"""

from django.core.management.base import BaseCommand

from newsroom.archive import export_archive


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive (.zip).")

    def handle(self, *args, path, **options):
        export_archive(path, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}."))
