"""The release form, the restore form and the one rule for what an edit of an approved release
needs (a confirmation; after go-live also a public change note)."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from newsroom.history_admin import EditForm
from newsroom.richtext import EMPTY_MARKUP
from newsroom.translation_admin import UntouchedWhenAbsent
from newsroom.translations import translation_languages

from . import editing
from .models import PreviewLink, Release, ReleaseTranslation


def missing_for_edit(release, change_note: str, confirmed: bool) -> list:
    """What a content change to `release` still lacks: the one rule for form and inlines."""
    consequence = editing.consequence(release) if release.pk else ""
    missing = []
    if consequence == "correct" and not (change_note or "").strip():
        missing.append(_("This release is public: describe the change in the public change note."))
    if consequence and not confirmed:
        missing.append(
            _("This release is public: confirm that the correction is published at once.")
            if consequence == "correct"
            else _("This release is approved: confirm that the change sends it back to review.")
        )
    return missing


class LiveEditFormSet(forms.BaseInlineFormSet):
    """Changing the attachments of an approved release is an edit like any other."""

    def clean(self):
        super().clean()
        if self.instance.pk and self.has_changed():
            missing = missing_for_edit(
                self.instance, self.data.get("change_note", ""), bool(self.data.get("confirm"))
            )
            if missing:
                raise ValidationError(missing, code="edit_incomplete")


class ReleaseTranslationFormSet(UntouchedWhenAbsent, LiveEditFormSet):
    """The translations of a release: changing them is an edit of the release like any other."""


class ReleaseTranslationForm(forms.ModelForm):
    """A release's text in another language, beside the German one (part of the same edit)."""

    language = forms.ChoiceField(label=_("language"), choices=translation_languages)

    class Meta:
        model = ReleaseTranslation
        fields = ["language", "title", "lead", "body", "background"]

    def has_changed(self):
        # An untouched new translation is not one, even if the editor posted "<p>&nbsp;</p>".
        if self.instance.pk is None and not any(
            EMPTY_MARKUP.sub("", str(self[name].value() or ""))
            for name in ReleaseTranslation.fields
        ):
            return False
        return super().has_changed()


# An embargo link is for the time before the second; after it the public page serves. It may
# hold a while longer (an article's draft links to it), not for years.
PREVIEW_LINK_DAYS_AFTER_GO_LIVE = 30
# What a new link for an embargoed release offers: a week after the go-live.
PREVIEW_LINK_DEFAULT_AFTER = timedelta(days=7)


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("revoke"), required=False)

    class Meta:
        model = PreviewLink
        fields = ["label", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        stored = self.instance.expires_at if self.instance.pk else None
        if stored is not None and stored.replace(microsecond=0) == expires_at:
            return stored  # a link made before the limit stays as it was (the form has seconds)
        release = getattr(self.instance, "release", None)
        start = max(timezone.now(), getattr(release, "go_live_at", None) or timezone.now())
        latest = start + timedelta(days=PREVIEW_LINK_DAYS_AFTER_GO_LIVE)
        if expires_at > latest:
            raise ValidationError(
                _(
                    "An embargo link holds at most %(days)d days after the release goes live: "
                    "until %(latest)s."
                ),
                params={
                    "days": PREVIEW_LINK_DAYS_AFTER_GO_LIVE,
                    "latest": date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT"),
                },
            )
        return expires_at

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


# What the form edits; the workflow fields change only through transitions. The admin shows the
# text first, then the filing.
TEXT_FIELDS = [
    "issuer",
    "co_issuers",
    "title",
    "slug",
    "dateline",
    "lead",
    "body",
    "background",
]
FILING_FIELDS = ["topics", "publications"]
CONTENT_FIELDS = [*TEXT_FIELDS, *FILING_FIELDS]


class ReleaseForm(EditForm):
    editing = editing.EDITING
    change_note_help = _("Shown on the public page and in the feeds when a live release changes.")
    stale_message = _(
        "%(who)s saved this release after you opened it. Your input is still in the form; "
        "their changes were:"
    )

    notify_subscribers = forms.BooleanField(
        label=_("E-mail the alert subscribers who were sent this release"),
        required=False,
    )

    class Meta:
        model = Release
        fields = CONTENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consequence = editing.consequence(self.instance) if self.instance.pk else ""
        if consequence == "correct":
            self.fields["confirm"].label = _("Publish this change at once as a correction")
        elif consequence == "void":
            self.fields["confirm"].label = _(
                "Saving a change voids the approval: the release goes back to review"
            )

    def clean(self):
        cleaned = super().clean()
        issuer = cleaned.get("issuer")
        if issuer is not None and issuer in (cleaned.get("co_issuers") or []):
            self.add_error(
                "co_issuers",
                _("The lead issuer cannot be its own co-issuer: choose only the other issuers."),
            )
        release = self.instance
        if not release.pk:
            return cleaned
        self.refuse_stale_form()
        if self.changed_content():
            for problem in missing_for_edit(
                release, cleaned.get("change_note", ""), cleaned.get("confirm", False)
            ):
                self.add_error(None, problem)
        return cleaned

    def changed_content(self) -> list[str]:
        """The content fields whose cleaned value differs from the stored one.

        Not `changed_data`, which compares what was posted: an editor sends "<p>&nbsp;</p>" for
        an empty field that is stored as "".
        """
        changed = []
        for name in set(CONTENT_FIELDS) & set(self.changed_data):
            new, field = self.cleaned_data.get(name), self.instance._meta.get_field(name)
            if field.many_to_many:
                old = set(getattr(self.instance, name).values_list("pk", flat=True))
                new = {item.pk for item in new or []}
            elif field.is_relation:
                old, new = getattr(self.instance, field.attname), getattr(new, "pk", None)
            else:
                old = getattr(self.instance, name)
            if old != new:
                changed.append(name)
        return changed
