"""The media library's photo form: the photo's text in German and each translation language."""

from django import forms

from newsroom.translations import translation_languages

from .models import Photo


def _field_name(name: str, code: str) -> str:
    return f"{name}_{code.replace('-', '_')}"


def translation_fields() -> list[str]:
    """The photo form's fields for each translation language: caption and alternative text."""
    return [
        _field_name(name, code)
        for code, _name in translation_languages()
        for name in ("caption", "alt_text")
    ]


class PhotoTranslationsForm(forms.ModelForm):
    """A photo, with its caption and alternative text in each translation language (the
    fields are declared by `PhotoForm` below, one pair per language)."""

    class Meta:
        model = Photo
        fields = [
            "file",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "licence",
            "rights_until",
            "focus_x",
            "focus_y",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for row in self.instance.translations.all():
                for field in row.fields:
                    name = _field_name(field, row.language)
                    if name in self.fields:
                        self.fields[name].initial = getattr(row, field)

    def save_translations(self) -> None:
        """Write the image's translations (after the photo)."""
        photo = self.instance
        for code, _name in translation_languages():
            text = {
                field: self.cleaned_data.get(_field_name(field, code), "").strip()
                for field in ("caption", "alt_text")
            }
            if any(text.values()):
                photo.translations.update_or_create(language=code, defaults=text)
            else:
                photo.translations.filter(language=code).delete()


def _translation_form_fields() -> dict:
    fields = {}
    for code, language in translation_languages():
        for field in ("caption", "alt_text"):
            model_field = Photo._meta.get_field(field)
            fields[_field_name(field, code)] = forms.CharField(
                label=f"{model_field.verbose_name} ({language})",
                max_length=model_field.max_length,
                required=False,
            )
    return fields


PhotoForm = type("PhotoForm", (PhotoTranslationsForm,), _translation_form_fields())
