"""The account pages, mounted at /konto/ (not per language: links in e-mails must stay valid)."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views, webauthn

# The names django-otp-webauthn's scripts and template tags reverse, served by our subclasses.
webauthn_patterns = [
    path(
        "registration/begin/",
        webauthn.BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        webauthn.CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        webauthn.CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]

urlpatterns = [
    path("", views.security, name="accounts_security"),
    path("anmeldung/", views.verify, name="accounts_verify"),
    path("einrichten/", views.enrol, name="accounts_enrol"),
    path("einrichten/app/", views.enrol_totp, name="accounts_enrol_totp"),
    path("wiederherstellungscodes/", views.recovery_codes, name="accounts_recovery_codes"),
    path("geraet-entfernen/", views.remove_device, name="accounts_remove_device"),
    path("sitzungen/<int:pk>/beenden/", views.end_session, name="accounts_end_session"),
    path("sitzungen/beenden/", views.end_other_sessions, name="accounts_end_other_sessions"),
    # The admin's login page links "admin_password_reset" when it exists.
    path("passwort/", views.PasswordReset.as_view(), name="admin_password_reset"),
    path(
        "passwort/gesendet/",
        views.PasswordResetDone.as_view(),
        name="accounts_password_reset_done",
    ),
    path(
        "passwort/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="accounts_password_reset_confirm",
    ),
    path(
        "passwort/fertig/",
        views.PasswordResetComplete.as_view(),
        name="accounts_password_reset_complete",
    ),
    path("webauthn/", include((webauthn_patterns, "otp_webauthn"))),
]
