from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (`manage.py seed_benchmark`), installed only for `make bench`."""

    name = "bench"
