"""Run the go-live side effects of every live release that has not had them yet.

Run it every minute (cron, systemd timer or the task worker's scheduler). Visibility never waits
for it: a release is public at its second through `Release.objects.live()`. The command is
idempotent: each release is claimed once, whoever gets there first.
"""

from django.core.management.base import BaseCommand

from releases.models import Release
from releases.tasks import run_go_live


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without doing anything."
        )

    def handle(self, *args, dry_run=False, **options):
        due = list(
            Release.objects.live()
            .filter(go_live_handled_at__isnull=True)
            .order_by("go_live_at")
            .values_list("pk", "title")
        )
        if not due:
            self.stdout.write("Nothing is due.")
            return
        for pk, title in due:
            if dry_run:
                self.stdout.write(f"due: {pk} {title}")
            else:
                run_go_live.enqueue(pk)
                self.stdout.write(f"queued: {pk} {title}")
        verb = "due" if dry_run else "queued"
        self.stdout.write(self.style.SUCCESS(f"{len(due)} release(s) {verb}."))
