"""What must always hold is enforced by the database itself, whatever code writes the row."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from releases.models import Release, State


def refused(**changes):
    release = Release.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(**changes)


def test_an_approved_release_needs_a_go_live_time(make_release):
    make_release(live=False)
    refused(state=State.APPROVED, go_live_at=None, first_published_at=timezone.now())


def test_a_public_release_needs_its_first_publication_date(make_release):
    make_release(live=False)
    refused(state=State.APPROVED, go_live_at=timezone.now(), first_published_at=None)
    refused(state=State.WITHDRAWN, first_published_at=None)


def test_the_state_is_one_of_the_workflow_states(make_release):
    make_release(live=False)
    refused(state="published")


def test_release_slugs_are_unique(make_release):
    make_release("gleich")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_release("gleich")
