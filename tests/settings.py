"""Settings for the test suite: the project's settings with throwaway file storage."""

import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path

# pytest-xdist's workers (`make test`) empty the cache before every test: each has a Redis
# database of its own, counted down from REDIS_URL's (their SQL databases get a suffix from
# pytest-django), and so do the processes its tests start
# (they inherit the environment, the worker's name and the address it started from included).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ.get("REDIS_URL"):
    _redis = os.environ.setdefault("NEWSROOM_TESTS_REDIS_URL", os.environ["REDIS_URL"])
    _base, _, _number = _redis.rstrip("/").rpartition("/")
    if _number.isdigit():
        os.environ["REDIS_URL"] = f"{_base}/{int(_number) - int(_WORKER[2:])}"

from newsroom.settings import *  # noqa: E402, F403
from newsroom.settings import CACHES, DATABASES, STORAGES  # noqa: E402

# In memory where the machine offers it: every public change writes the file caches, and on a
# busy disk those writes took half of a test's time.
_MEMORY = "/dev/shm"  # noqa: S108 - mkdtemp makes a private, randomly named directory in it
_FILES = Path(
    tempfile.mkdtemp(prefix="newsroom-tests-", dir=_MEMORY if os.access(_MEMORY, os.W_OK) else None)
)
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
    "protected": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _FILES / "protected", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Query budgets measure the views themselves; tests/test_caching.py switches the cache on.
NEWSROOM_CACHE_PAGES = False

# The file caches live with the throwaway files; a second process a test starts is given the same
# directory (NEWSROOM_TEST_CACHE_DIR), as gunicorn workers share var/cache/.
_CACHE_DIR = Path(os.environ.get("NEWSROOM_TEST_CACHE_DIR") or _FILES / "cache")
CACHES = {
    alias: {**config, "LOCATION": _CACHE_DIR / alias}
    if config["BACKEND"].endswith("FileBasedCache")
    else config
    for alias, config in CACHES.items()
}
# A second database that tests fill with older rows to play a lagging read replica
# (tests/test_cache_truth.py); created only for tests that ask for it.
if "replica" not in DATABASES:
    DATABASES["lagging"] = copy.deepcopy(DATABASES["default"])
    DATABASES["lagging"]["NAME"] = f"{DATABASES['default']['NAME']}_lagging"
