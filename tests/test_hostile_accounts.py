"""Hostile tests: a portal administrator manages users, but never takes a superuser's account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from releases.roles import PORTAL_ADMINISTRATORS
from tests.conftest import role

NEW_PASSWORD = "Übernommen-2026!x"


def portal_administrator(django_user_model):
    role("Press leads")  # the role groups (a flushed database lacks them)
    user = django_user_model.objects.create_user("portal", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=PORTAL_ADMINISTRATORS))
    return user


def test_a_portal_administrator_cannot_set_a_superusers_password(client, django_user_model):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1234")
    client.force_login(portal_administrator(django_user_model))
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    root.refresh_from_db()
    assert not root.check_password(NEW_PASSWORD)


def test_a_portal_administrator_cannot_change_a_superusers_address(client, django_user_model):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1234")
    client.force_login(portal_administrator(django_user_model))
    response = client.get(reverse("admin:auth_user_change", args=[root.pk]))
    # Read-only at most: no form to change the address a password reset goes to.
    assert 'name="email"' not in response.content.decode()


def test_a_portal_administrator_still_sets_an_officers_password(client, django_user_model):
    officer = django_user_model.objects.create_user("officer", password="pw", is_staff=True)
    client.force_login(portal_administrator(django_user_model))
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
