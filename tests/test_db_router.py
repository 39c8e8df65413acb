"""Public reads go to the read replica when there is one; staff reads and all writes never do."""

import pytest
from django.test import RequestFactory

from newsroom.db_router import PublicReadsMiddleware, PublicReadsToReplica
from releases.models import Release

router = PublicReadsToReplica()


def route_during(request):
    """The database the router picks for a read made while `request` is being handled."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Release)
        seen["write"] = router.db_for_write(Release)
        return None

    PublicReadsMiddleware(view)(request)
    return seen


@pytest.fixture
def with_replica(settings):
    settings.NEWSROOM_READ_REPLICA = "replica"


def test_anonymous_page_reads_use_the_replica(with_replica):
    assert route_during(RequestFactory().get("/")) == {"read": "replica", "write": "default"}


def test_staff_reads_use_the_primary(with_replica, settings):
    request = RequestFactory().get("/admin/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert route_during(request)["read"] is None


def test_form_posts_use_the_primary(with_replica):
    assert route_during(RequestFactory().post("/benachrichtigungen/"))["read"] is None


def test_without_a_replica_everything_uses_the_primary():
    assert route_during(RequestFactory().get("/"))["read"] is None


def test_outside_a_request_the_primary_is_used(with_replica):
    assert router.db_for_read(Release) is None
    assert router.allow_migrate("replica", "releases") is False
