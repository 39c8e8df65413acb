"""Who must use a second factor, and which second factors a user has.

Required (with NEWSROOM_REQUIRE_2FA, on by default in production) for superusers and for every
account that can approve, correct or withdraw a release; with NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF
for every staff account. A user who has a second factor always has to use it, required or not.
"""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

# Whoever holds one of these can put a statement out in the ministry's name, or (a portal
# administrator giving out roles in press offices) make themselves one who can.
PUBLISHING_PERMISSIONS = (
    "releases.approve_release",
    "releases.correct_release",
    "releases.withdraw_release",
    "contacts.add_officemembership",
    "contacts.change_officemembership",
)
RECOVERY_DEVICE_NAME = "recovery"


def second_factor_required(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not settings.NEWSROOM_REQUIRE_2FA:
        return False
    if user.is_superuser:
        return True
    if user.is_staff and settings.NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF:
        return True
    return any(user.has_perm(permission) for permission in PUBLISHING_PERMISSIONS)


def totp_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def passkeys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()


def has_second_factor(user) -> bool:
    """Recovery codes alone do not count: they are the way back, not a factor of their own."""
    return totp_devices(user).exists() or passkeys(user).exists()
