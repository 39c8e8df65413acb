"""One-time recovery codes (django-otp's static tokens): each works once, then it is gone."""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from . import policy

COUNT = 10
# Shown once, right after they were made (the session holds them until that page is seen).
NEW_CODES_SESSION_KEY = "accounts_new_recovery_codes"


def generate(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=policy.RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining(user) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=policy.RECOVERY_DEVICE_NAME
    ).count()


def ensure_codes(request, user) -> None:
    """After a first second factor: make recovery codes if the user has none left."""
    if not remaining(user):
        request.session[NEW_CODES_SESSION_KEY] = generate(user)


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()
