"""Warn users a week before their unused account is deactivated, and deactivate those past
NEWSROOM_ACCOUNT_MAX_IDLE_DAYS (90). Safe to run any number of times a day; run it daily."""

from django.core.management.base import BaseCommand

from accounts.lifecycle import retire_unused_accounts


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list whom it would warn or deactivate."
        )

    def handle(self, *args, dry_run=False, **options):
        result = retire_unused_accounts(dry_run=dry_run)
        prefix = "would " if dry_run else ""
        for username in result["warned"]:
            self.stdout.write(f"{prefix}warn {username}")
        for username in result["deactivated"]:
            self.stdout.write(f"{prefix}deactivate {username}")
        self.stdout.write(
            f"{len(result['warned'])} warned, {len(result['deactivated'])} deactivated"
            + (" (dry run)" if dry_run else "")
        )
