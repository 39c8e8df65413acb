"""The accessibility feedback form: no third-party captcha, two quiet checks against spam.

- a honeypot field that people never see or fill in (hidden from screen readers too);
- a signed start time: a form sent back within MIN_SECONDS of being shown was not typed, and
  one older than MAX_AGE is shown again to be sent once more (its text kept).
"""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "legal.feedback.started"
MIN_SECONDS = 3
MAX_AGE = 6 * 60 * 60


def start_token() -> str:
    return signing.dumps(time.time(), salt=SALT)


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Which barrier did you meet, and what did you want to do?"),
    )
    page_address = forms.CharField(
        label=_("Page concerned (optional)"), max_length=500, required=False
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional, if you want an answer)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The honeypot: a name bots like to fill; people never see it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = start_token()

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.data.get("website"))

    def clean_started(self):
        try:
            started = signing.loads(self.cleaned_data["started"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:  # also SignatureExpired
            started = None
        if not isinstance(started, int | float) or time.time() - started < MIN_SECONDS:
            raise forms.ValidationError(
                _("Please check your message and send it again."), code="timing"
            )
        return started

    def restart(self) -> None:
        """Give a form shown again (with its text and errors) a new start time."""
        self.errors  # noqa: B018 - validate first: the errors belong to what was sent
        self.data = self.data.copy()
        self.data["started"] = start_token()
