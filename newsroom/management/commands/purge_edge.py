"""Empty the edge cache (`make serve` runs it at start): pages there were built by the code
that ran before, and nothing else tells the edge that templates or code changed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.cache import EVERYTHING
from newsroom.edge import purge_edge


class Command(BaseCommand):
    help = "Purge every page from the edge caches in NEWSROOM_EDGE_PURGE_URLS."

    def handle(self, *args, **options):
        urls = settings.NEWSROOM_EDGE_PURGE_URLS
        if not urls:
            self.stdout.write("No edge cache configured (NEWSROOM_EDGE_PURGE_URLS).")
            return
        # At once, not as a task: the server starts next. A failure is logged, never fatal: an
        # edge not up yet holds no pages.
        answered = purge_edge.call([EVERYTHING])
        self.stdout.write(f"Edge purged: {answered} of {len(urls)} answered.")
