"""Signal handlers: sign-ins, failures and lockouts (django-axes), password and status changes."""

from contextvars import ContextVar
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import OfficeMembership

from . import emails, policy, sessions, tasks
from .audit import address, current_request, record, user_agent
from .middleware import HAS_DEVICE_SESSION_KEY
from .models import KnownDevice, SecurityEvent

Kind = SecurityEvent.Kind
User = get_user_model()
LOCKOUT_MAIL_GAP = timedelta(days=1)


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def signed_in(sender, request, user, **kwargs):
    record(Kind.SIGN_IN, user=user, request=request)
    if request is None or not hasattr(request, "session"):
        return
    sessions.track(request, user)
    # Remembered for the session, so that admin pages pay no query for it (middleware.py).
    request.session[HAS_DEVICE_SESSION_KEY] = policy.has_second_factor(user)
    had_devices = KnownDevice.objects.filter(user=user).exists()
    if not sessions.recognise_device(request, user) and had_devices:
        # The very first sign-in of an account is no news; every later new browser is.
        record(Kind.NEW_DEVICE, user=user, request=request)
        emails.new_device(user, request)


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    record(Kind.SIGN_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(Kind.SIGN_IN_FAILED, user=user, username=username, request=request)


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(Kind.LOCKED_OUT, user=user, username=username or "", request=request)
    if user is None or not user.is_active:
        return
    # One mail per cool-off period (a day at most), however many addresses guess and however
    # long they go on (axes reports every refused attempt and moves the cool-off on).
    cool_off = get_cool_off(request)  # None: until an administrator lifts it
    gap = LOCKOUT_MAIL_GAP if cool_off is None else min(cool_off, LOCKOUT_MAIL_GAP)
    now = timezone.now()
    if user.security_events.filter(kind=Kind.LOCKOUT_MAILED, at__gt=now - gap).exists():
        return
    record(Kind.LOCKOUT_MAILED, user=user, request=request)
    until = (now + cool_off).isoformat() if cool_off is not None else None
    seen = (address(request), user_agent(request))
    # Sent by the task queue: an answer slowed by SMTP would tell which names exist.
    transaction.on_commit(lambda: tasks.mail_lockout.enqueue(user.pk, until, *seen))


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_before_save")
def remember_old_state(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._accounts_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= {"password", "last_login"}:
        # Django re-hashing a password on sign-in (a stronger hasher), or the sign-in time:
        # every real change of a password or of the active flag saves the whole user.
        return
    instance._accounts_before = (
        User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts_user_saved")
def record_changes(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_accounts_before", None)
    if raw or created or before is None:
        return
    if before["password"] != instance.password:
        record(Kind.PASSWORD_CHANGED, user=instance)
        emails.security_change(instance, _("your password was changed"))
    if not before["is_active"] and instance.is_active:
        # Counts as activity, so the daily task does not deactivate the account again at once.
        record(Kind.REACTIVATED, user=instance)


# Roles in press offices: a lead approves and publishes in the office's name, and a portal
# administrator may give anyone (themselves included) that role. Every change is on the trail;
# a new lead made through the admin is mailed to the office's other leads.


@receiver(pre_save, sender=OfficeMembership, dispatch_uid="accounts_role_before_save")
def remember_old_role(sender, instance, raw=False, **kwargs):
    instance._accounts_old_role = None
    if not raw and instance.pk is not None:
        old = OfficeMembership.objects.filter(pk=instance.pk).values("role", "organisation")
        instance._accounts_old_role = old.first()


@receiver(post_save, sender=OfficeMembership, dispatch_uid="accounts_role_saved")
def record_role(sender, instance, created, raw=False, **kwargs):
    old = getattr(instance, "_accounts_old_role", None)
    if raw or (
        old and (old["role"], old["organisation"]) == (instance.role, instance.organisation_id)
    ):
        return
    actor = _actor()
    detail = _("%(role)s in %(office)s") % {
        "role": instance.get_role_display(),
        "office": instance.organisation.display_short_name,
    }
    record(Kind.OFFICE_ROLE, user=instance.user, actor=actor, detail=detail)
    if instance.role == OfficeMembership.Role.LEAD and actor is not None:
        leads = instance.organisation.memberships.filter(
            role=OfficeMembership.Role.LEAD, user__is_active=True
        ).exclude(user__in=[instance.user_id, actor.pk])
        others = [membership.user for membership in leads.select_related("user")]
        # Not for a save that is rolled back.
        transaction.on_commit(lambda: emails.new_lead(instance, actor, others))


# The users being deleted (the admin offers it): their memberships go first, and the trail names
# them without a link to a row about to go.
_deleting_users: ContextVar[frozenset] = ContextVar("accounts_deleting_users", default=frozenset())


@receiver(pre_delete, sender=User, dispatch_uid="accounts_user_before_delete")
def remember_deleting(sender, instance, **kwargs):
    _deleting_users.set(_deleting_users.get() | {instance.pk})


@receiver(post_delete, sender=User, dispatch_uid="accounts_user_deleted")
def forget_deleting(sender, instance, **kwargs):
    _deleting_users.set(_deleting_users.get() - {instance.pk})


@receiver(post_delete, sender=OfficeMembership, dispatch_uid="accounts_role_removed")
def record_role_removed(sender, instance, **kwargs):
    detail = _("no longer in %(office)s") % {"office": instance.organisation.display_short_name}
    member = instance.user
    if member.pk in _deleting_users.get():
        record(Kind.OFFICE_ROLE, username=member.get_username(), actor=_actor(), detail=detail)
    else:
        record(Kind.OFFICE_ROLE, user=member, actor=_actor(), detail=detail)


def _actor():
    """The signed-in user of the request being served: none in a shell, a migration, a test."""
    request = current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
