"""The public forms: asking for alerts, and changing them from the management page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from releases.models import Topic

from .models import Frequency, Subscriber

CONSENT_TEXT = _(
    "I agree that the press office stores my e-mail address, my choices and the time of my "
    "consent in order to send me these e-mails. I can change my choices or unsubscribe at any "
    "time with the link in every e-mail; unsubscribing deletes my address."
)


class ChoicesMixin:
    """Topics and issuers as lists of checkboxes; none chosen means everything."""

    def set_up_choices(self):
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Topics"),
        )
        self.fields["issuers"] = forms.ModelMultipleChoiceField(
            queryset=Organisation.objects.order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Issuers"),
        )
        self.fields["frequency"] = forms.ChoiceField(
            choices=Frequency.choices,
            widget=forms.RadioSelect,
            initial=Frequency.IMMEDIATE,
            label=_("How often"),
        )


class SubscriptionForm(ChoicesMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)

    field_order = ["email", "topics", "issuers", "frequency", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_up_choices()
        self.order_fields(self.field_order)


class ManageForm(ChoicesMixin, forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["topics", "issuers", "frequency", "is_paused"]
        labels = {"is_paused": _("Pause: send me nothing until I switch this off")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_up_choices()
        self.order_fields(self.Meta.fields)
