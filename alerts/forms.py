"""The public forms: asking for alerts, and changing them from the management page."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from releases.models import Topic

from .models import Frequency, Subscriber

CONSENT_TEXT = _(
    "I agree that the press office stores my e-mail address, my choices and the time of my "
    "consent in order to send me these e-mails. I can change my choices or unsubscribe at any "
    "time with the link in every e-mail; unsubscribing deletes my address."
)


CONTENT_CHOICES = [
    ("releases", _("Press releases")),
    ("appointments", _("Press appointments: new ones, changes and cancellations")),
]


def chosen_content(subscriber: Subscriber) -> list[str]:
    return [
        name
        for name, wanted in [
            ("releases", subscriber.wants_releases),
            ("appointments", subscriber.wants_appointments),
        ]
        if wanted
    ]


class ChoicesMixin:
    """What to be told of (releases, appointments, or both); topics and issuers as lists of
    checkboxes, none chosen meaning everything.

    Only public topics and issuers are offered (a new one waits for its first public release),
    plus whatever the subscriber already chose, so that a choice is never lost because its
    topic is no longer public.
    """

    def set_up_choices(self, chosen: Subscriber | None = None):
        self.fields["content"] = forms.MultipleChoiceField(
            choices=CONTENT_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            initial=chosen_content(chosen) if chosen is not None else ["releases"],
            label=_("What you want to hear of"),
            # Unticked, it stays what alerts always were: press releases.
            required=False,
        )
        topics, issuers = Q(pk__in=Topic.objects.public()), Q(pk__in=Organisation.objects.public())
        if chosen is not None and chosen.pk:
            topics |= Q(pk__in=chosen.topics.values("pk"))
            issuers |= Q(pk__in=chosen.issuers.values("pk"))
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.filter(topics).order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Topics"),
        )
        self.fields["issuers"] = forms.ModelMultipleChoiceField(
            queryset=Organisation.objects.filter(issuers).order_by("name"),
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


    def clean_content(self):
        return self.cleaned_data["content"] or ["releases"]


class SubscriptionForm(ChoicesMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        # The privacy note beside it (legal/includes/privacy_note.html) links the policy.
        widget=forms.CheckboxInput(attrs={"aria-describedby": "consent-privacy"}),
    )

    field_order = ["email", "content", "topics", "issuers", "frequency", "consent"]

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
        self.set_up_choices(chosen=self.instance)
        self.order_fields(["content", *self.Meta.fields])

    def save(self, commit=True):
        content = self.cleaned_data["content"]
        self.instance.wants_releases = "releases" in content
        self.instance.wants_appointments = "appointments" in content
        return super().save(commit)
