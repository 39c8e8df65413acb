"""The filters of the public release list: a form, so that bad input gets a message, not a 500."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.template.loader import render_to_string
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from newsroom.cache import kept_in_generation

from .models import Topic
from .search import MAX_QUERY_LENGTH

# The query parameters stay German: they are in every shared link, and the page cache keys on
# them (releases/urls.py). Field name in the code -> parameter in the URL.
PARAMETERS = {
    "topic": "thema",
    "issuer": "herausgeber",
    "year": "jahr",
    "month": "monat",
    "start": "von",
    "end": "bis",
}


def public_topics() -> list[Topic]:
    """The topics in use (public), listed once per content change and go-live second."""
    return kept_in_generation(
        f"newsroom:public-topics:{get_language()}",
        lambda: list(Topic.objects.public().in_language()),
        keys=["list:topics"],
    )


def public_issuers() -> list[Organisation]:
    """The public issuers, listed once per content change and go-live second."""
    return kept_in_generation(
        f"newsroom:public-issuers:{get_language()}",
        lambda: list(Organisation.objects.public().in_language()),
        keys=["list:issuers"],
    )


def filter_choices(fixed: set[str]) -> dict[str, list]:
    """The rows each filter offers ("topic", "issuer"), but those `fixed` (a topic's page has
    no topic filter). The list without a fixed filter reads both as one kept value: one read of
    the shared cache and one of its keys, not two of each."""
    listed = {"topic": public_topics, "issuer": public_issuers}
    wanted = [name for name in listed if name not in fixed]
    if len(wanted) < 2:
        return {name: listed[name]() for name in wanted}
    return kept_in_generation(
        f"newsroom:filter-choices:{get_language()}",
        lambda: {name: listed[name]() for name in wanted},
    )


class KeptChoices(ModelChoiceIterator):
    """The choices of a KeptChoiceField: its `rows`, not a query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows)


class KeptChoiceField(forms.ModelChoiceField):
    """A choice among `rows` listed once per content change (the public topics or issuers, see
    newsroom.cache.kept): neither the choices nor a chosen value cost a query."""

    iterator = KeptChoices
    rows: list = []

    def label_from_instance(self, obj):
        # A topic's or issuer's name in the page's language, where it has one.
        return obj.localized.name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for row in self.rows:
            if str(getattr(row, self.to_field_name)) == str(value):
                return row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


# The form's fields as rendered, by what they show (see `rendered_fields`).
# Stands in for the search words in a rendering shared by every search with the same filters (the
# words replace it in one pass, so it may even be among them).
WORDS_STAND_IN = "\ue000words\ue000"
_rendered_fields: dict[tuple, str] = {}


class ReleaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = KeptChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),  # the choices are `rows`, set per request
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        error_messages={"invalid_choice": _("There is no such topic.")},
    )
    issuer = KeptChoiceField(
        label=_("Issuer"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All issuers"),
        error_messages={"invalid_choice": _("There is no such issuer.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2999,
        # A text field: a number field would hide what was typed when it is refused.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All months")), *MONTHS.items()],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, fixed: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        # A topic or issuer page fixes its own filter; the form does not offer it again.
        for name in fixed:
            del self.fields[name]
        for name, rows in filter_choices(fixed).items():
            self.fields[name].rows = rows

    @classmethod
    def query_parameters(cls) -> list[str]:
        """The names the form reads from the query string."""
        return [PARAMETERS.get(name, name) for name in cls.base_fields]

    def add_prefix(self, field_name):
        # Every input's name, and where its value is read from: the German parameter.
        return super().add_prefix(PARAMETERS.get(field_name, field_name))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", _("Choose a year for the month."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date lies before the start date."))
        return cleaned

    def filter(self, releases):
        """Apply the valid filters to `releases` (a live() queryset)."""
        data = self.cleaned_data
        if data.get("topic"):
            releases = releases.filter(topics=data["topic"])
        if data.get("issuer"):
            releases = releases.issued_by(data["issuer"])
        if data.get("year"):
            releases = releases.filter(first_published_at__year=data["year"])
        if data.get("month"):
            releases = releases.filter(first_published_at__month=data["month"])
        if data.get("start"):
            releases = releases.filter(first_published_at__date__gte=data["start"])
        if data.get("end"):
            releases = releases.filter(first_published_at__date__lte=data["end"])
        return releases

    def rendered_fields(self) -> str:
        """The fields, with their labels and errors. They follow from the language, the choices
        and what the query holds for them, so each process renders them once for those (Django's
        widget templates cost more than the rest of the page). Valid search words show only as
        the search field's value: the form is rendered once with a stand-in for them, whatever
        words are searched for with the same filters, and the words are put in its place."""
        words = self.data.getlist(self.add_prefix("q")) if self.is_bound else []
        if len(words) == 1 and words[0] and "q" in self.fields and "q" not in self.errors:
            data = self.data.copy()
            data[self.add_prefix("q")] = WORDS_STAND_IN
            html = self._rendered(data, lambda: type(self)(data, fixed=self.fixed))
            return mark_safe(html.replace(WORDS_STAND_IN, escape(words[0])))  # noqa: S308 - escaped
        return self._rendered(self.data, lambda: self)

    def _rendered(self, data, form) -> str:
        """The fields rendered for `data` (the query), by `form()` when not rendered before."""
        choices = tuple(
            tuple((row.pk, row.slug, str(row.localized.name)) for row in self.fields[name].rows)
            for name in ("topic", "issuer")
            if name in self.fields
        )
        asked = tuple(
            (name, tuple(data.getlist(self.add_prefix(name))))
            for name in self.fields
            if self.add_prefix(name) in data
        )
        key = (get_language(), self.is_bound, tuple(self.fields), choices, asked)
        html = _rendered_fields.get(key)
        if html is None:
            if len(_rendered_fields) >= 256:
                _rendered_fields.clear()
            html = _rendered_fields[key] = render_to_string(
                "includes/filter_fields.html", {"form": form()}
            )
        return html

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)
