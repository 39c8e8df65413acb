"""Forms of the account pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Six digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TOTPEnrolForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        required=False,
        help_text=_("So that you can tell your devices apart, e.g. “work phone”."),
    )
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RemoveDeviceForm(forms.Form):
    kind = forms.ChoiceField(choices=[("totp", "totp"), ("passkey", "passkey")])
    id = forms.IntegerField()
