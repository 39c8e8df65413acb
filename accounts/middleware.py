"""Second factor before anything else, and the bookkeeping of signed-in sessions.

After the password, a user who has a second factor must use it, and a user who must have one
(policy.second_factor_required) and has none must add one, before any page of the admin, the
editor uploads or the account pages opens. Public pages stay as they are.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from . import policy, sessions
from .audit import current_request

PROTECTED_PREFIXES = ("/admin/", "/ckeditor5/", "/konto/")
HAS_DEVICE_SESSION_KEY = "accounts_has_second_factor"


def has_second_factor(request) -> bool:
    """Asked on every staff request, so remembered in the session; views that add or remove a
    device call `forget_second_factor_state`."""
    state = request.session.get(HAS_DEVICE_SESSION_KEY)
    if state is None:
        state = policy.has_second_factor(request.user)
        request.session[HAS_DEVICE_SESSION_KEY] = state
    return state


def forget_second_factor_state(request) -> None:
    request.session.pop(HAS_DEVICE_SESSION_KEY, None)


def open_paths():
    """What a signed-in user without a verified second factor may still reach."""
    return (
        reverse("admin:logout"),
        reverse("admin:login"),
        reverse("admin:jsi18n"),
        reverse("accounts_verify"),
        reverse("otp_webauthn:credential-authentication-begin"),
        reverse("otp_webauthn:credential-authentication-complete"),
        reverse("otp_webauthn:js-i18n-catalog"),
    )


def enrolment_paths():
    """What a user who must add a second factor and has none may reach on top of open_paths."""
    return (
        reverse("accounts_enrol"),
        reverse("accounts_enrol_totp"),
        reverse("accounts_recovery_codes"),
        reverse("otp_webauthn:credential-registration-begin"),
        reverse("otp_webauthn:credential-registration-complete"),
    )


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.check(request) or self.get_response(request)
        finally:
            current_request.reset(token)
        cookie = getattr(request, "accounts_device_cookie", None)
        if cookie:
            response.set_cookie(
                sessions.DEVICE_COOKIE,
                cookie,
                max_age=sessions.DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def check(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        sessions.seen(request, user)
        path = request.path_info
        if not path.startswith(PROTECTED_PREFIXES) or user.is_verified():
            return None
        if path in open_paths():
            return None
        if has_second_factor(request):
            target = "accounts_verify"
        elif policy.second_factor_required(user):
            if path in enrolment_paths():
                return None
            target = "accounts_enrol"
        else:
            return None
        if path.startswith("/konto/webauthn/") or request.headers.get("Accept", "").startswith(
            "application/json"
        ):
            return JsonResponse({"detail": "second factor needed"}, status=403)
        query = {"next": request.get_full_path()} if request.method == "GET" else {}
        url = reverse(target)
        return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)
