"""Delete the alert requests never confirmed within ALERTS_CONFIRMATION_HOURS (48 by default):
their address, choices and consent text. Idempotent; run it daily (or hourly).
"""

from django.core.management.base import BaseCommand

from alerts.models import Subscriber


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        expired = Subscriber.objects.expired()
        if dry_run:
            self.stdout.write(f"{expired.count()} expired unconfirmed request(s) would be deleted.")
            return
        _total, per_model = expired.delete()
        count = per_model.get(Subscriber._meta.label, 0)
        self.stdout.write(self.style.SUCCESS(f"{count} expired unconfirmed request(s) deleted."))
