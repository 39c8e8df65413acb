"""Delete accreditation applications whose appointment ended `retention_days` ago (default 30),
and unconfirmed ones past the confirmation window. Safe to run daily."""

from django.core.management.base import BaseCommand

from appointments.tasks import purge_personal_data


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count.")

    def handle(self, *args, dry_run=False, **options):
        count = purge_personal_data(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} accreditation application(s).")
