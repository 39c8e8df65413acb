"""The release form, the restore form and the one rule for what an edit of an approved release
needs (a confirmation; after go-live also a public change note)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import editing, revisions
from .models import PreviewLink, Release, Revision


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


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("revoke"), required=False)

    class Meta:
        model = PreviewLink
        fields = ["label", "expires_at"]

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


# What the form edits; the workflow fields change only through transitions.
CONTENT_FIELDS = [
    "issuer",
    "title",
    "slug",
    "dateline",
    "lead",
    "body",
    "background",
    "topics",
    "publications",
]


class ReleaseForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label=_("Public change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public page and in the feeds when a live release changes."),
    )
    notify_subscribers = forms.BooleanField(
        label=_("E-mail the alert subscribers who were sent this release"),
        required=False,
    )
    confirm = forms.BooleanField(label=_("Confirm"), required=False)

    class Meta:
        model = Release
        fields = CONTENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        consequence = editing.consequence(self.instance) if self.instance.pk else ""
        if consequence == "correct":
            self.fields["confirm"].label = _("Publish this change at once as a correction")
        elif consequence == "void":
            self.fields["confirm"].label = _(
                "Saving a change voids the approval: the release goes back to review"
            )

    def clean(self):
        cleaned = super().clean()
        release = self.instance
        if not release.pk:
            return cleaned
        self._refuse_stale_form(release)
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

    def _refuse_stale_form(self, release):
        opened = self.cleaned_data.get("opened_version")
        # Locked until the admin's transaction ends: of two saves begun on the same version, the
        # second waits here and is then shown the first one's changes instead of overwriting them.
        current = (
            Release.objects.select_for_update()
            .filter(pk=release.pk)
            .values_list("version", flat=True)
            .first()
        )
        if opened is None or opened == current:
            return
        theirs = Revision.objects.filter(release=release, number=current).first()
        mine = Revision.objects.filter(release=release, number=opened).first()
        changes = revisions.compare(mine.snapshot, theirs.snapshot) if mine and theirs else []
        who = theirs.author if theirs and theirs.author else _("someone else")
        # The next save is deliberate: it overwrites their version with what is in the form.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current
        nothing = format_html(
            "<ul class='stale-changes'><li>{}</li></ul>", _("(no visible content change)")
        )
        summary = revisions.as_html(changes) if changes else nothing
        raise ValidationError(
            format_html(
                "{} {}{}",
                _(
                    "%(who)s saved this release after you opened it. Your input is still in "
                    "the form; their changes were:"
                )
                % {"who": who},
                summary,
                _("Save again to replace their version with yours."),
            ),
            code="stale_form",
        )


class RestoreForm(forms.Form):
    opened_version = forms.IntegerField(widget=forms.HiddenInput)
    change_note = forms.CharField(
        label=_("Public change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public page and in the feeds."),
    )
    notify_subscribers = forms.BooleanField(
        label=_("E-mail the alert subscribers who were sent this release"), required=False
    )
    confirm = forms.BooleanField(label=_("Restore this version"), required=True)

    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release
        self.fields["opened_version"].initial = release.version
        consequence = editing.consequence(release)
        if consequence != "correct":
            del self.fields["change_note"], self.fields["notify_subscribers"]
        if consequence == "void":
            self.fields["confirm"].label = _(
                "Restore this version; the approval is voided and the release goes back to review"
            )
        elif consequence == "correct":
            self.fields["confirm"].label = _("Restore this version and publish it as a correction")

    def clean(self):
        cleaned = super().clean()
        if editing.consequence(self.release) == "correct" and not cleaned.get("change_note"):
            self.add_error(
                "change_note",
                _("This release is public: describe the change in the public change note."),
            )
        return cleaned


