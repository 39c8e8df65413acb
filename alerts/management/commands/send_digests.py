"""Send the daily digest: the releases first published on one day (Berlin time) to each daily
subscriber whose choices cover any of them.

By default the day is yesterday; run it every morning, e.g. at 06:00. It is idempotent: a day's
digest is one mailing, each subscriber gets it once, and running it again only resumes what is
unsent. Only a day that is over can be sent, so nothing published later that day is left out.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alerts import sending
from alerts.models import DeliveryStatus, Mailing
from alerts.recipients import releases_of_day, subscribers_for
from alerts.tasks import start_mailing


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The day to send, YYYY-MM-DD (Berlin time); default: yesterday."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent, send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        day = self.parse_day(options["date"]) if options["date"] else sending.yesterday()
        if day >= timezone.localdate():
            raise CommandError(f"{day} is not over yet (Berlin time); send it tomorrow.")
        releases = releases_of_day(day)
        self.stdout.write(f"Digest of {day:%Y-%m-%d}: {len(releases)} release(s).")
        if dry_run:
            recipients = subscribers_for(Mailing(kind="digest", digest_date=day))
            self.stdout.write(f"Would go to {len(recipients)} subscriber(s).")
            return
        mailing = sending.digest_mailing(day)
        start_mailing.enqueue(mailing.pk)
        counts = {
            status: mailing.deliveries.filter(status=status).count()
            for status in DeliveryStatus.values
        }
        summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
        self.stdout.write(
            self.style.SUCCESS(f"Digest of {day:%Y-%m-%d}: {summary or 'no recipients'}.")
        )

    @staticmethod
    def parse_day(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error
