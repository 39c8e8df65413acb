"""The security trail, the sessions each user can see and end, and the devices they signed in from.

Users are never deleted by this app: a retired account is deactivated, so its name stays on
revisions, workflow events and this trail.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One row per sign-in, failed attempt, second-factor use, enrolment, reset or lockout."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in with password")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
        LOCKOUT_MAILED = "lockout_mailed", _("Lockout mailed to the user")
        SIGN_OUT = "sign_out", _("Signed out")
        SECOND_FACTOR_USED = "second_factor_used", _("Second factor used")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second factor")
        ENROLLED = "enrolled", _("Second factor added")
        DEVICE_REMOVED = "device_removed", _("Second factor removed")
        RECOVERY_CODES = "recovery_codes", _("New recovery codes")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset by an administrator")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
        PASSWORD_RESET_REFUSED = "password_reset_refused", _("Password reset refused (rate limit)")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        SESSION_ENDED = "session_ended", _("Session ended")
        NEW_DEVICE = "new_device", _("Sign-in from a new device")
        INACTIVITY_WARNING = "inactivity_warning", _("Warned of deactivation")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        OFFICE_ROLE = "office_role", _("Role in a press office changed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    # The name as entered or as it was then: failed attempts may name no existing user.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Who did it, when it is not the user (an administrator resetting a second factor).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [models.Index(fields=["user", "kind", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username}"


class UserSession(models.Model):
    """A signed-in session as its user sees it: which browser, from where, last used when."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last used"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.user} ({self.ip_address})"


class KnownDevice(models.Model):
    """A browser a user signed in from before, known by a long-lived cookie (stored hashed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    token_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token_hash"], name="known_device_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.user_agent[:40]}"
