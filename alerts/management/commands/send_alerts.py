"""Resume every mailing that has not finished: list its recipients if that was interrupted, and
send what is not marked sent (after a crash, a lost task or a mail server outage).

Idempotent and safe beside running tasks: each delivery is claimed before it is sent. Run it
every few minutes, like publish_due.
"""

from django.core.management.base import BaseCommand, CommandError

from alerts import sending
from alerts.models import Mailing


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the unfinished mailings, send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        unfinished = list(Mailing.objects.filter(finished_at__isnull=True).order_by("pk"))
        if not unfinished:
            self.stdout.write("Nothing to send.")
            return
        failures = 0
        for mailing in unfinished:
            if dry_run:
                waiting = mailing.deliveries.filter(sending.claimable()).count()
                listed = "listed" if mailing.listed_at else "recipients not listed yet"
                self.stdout.write(f"unfinished: {mailing} ({listed}, {waiting} waiting)")
                continue
            try:
                result = sending.send_all(mailing)
            except Exception as error:  # noqa: BLE001 - report and go on with the next mailing
                failures += 1
                self.stderr.write(f"{mailing}: stopped by {sending.describe(error)}; run again.")
                continue
            self.stdout.write(
                f"{mailing}: {result.sent} sent, {result.failed} failed, {result.skipped} skipped."
            )
        if failures:
            raise CommandError(f"{failures} mailing(s) stopped by an error; run again later.")
        self.stdout.write(self.style.SUCCESS(f"{len(unfinished)} mailing(s) handled."))
