"""The account pages under /konto/: second factor after the password, enrolment, recovery
codes, the user's own security overview (devices, sessions, trail) and the password reset.

All of them look like the admin (they extend admin/base_site.html) and run under the public
Content Security Policy: no inline script, the passkey buttons come from static files.
"""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom import site
from newsroom.clients import client_ip

from . import emails, policy, recovery, sessions
from .audit import record
from .forms import CodeForm, RemoveDeviceForm, TOTPEnrolForm
from .middleware import forget_second_factor_state
from .models import SecurityEvent, UserSession
from .ratelimit import hit

Kind = SecurityEvent.Kind


def next_url(request, default=None) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or reverse("admin:index")


def with_next(url, request) -> str:
    return f"{url}?{urlencode({'next': next_url(request)})}"


def page(request, template, title, **context):
    context = {**admin.site.each_context(request), "title": title, **context}
    context.setdefault("next", next_url(request))
    return render(request, template, context)


@never_cache
@login_required
@sensitive_post_parameters("code")
def verify(request):
    """The second step of signing in: a code from the app, a recovery code or a passkey."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not policy.has_second_factor(user):
        if policy.second_factor_required(user):
            return redirect(with_next(reverse("accounts_enrol"), request))
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, method = verify_code(user, form.cleaned_data["code"])
        how = METHODS[method]
        if device is not None:
            otp_login(request, device)
            record(Kind.SECOND_FACTOR_USED, user=user, detail=how)
            if method == "recovery":
                left = recovery.remaining(user)
                emails.security_change(
                    user, _("a recovery code was used (%(left)d left)") % {"left": left}
                )
                if left <= 2:
                    messages.warning(
                        request,
                        _("Only %(left)d recovery codes left: make new ones.") % {"left": left},
                    )
                    return redirect(f"{reverse('accounts_security')}#recovery")
            return redirect(next_url(request))
        record(Kind.SECOND_FACTOR_FAILED, user=user, detail=how)
        form.add_error("code", _("This code is wrong, expired or was used already."))
    return page(
        request,
        "accounts/verify.html",
        _("Second factor"),
        form=form,
        has_app=policy.totp_devices(user).exists(),
        has_passkey=policy.passkeys(user).exists(),
    )


METHODS = {"app": gettext_lazy("authenticator app"), "recovery": gettext_lazy("recovery code")}


def verify_code(user, code):
    """The device that accepts the code (an app's six digits or a recovery code), and which
    kind of code it was."""
    code = recovery.normalise(code)
    if code.isdigit():
        for device in policy.totp_devices(user):
            if device.verify_token(code):
                return device, "app"
        return None, "app"
    device = policy.recovery_device(user)
    if device is not None and device.verify_token(code):
        return device, "recovery"
    return None, "recovery"


@never_cache
@login_required
def enrol(request):
    """Choose a second factor: an authenticator app or a passkey / security key."""
    required = policy.second_factor_required(request.user)
    return page(
        request,
        "accounts/enrol.html",
        _("Add a second factor"),
        required=required and not policy.has_second_factor(request.user),
        after_passkey=with_next(reverse("accounts_recovery_codes"), request),
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
def enrol_totp(request):
    user = request.user
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        form = TOTPEnrolForm(request.POST)
        if device is None:
            return redirect(request.get_full_path())
        if form.is_valid() and device.verify_token(recovery.normalise(form.cleaned_data["code"])):
            device.confirmed = True
            device.name = form.cleaned_data["name"] or _("Authenticator app")
            device.save()
            otp_login(request, device)
            forget_second_factor_state(request)
            record(Kind.ENROLLED, user=user, detail=_("authenticator app: %s") % device.name)
            emails.security_change(user, _("an authenticator app was added"))
            recovery.ensure_codes(request, user)
            return redirect(with_next(reverse("accounts_recovery_codes"), request))
        if form.is_valid():
            form.add_error("code", _("This code is wrong. Check the time on your phone."))
    else:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        form = TOTPEnrolForm()
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return page(
        request,
        "accounts/enrol_totp.html",
        _("Add an authenticator app"),
        form=form,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_data_uri=qr.svg_data_uri(scale=5, border=2),
    )


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes are shown once; after that only how many are left."""
    user = request.user
    if request.method == "POST":
        if not policy.has_second_factor(user):
            return redirect("accounts_enrol")
        request.session[recovery.NEW_CODES_SESSION_KEY] = recovery.generate(user)
        record(Kind.RECOVERY_CODES, user=user)
        emails.security_change(user, _("new recovery codes were made; the old ones are void"))
        return redirect(with_next(reverse("accounts_recovery_codes"), request))
    codes = request.session.pop(recovery.NEW_CODES_SESSION_KEY, None)
    return page(
        request,
        "accounts/recovery_codes.html",
        _("Recovery codes"),
        codes=codes,
        remaining=recovery.remaining(user),
    )


@never_cache
@login_required
def security(request):
    """The user's own overview: second factors, sessions and the last events of the account."""
    user = request.user
    return page(
        request,
        "accounts/security.html",
        _("Sign-in and security"),
        totp_devices=policy.totp_devices(user),
        passkeys=policy.passkeys(user),
        recovery_remaining=recovery.remaining(user),
        required=policy.second_factor_required(user),
        user_sessions=sessions.active(user),
        current_session=request.session.session_key,
        events=SecurityEvent.objects.filter(user=user)[:20],
    )


@require_POST
@login_required
def remove_device(request):
    form = RemoveDeviceForm(request.POST)
    if form.is_valid():
        user = request.user
        queryset = {"totp": policy.totp_devices, "passkey": policy.passkeys}[
            form.cleaned_data["kind"]
        ](user)
        device = get_object_or_404(queryset, pk=form.cleaned_data["id"])
        name = str(device.name)
        device.delete()
        forget_second_factor_state(request)
        record(Kind.DEVICE_REMOVED, user=user, detail=name)
        emails.security_change(user, _("the second factor “%(name)s” was removed") % {"name": name})
        messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return redirect("accounts_security")


@require_POST
@login_required
def end_session(request, pk):
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    current = user_session.session_key == request.session.session_key
    sessions.end(user_session)
    record(Kind.SESSION_ENDED, user=request.user, detail=user_session.user_agent[:200])
    if current:
        logout(request)
        return redirect("admin:login")
    messages.success(request, _("The session was ended."))
    return redirect("accounts_security")


@require_POST
@login_required
def end_other_sessions(request):
    ended = sessions.end_all(request.user, keep=request.session.session_key)
    record(Kind.SESSION_ENDED, user=request.user, detail=_("all other sessions (%d)") % ended)
    messages.success(request, _("%(count)d other sessions were ended.") % {"count": ended})
    return redirect("accounts_security")


class AdminLook:
    """Django's password reset views, in the admin's look."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordReset(AdminLook, auth_views.PasswordResetView):
    """The same answer whatever the address; limited per client and per address."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts_password_reset_done")
    title = gettext_lazy("Password reset")

    @property
    def extra_email_context(self):
        # The portal's name, not the host name Django would put in the mail.
        return {"site_name": site.name()}

    def form_valid(self, form: PasswordResetForm):
        email = form.cleaned_data["email"]
        address = client_ip(self.request) or ""
        if not hit("client", address, settings.NEWSROOM_PASSWORD_RESET_PER_CLIENT):
            record(Kind.PASSWORD_RESET_REFUSED, detail=_("too many requests from this address"))
            return render(
                self.request,
                "accounts/too_many.html",
                {**self.get_context_data(), "title": _("Too many requests")},
                status=429,
            )
        users = list(form.get_users(email))
        if not hit("address", email.lower(), settings.NEWSROOM_PASSWORD_RESET_PER_ADDRESS):
            # The same answer as always, but no mail: nobody floods an inbox through us.
            for user in users:
                record(Kind.PASSWORD_RESET_REFUSED, user=user, detail=_("too many for the address"))
            return HttpResponseRedirect(self.get_success_url())
        for user in users:
            record(Kind.PASSWORD_RESET_REQUESTED, user=user)
        return super().form_valid(form)


class PasswordResetDone(AdminLook, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirm(AdminLook, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts_password_reset_complete")


class PasswordResetComplete(AdminLook, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
