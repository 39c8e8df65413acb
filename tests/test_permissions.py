"""The permission matrix: every admin URL and every transition, for every role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contacts.models import Contact, Organisation
from publications.models import Publication, Series
from releases import workflow
from releases.models import Release, ReleaseEvent, State, Topic

ROLES = ["anonymous", "officer", "lead", "superuser"]
# model, object key -> expected status per (changelist, add, change, delete, history), per role
# except anonymous, who is always sent to the login page.
OK, NO = 200, 403
MATRIX = {
    (Organisation, "issuer"): {
        "officer": (OK, NO, OK, NO, OK),
        # Their office's address and notices; offices are made by portal administrators.
        "lead": (OK, NO, OK, NO, OK),
        "superuser": (OK, OK, OK, OK, OK),
    },
    (Contact, "contact"): {
        "officer": (OK, OK, OK, NO, OK),
        "lead": (OK, OK, OK, OK, OK),
    },
    (Series, "series"): {
        "officer": (OK, NO, OK, NO, OK),
        "lead": (OK, OK, OK, OK, OK),
    },
    (Publication, "publication"): {
        # A publication that was public is never deleted, not even by a lead.
        "officer": (OK, OK, OK, NO, OK),
        "lead": (OK, OK, OK, NO, OK),
    },
    (Topic, "topic"): {
        # Portal-wide, curated by portal administrators (tests/test_offices.py).
        "officer": (OK, NO, OK, NO, OK),
        "lead": (OK, NO, OK, NO, OK),
        "superuser": (OK, OK, OK, OK, OK),
    },
    (Release, "draft"): {
        "officer": (OK, OK, OK, NO, OK),
        "lead": (OK, OK, OK, OK, OK),
    },
    (Release, "live"): {
        # Was public: only withdrawn, never deleted.
        "officer": (OK, OK, OK, NO, OK),
        "lead": (OK, OK, OK, NO, OK),
    },
    (ReleaseEvent, "event"): {
        # The audit log is read-only for everyone.
        "officer": (OK, NO, OK, NO, OK),
        "lead": (OK, NO, OK, NO, OK),
    },
}
ACTIONS = ["changelist", "add", "change", "delete", "history"]


def log_in(client, request, role):
    """The demo's own accounts for officer and lead; a separate superuser."""
    if role == "superuser":
        client.force_login(request.getfixturevalue("superuser"))
    elif role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))


def url(model, action, obj):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
    return reverse(name) if action in {"changelist", "add"} else reverse(name, args=[obj.pk])


@pytest.fixture(scope="class")
def objects(demo_site, django_db_blocker):
    """One object of each kind from the demo, which every test of the matrix reads."""
    with django_db_blocker.unblock():
        draft = Release.objects.get(slug="entwurf-demo-messe")  # the SMWA office's draft
        return {
            "issuer": Organisation.objects.get(slug="smwa"),
            # The demo's officer and lead work in the SMWA's press office (tests/test_offices.py
            # has the other offices).
            "contact": Contact.objects.filter(organisation__slug="smwa").first(),
            "series": Series.objects.first(),
            "publication": Publication.objects.has_been_public()
            .filter(issuer__slug="smwa")
            .first(),
            "topic": Topic.objects.first(),
            "draft": draft,
            "live": Release.objects.live().filter(issuer__slug="smwa").first(),
            "event": ReleaseEvent.objects.create(
                release=draft, action="save", from_state="draft", to_state="draft"
            ),
        }


@pytest.mark.django_db
class TestOnTheDemo:
    """The demo content is loaded once for these tests (tests/conftest.py, `demo_site`)."""

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize(
        ("model", "key"), list(MATRIX), ids=lambda v: getattr(v, "__name__", v)
    )
    def test_admin_url_matrix(self, client, request, objects, role, model, key):
        log_in(client, request, role)
        obj = objects[key]
        rows = MATRIX[(model, key)]
        expected = rows.get(role) or (rows["lead"] if role == "superuser" else None)
        for action, status in zip(ACTIONS, expected or [None] * 5, strict=True):
            if role == "superuser" and (model, key) == (ReleaseEvent, "event"):
                status = {"add": NO, "delete": NO}.get(action, OK)
            response = client.get(url(model, action, obj))
            if role == "anonymous":
                assert response.status_code == 302, action
                assert "/admin/login/" in response["Location"]
            else:
                assert response.status_code == status, (role, model.__name__, key, action)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", ["preview", "revisions"])
    def test_release_tool_pages(self, client, request, objects, role, view):
        log_in(client, request, role)
        response = client.get(reverse(f"admin:releases_release_{view}", args=[objects["draft"].pk]))
        assert response.status_code == (302 if role == "anonymous" else 200)

    @pytest.mark.parametrize("role", ["officer", "lead"])
    def test_a_forged_change_of_a_read_only_object_changes_nothing(
        self, client, request, objects, role
    ):
        log_in(client, request, role)
        event = objects["event"]
        response = client.post(url(ReleaseEvent, "change", event), {"comment": "gefälscht"})
        assert response.status_code == 403
        event.refresh_from_db()
        assert event.comment == ""

    @pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
    @pytest.mark.parametrize("role", ["anonymous", "superuser"])
    def test_transitions_for_anonymous_and_superuser(self, client, request, objects, role, name):
        """Officers and leads are covered, transition by transition, in test_workflow."""
        log_in(client, request, role)
        release = objects["draft"]
        response = client.post(
            reverse("admin:releases_release_transition", args=[release.pk, name]), {"comment": "x"}
        )
        if role == "anonymous":
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
            assert ReleaseEvent.objects.filter(release=release).exclude(action="save").count() == 0
        elif not workflow.TRANSITIONS[name].offered:
            # Taken by the system after an edit, never through the button URL.
            assert response.status_code == 404
        else:
            # Allowed, though the draft's state may not offer it: then a message, not a change.
            assert response.status_code == 302
            possible = workflow.is_possible(workflow.TRANSITIONS[name], release)
            taken = ReleaseEvent.objects.filter(release=release, action=name).exists()
            assert taken == possible


# What may not be changed looks so: text instead of inputs, and no save button ---------------

EDITABLE = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')
MANAGEMENT = re.compile(
    r"(?:csrfmiddlewaretoken|-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS|-id|-release)$"
)


def content_inputs(html: str) -> list[str]:
    """Names of the change form's editable controls (workflow forms and bookkeeping aside)."""
    form = html[html.index('id="release_form"') :]
    return [name for name in EDITABLE.findall(form) if not MANAGEMENT.search(name)]


@pytest.mark.parametrize(
    ("role", "state"), [("officer", "live"), ("officer", "withdrawn"), ("lead", "withdrawn")]
)
def test_a_release_the_user_may_not_change_shows_text_not_inputs(
    client, request, make_release, contact, role, state
):
    release = make_release("nur-lesen", title="Nur zum Lesen", contacts=[contact])
    if state == "withdrawn":
        Release.objects.filter(pk=release.pk).update(state=State.WITHDRAWN)
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("admin:releases_release_change", args=[release.pk])).content
    html = html.decode()
    assert content_inputs(html) == []
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert '<div class="readonly">Nur zum Lesen</div>' in html


def test_a_release_the_user_may_change_has_inputs(client, lead, make_release, contact):
    release = make_release("zum-schreiben", contacts=[contact])
    client.force_login(lead)
    html = client.get(reverse("admin:releases_release_change", args=[release.pk])).content
    inputs = content_inputs(html.decode())
    assert "title" in inputs
    assert "release_contacts-0-order" in inputs and "_save" in inputs
