"""Passkeys and security keys through django-otp-webauthn, recorded in the security trail.

The relying party is the host the request came to (checked against ALLOWED_HOSTS), and so is the
only origin a ceremony is accepted from: a phishing site's origin never matches. Passkeys are a
second factor after the password here, never a way to sign in without one.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.helpers import WebAuthnHelper

from . import emails, recovery
from .audit import record
from .middleware import forget_second_factor_state
from .models import SecurityEvent

Kind = SecurityEvent.Kind


def rp_id(request) -> str:
    return request.get_host().rsplit(":", 1)[0] if "]" not in request.get_host() else ""


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        # The public address, and the address this request came to (a host in ALLOWED_HOSTS).
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return [*settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, own]


class BeginRegistration(webauthn_views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(webauthn_views.CompleteCredentialRegistrationView):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 200:
            user = request.user
            forget_second_factor_state(request)
            record(Kind.ENROLLED, user=user, request=request, detail=_("passkey or security key"))
            emails.security_change(user, _("a passkey or security key was added"), request)
            recovery.ensure_codes(request, user)
        return response


class BeginAuthentication(webauthn_views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(webauthn_views.CompleteCredentialAuthenticationView):
    def get_success_url(self):
        return self.get_redirect_url() or reverse("admin:index")

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "POST" and request.user.is_authenticated:
            if response.status_code == 200:
                record(Kind.SECOND_FACTOR_USED, user=request.user, detail=_("passkey"))
            else:
                record(Kind.SECOND_FACTOR_FAILED, user=request.user, detail=_("passkey"))
        return response
