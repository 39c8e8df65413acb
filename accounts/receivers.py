"""Signal handlers: sign-ins, failures and lockouts (django-axes), password and status changes."""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import OfficeMembership

from . import emails, policy, sessions
from .audit import current_request, record
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
    if user is None:
        record(Kind.LOCKED_OUT, username=username or "", request=request)
        return
    now = timezone.now()
    cool_off = get_cool_off(request)  # None: until an administrator lifts it
    # One mail per cool-off period (a day at most): guesses from many addresses lock out each.
    since = now - min(cool_off or LOCKOUT_MAIL_GAP, LOCKOUT_MAIL_GAP)
    told = user.security_events.filter(kind=Kind.LOCKED_OUT, at__gt=since).exists()
    record(Kind.LOCKED_OUT, user=user, request=request)
    if not told:
        emails.locked_out(user, request, now + cool_off if cool_off else None)


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
        leads = instance.organisation.memberships.filter(role=OfficeMembership.Role.LEAD)
        others = [m.user for m in leads.exclude(user=instance.user).select_related("user")]
        emails.new_lead(instance, actor, others)


@receiver(post_delete, sender=OfficeMembership, dispatch_uid="accounts_role_removed")
def record_role_removed(sender, instance, **kwargs):
    detail = _("no longer in %(office)s") % {"office": instance.organisation.display_short_name}
    record(Kind.OFFICE_ROLE, user=instance.user, actor=_actor(), detail=detail)


def _actor():
    """The signed-in user of the request being served: none in a shell, a migration, a test."""
    request = current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
