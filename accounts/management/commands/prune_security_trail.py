"""Delete the security events and sign-in logs older than NEWSROOM_SECURITY_TRAIL_DAYS (365):
addresses and browsers are personal data, kept no longer than needed. Run it daily."""

from django.core.management.base import BaseCommand

from accounts.lifecycle import prune_security_trail


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would go.")

    def handle(self, *args, dry_run=False, **options):
        counts = prune_security_trail(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(", ".join(f"{verb} {count} {name}" for name, count in counts.items()))
