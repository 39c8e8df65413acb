"""The migrations match the models, and every one of ours can be reversed."""

import io

import pytest
from django.core.management import call_command
from django.db import connection


# Every database: makemigrations checks the history of each one it may migrate (tests/settings.py
# adds a "lagging" one that plays a read replica).
@pytest.mark.django_db(databases="__all__")
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_migration_runs_backwards_to_zero_and_forwards_again():
    def tables():
        return set(connection.introspection.table_names())

    assert "releases_release" in tables()
    # releases depends on the other two, so it goes first.
    for app in ["releases", "publications", "contacts"]:
        call_command("migrate", app, "zero", verbosity=0)
    assert not {t for t in tables() if t.startswith(("releases_", "publications_", "contacts_"))}
    call_command("migrate", verbosity=0)
    assert {"releases_release", "publications_publication", "contacts_contact"} <= tables()
