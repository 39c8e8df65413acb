"""The admin side of content translations (newsroom/translations.py): an inline of translation
rows whose language is picked from `NEWSROOM_TRANSLATION_LANGUAGES`."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .translations import translation_languages


class UntouchedWhenAbsent:
    """A formset mixin: a post that has no translations section at all (a script, an older
    form) leaves the translations as they are, instead of failing for a missing management
    form."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        name = prefix or self.get_default_prefix()
        if data is not None and f"{name}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{name}-TOTAL_FORMS"] = data[f"{name}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, prefix=prefix, **kwargs)


class TranslationFormSet(UntouchedWhenAbsent, BaseInlineFormSet):
    pass


class TranslationInline(admin.StackedInline):
    """One translation per language, edited with the original (topics, offices, publications:
    saved at once; a release's go through its edit, see releases/admin.py)."""

    formset = TranslationFormSet
    extra = 0
    verbose_name = _("translation")
    verbose_name_plural = _("translations")

    def get_max_num(self, request, obj=None, **kwargs):
        return len(translation_languages())

    def get_extra(self, request, obj=None, **kwargs):
        # An empty form for a language not yet translated, so that adding one is one step.
        existing = obj.translations.count() if obj is not None and obj.pk else 0
        return max(0, len(translation_languages()) - existing)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            return forms.ChoiceField(
                label=db_field.verbose_name, choices=translation_languages, required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
