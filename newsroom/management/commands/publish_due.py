"""Run the go-live side effects of everything live that has not had them yet: releases,
appointments, whatever registers in `newsroom.go_live`.

Run it every minute (cron, systemd timer or the task worker's scheduler; the task form is
`newsroom.go_live.publish_due`). Visibility never waits for it: content is public at its second
through its `live()`. The command is idempotent: each item is claimed once by its `run_go_live`
task, whoever gets there first.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from newsroom.go_live import catch_up


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without doing anything."
        )

    def handle(self, *args, dry_run=False, **options):
        verb = "due" if dry_run else "queued"
        found = catch_up(dry_run=dry_run)
        if not found:
            self.stdout.write("Nothing is due.")
            return
        for kind, pk, title in found:
            self.stdout.write(f"{verb}: {pk} {title} ({kind})")
        counts = Counter(kind for kind, _pk, _title in found)
        summary = ", ".join(f"{count} {kind}(s)" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{summary} {verb}."))
