"""Run the go-live side effects (e-mail alerts) of every live appointment that has not had them.

The catch-up beside `manage.py publish_due`, safe to run every minute: visibility never waits for
it, and each appointment is claimed once, whoever gets there first.
"""

from django.core.management.base import BaseCommand

from appointments.models import Appointment
from appointments.tasks import run_go_live


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without doing anything."
        )

    def handle(self, *args, dry_run=False, **options):
        due = list(
            Appointment.objects.live()
            .filter(go_live_handled_at__isnull=True)
            .order_by("go_live_at")
            .values_list("pk", "title")
        )
        for pk, title in due:
            if not dry_run:
                run_go_live.enqueue(pk)
            self.stdout.write(f"{'due' if dry_run else 'queued'}: {pk} {title}")
        verb = "due" if dry_run else "queued"
        self.stdout.write(f"{len(due)} appointment(s) {verb}.")
