"""English pages speak British English (og:locale en_GB): 26/11/2026, not 11/26/2026."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
