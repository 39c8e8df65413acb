"""The security trail, read-only; on users: end all sessions, and (portal administrators only)
reset a lost second factor.

django-otp's and django-otp-webauthn's own device admins are taken out: a second factor is
added by its owner on /konto/ and removed by its owner or by the reset below, which is recorded
in the trail and mailed to the user.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from contacts.models import OfficeMembership
from newsroom.admin import ReadOnlyAdmin

from . import emails, sessions
from .audit import record
from .models import SecurityEvent

User = get_user_model()

for model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip_address", "user_agent_short", "detail", "actor"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    @admin.display(description=gettext_lazy("browser"))
    def user_agent_short(self, event):
        return event.user_agent[:60]



def reset_second_factor(user, actor) -> None:
    """Remove every second factor and recovery code of `user`, and end their sessions."""
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        model.objects.filter(user=user).delete()
    sessions.end_all(user)
    record(SecurityEvent.Kind.SECOND_FACTOR_RESET, user=user, actor=actor)
    emails.security_change(
        user,
        _(
            "a portal administrator removed your second factors; at your next sign-in you "
            "will set up a new one"
        ),
    )


admin.site.unregister(User)


class OfficeMembershipInline(admin.TabularInline):
    """The press offices a user works in, with the role in each (contacts.offices)."""

    model = OfficeMembership
    fields = ["organisation", "role"]
    autocomplete_fields = ["organisation"]
    extra = 0
    verbose_name = gettext_lazy("press office")
    verbose_name_plural = gettext_lazy("press offices")


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    actions = ["end_sessions", "reset_second_factors"]
    inlines = [OfficeMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A portal administrator manages users and their offices; only a superuser grants
        # anything portal-wide (a group, a permission, superuser status), or could take it all.
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        # Whoever may change a superuser (their password, their e-mail) can take the account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=gettext_lazy("End all sessions of the selected users"))
    def end_sessions(self, request, queryset):
        for user in queryset:
            ended = sessions.end_all(user)
            record(
                SecurityEvent.Kind.SESSION_ENDED,
                user=user,
                actor=request.user,
                detail=_("all sessions (%d), by an administrator") % ended,
            )
        self.message_user(request, _("Their sessions were ended."), messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Reset the second factor of the selected users"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factors(self, request, queryset):
        for user in queryset:
            reset_second_factor(user, actor=request.user)
        self.message_user(
            request,
            _("Second factors removed; the users were told by e-mail."),
            messages.SUCCESS,
        )

    def has_reset_second_factor_permission(self, request):
        # Only a portal administrator: whoever can reset a second factor can take an account.
        return request.user.is_superuser
