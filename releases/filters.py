"""The filters of the public release list: a form, so that bad input gets a message, not a 500."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation

from .models import Topic
from .search import MAX_QUERY_LENGTH


class ReleaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    thema = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),  # set per request: public() asks the clock
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        error_messages={"invalid_choice": _("There is no such topic.")},
    )
    herausgeber = forms.ModelChoiceField(
        label=_("Issuer"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All issuers"),
        error_messages={"invalid_choice": _("There is no such issuer.")},
    )
    jahr = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2999,
        # A text field: a number field would hide what was typed when it is refused.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
    )
    monat = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All months")), *MONTHS.items()],
    )
    von = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, fixed: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = Topic.objects.public()
        self.fields["herausgeber"].queryset = Organisation.objects.public()
        # A topic or issuer page fixes its own filter; the form does not offer it again.
        for name in fixed:
            del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("monat") and not cleaned.get("jahr"):
            self.add_error("monat", _("Choose a year for the month."))
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and start > end:
            self.add_error("bis", _("The end date lies before the start date."))
        return cleaned

    def filter(self, releases):
        """Apply the valid filters to `releases` (a live() queryset)."""
        data = self.cleaned_data
        if data.get("thema"):
            releases = releases.filter(topics=data["thema"])
        if data.get("herausgeber"):
            releases = releases.filter(issuer=data["herausgeber"])
        if data.get("jahr"):
            releases = releases.filter(first_published_at__year=data["jahr"])
        if data.get("monat"):
            releases = releases.filter(first_published_at__month=data["monat"])
        if data.get("von"):
            releases = releases.filter(first_published_at__date__gte=data["von"])
        if data.get("bis"):
            releases = releases.filter(first_published_at__date__lte=data["bis"])
        return releases

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)
