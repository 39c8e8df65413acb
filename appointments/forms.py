"""The public form with which a journalist applies for accreditation."""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .accreditation import CONSENT_TEXT
from .models import Accreditation


def privacy_url() -> str | None:
    """The site's privacy page, once the project has one."""
    try:
        return reverse("legal:privacy")
    except NoReverseMatch:
        return None


class ApplicationForm(forms.ModelForm):
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)

    class Meta:
        model = Accreditation
        fields = ["name", "outlet", "role", "email", "phone", "press_card", "team"]
        widgets = {"team": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        url = privacy_url()
        if url:
            self.fields["consent"].help_text = format_html(
                '<a href="{}">{}</a>', url, _("How we protect your data")
            )
