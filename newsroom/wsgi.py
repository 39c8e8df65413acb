"""WSGI entry point (gunicorn newsroom.wsgi)."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# What every request uses lives as long as the process: the apps, models and URLconf (with the
# views it imports). Frozen, the garbage collector no longer walks them on each full collection,
# which costs a page a millisecond or two on a busy worker.
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
