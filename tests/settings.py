"""Settings for the test suite: the project's settings with throwaway file storage."""

import atexit
import shutil
import tempfile
from pathlib import Path

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

_FILES = Path(tempfile.mkdtemp(prefix="newsroom-tests-"))
atexit.register(shutil.rmtree, _FILES, ignore_errors=True)

MEDIA_ROOT = _FILES / "media"
STATIC_ROOT = _FILES / "static"
STATIC_ROOT.mkdir()
STORAGES = {
    **STORAGES,
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _FILES / "documents", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Query budgets measure the views themselves; tests/test_caching.py switches the cache on.
NEWSROOM_CACHE_PAGES = False
