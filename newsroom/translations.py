"""Content in more than one language: translation rows keyed by a language code.

The German text stays in the model itself (it is the original, the public record, and what
search, slugs and ordering use); each translation is a row of a `<Model>Translation` table with
a `language` code and the translated fields. A further variant ("Leichte Sprache", `de-x-ls`)
is a new code in `NEWSROOM_TRANSLATION_LANGUAGES`, not a new column in every table.

Pages load the translation of the page's language with the object itself, in the same query
(`in_language`: a `FilteredRelation` joined by `select_related`), and show `obj.localized`: the
translated fields where there is a translation, else the original, with the language the text
is really in, so that templates can mark it (`lang="de"` on an English page).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The name under which a queryset of `in_language` puts the page language's translation.
JOINED = "translation"


def source_language() -> str:
    """The language of the original text (the site's default language)."""
    return settings.LANGUAGE_CODE


def translation_languages() -> list[tuple[str, str]]:
    """The languages content may be translated into, as (code, name)."""
    return list(settings.NEWSROOM_TRANSLATION_LANGUAGES)


def page_language() -> str:
    return (get_language() or source_language()).lower()


def validate_translation_language(code: str) -> None:
    # A validator rather than `choices`: a new language then needs no migration of any table.
    if code not in dict(translation_languages()):
        raise ValidationError(
            _("%(code)s is not a language content is translated into."),
            code="unknown_language",
            params={"code": code},
        )


class Translation(models.Model):
    """One translation of an object: the language and (in subclasses) the translated fields."""

    language = models.CharField(
        _("language"), max_length=15, validators=[validate_translation_language]
    )
    # The translated field names, in the order editors and diffs show them.
    fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __str__(self):
        return str(dict(translation_languages()).get(self.language, self.language))


def in_language(queryset, language: str | None = None, also=(), deferred=()):
    """`queryset` with each row's translation into `language` (the page's) joined in, and that
    of the objects its foreign keys `also` name (see `localized_relation`); of the row's own
    translation without the fields `deferred` names (those the page does not show).

    Nothing changes for the source language: German pages cost exactly what they did. The
    translation model's foreign key must have `related_name="translations"`.
    """
    language = language or page_language()
    if language == source_language():
        return queryset
    joins = {}
    for prefix in ["", *(f"{name}__" for name in also)]:
        relation = f"{prefix}translations"
        name = f"{prefix.replace('__', '_')}{JOINED}"
        condition = Q(**{f"{relation}__language": language})
        joins[name] = FilteredRelation(relation, condition=condition)
    queryset = queryset.annotate(**joins).select_related(*joins)
    if deferred:
        queryset = queryset.defer(*(f"{JOINED}__{name}" for name in deferred))
    return queryset


def adopt_related(rows, name: str) -> None:
    """Hand the translation `in_language(also=[name])` joined for each row's related `name` to
    that object, so that `row.<name>.localized` shows it."""
    for row in rows:
        key = f"{name}_{JOINED}"
        if key in row.__dict__:
            getattr(row, name).__dict__[JOINED] = row.__dict__[key]


def source_lang_attribute() -> str:
    """` lang="de"` on a page in another language, for text that is only ever German."""
    return lang_attribute(source_language())


class Localized:
    """An object's text as a page in the current language shows it.

    `localized.title` is the translation's title if there is a translation, else the original
    one; `localized.lang` the language of that text, and `localized.lang_attribute` the
    ` lang="de"` a page in another language puts on the element that holds it.
    """

    def __init__(self, original, translation, fields):
        self._original = original
        self._translation = translation
        self._fields = fields
        self.lang = translation.language if translation else source_language()
        self.translated = translation is not None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._translation is not None and name in self._fields:
            value = getattr(self._translation, name)
            if value:
                return value
        return getattr(self._original, name)

    def _shows_translation(self, name: str) -> bool:
        return (
            self._translation is not None
            and name in self._fields
            and bool(getattr(self._translation, name))
        )

    def language_of(self, name: str) -> str:
        """The language of the text shown for field `name`: the original's where the
        translation leaves the field empty (an optional background, say)."""
        return self.lang if self._shows_translation(name) else source_language()

    @property
    def lang_attribute(self) -> str:
        return lang_attribute(self.lang)

    @property
    def field_lang(self) -> "FieldLanguages":
        """`text.field_lang.background` in a template: the ` lang` attribute of that one field's
        text, which may be the original's on a translated page."""
        return FieldLanguages(self)


class FieldLanguages:
    def __init__(self, localized: Localized):
        self._localized = localized

    def __getitem__(self, name: str) -> str:
        return lang_attribute(self._localized.language_of(name))


def lang_attribute(language: str) -> str:
    """` lang="…"` for text in `language`, or nothing where it is the page's language."""
    if language.lower() == page_language():
        return ""
    return format_html(' lang="{}"', language)


class Translatable:
    """Mixin for models whose text may have translations (`translations` rows)."""

    def joined_translation(self):
        """The translation loaded with the row by `in_language`, if it was and if there is one."""
        # select_related of a FilteredRelation sets it as a plain attribute, when there is one.
        translation = self.__dict__.get(JOINED)
        if translation is not None and translation.language != page_language():
            return None
        return translation

    @property
    def localized(self) -> Localized:
        translation = self.joined_translation()
        fields = translation.fields if translation is not None else ()
        return Localized(self, translation, fields)
