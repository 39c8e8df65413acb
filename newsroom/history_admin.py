"""The admin pages every kind of content with the editorial workflow has beside its change form
(releases, appointments): the workflow buttons, the staff preview, the one history, the saved
versions with their diff, and restore (through the subject's one edit path, asking first).

A `ModelAdmin` takes them in with `HistoryAdmin` and says what differs: its `editing`
(`newsroom.editing.Editing`, which knows the workflow), how its history, preview and restore are
made, and what else a transition reads from the form.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .editing import Editing, EditRefused
from .revisions import as_html


class EditForm(forms.ModelForm):
    """The admin form of a subject: the version the edit was begun on (an edit of an older
    one is refused), and what a change to an approved or live subject needs (a public change
    note, a confirmation; `Editing.missing` says which)."""

    editing: Editing
    change_note_help = ""
    # "%(who)s saved this … after you opened it. Your input is still in the form; their
    # changes were:"
    stale_message = ""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label=_("Public change note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("Confirm"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        self.fields["change_note"].help_text = self.change_note_help

    def refuse_stale_form(self) -> None:
        """Refuse a form opened on an older version, showing what was saved since; the input
        stays in the form, and saving it again is deliberate (it overwrites their version)."""
        subject = self.instance
        opened = self.cleaned_data.get("opened_version")
        # Locked until the admin's transaction ends: of two saves begun on the same version, the
        # second waits here and is then shown the first one's changes instead of overwriting them.
        current = (
            type(subject)
            .objects.select_for_update()
            .filter(pk=subject.pk)
            .values_list("version", flat=True)
            .first()
        )
        if opened is None or opened == current:
            return
        theirs = subject.revisions.filter(number=current).first()
        mine = subject.revisions.filter(number=opened).first()
        changes = self.editing.compare(mine.snapshot, theirs.snapshot) if mine and theirs else []
        who = theirs.author if theirs and theirs.author else _("someone else")
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current
        nothing = format_html(
            "<ul class='stale-changes'><li>{}</li></ul>", _("(no visible content change)")
        )
        raise ValidationError(
            format_html(
                "{} {}{}",
                self.stale_message % {"who": who},
                as_html(changes) if changes else nothing,
                _("Save again to replace their version with yours."),
            ),
            code="stale_form",
        )


class RestoreForm(forms.Form):
    """Restoring asks for a confirmation; on a live subject also for the public change note.

    Subclasses name the kind of content in their labels."""

    notify_label = ""
    confirm_labels = {
        "": _("Restore this version"),
        "void": _("Restore this version; the approval is voided and it goes back to review"),
        "correct": _("Restore this version and publish it as a correction"),
    }

    opened_version = forms.IntegerField(widget=forms.HiddenInput)
    change_note = forms.CharField(
        label=_("Public change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public page and in the feeds."),
    )
    notify_subscribers = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, subject, editing: Editing, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject, self.editing = subject, editing
        self.consequence = editing.consequence(subject)
        self.fields["opened_version"].initial = subject.version
        correct = editing.workflow.transitions.get("correct")
        if self.consequence != "correct":
            del self.fields["change_note"]
        if self.consequence != "correct" or not (correct and correct.may_notify_subscribers):
            del self.fields["notify_subscribers"]
        else:
            self.fields["notify_subscribers"].label = self.notify_label
        self.fields["confirm"].label = self.confirm_labels[self.consequence]

    def clean(self):
        cleaned = super().clean()
        if self.consequence == "correct" and not (cleaned.get("change_note") or "").strip():
            self.add_error("change_note", self.editing.wording.change_note_required)
        return cleaned


# The shared workflow's states before an approval (newsroom.workflow).
BEFORE_APPROVAL = frozenset({"draft", "in_review"})


class HistoryAdmin:
    """A `ModelAdmin` mixin: transition, preview, history, versions and restore views.

    Every view refuses (403) a user who may neither view nor change such content, looks the
    subject up in `get_queryset` (an admin scoped to some subjects answers 404 for the others)
    and refuses a user who may neither view nor change this one.
    """

    editing: Editing
    restore_form = RestoreForm
    voided_message = _("The approval was voided: it is back in review and not scheduled.")

    # --- what each app says ---------------------------------------------------------------

    def history_entries(self, subject) -> list:
        raise NotImplementedError

    def render_preview(self, request, subject):
        """The public page of `subject`, whatever its state, marked as a preview."""
        raise NotImplementedError

    def restore_revision(self, subject, revision, user, **edit_options):
        raise NotImplementedError

    def can_restore(self, revision) -> bool:
        return True

    def transition_data(self, request, transition) -> dict:
        """What a transition reads from the form beyond comment, go-live and confirmation."""
        return {}

    def is_content_formset(self, formset) -> bool:
        """Whether an inline is part of the content (saved inside the edit, as one version)."""
        return True

    # --- permissions: what the state allows on top of the role ------------------------------

    def has_change_permission(self, request, obj=None):
        """A closed record (withdrawn, cancelled) is never changed; a live one only by those
        who may correct it; a scheduled one by whoever writes such content, which voids its
        approval (`newsroom.editing`)."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if obj.state in self.editing.closed_states:
            return False
        if obj.is_live:
            return request.user.has_perm(self.editing.permission("correct"), obj)
        return True

    def has_delete_permission(self, request, obj=None):
        """Only what was never public is deleted, and only before approval."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (obj.state in BEFORE_APPROVAL and not obj.was_public)

    # --- saving: one edit through `editing.save_edit` -------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing here: `save_related` writes the subject and its inlines as one edit."""

    def save_related(self, request, form, formsets, change):
        content = [formset for formset in formsets if self.is_content_formset(formset)]

        def write(subject):
            subject.save()
            form.save_m2m()
            for formset in content:
                self.save_formset(request, form, formset, change=change)

        data = form.cleaned_data
        edit = self.editing.save_edit(
            form.instance,
            request.user,
            write,
            opened_version=data.get("opened_version") if change else None,
            change_note=data.get("change_note", ""),
            confirmed=data.get("confirm", False),
            notify_subscribers=data.get("notify_subscribers", False),
        )
        for formset in formsets:
            if formset not in content:
                self.save_formset(request, form, formset, change=change)
        if edit.voided_approval:
            messages.warning(request, self.voided_message)
        elif edit.correction:
            messages.info(request, _("The change was published as a correction."))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditRefused as refusal:
            # A save that lost a race (the form checks everything else first): nothing written.
            messages.error(request, " ".join(refusal.messages))
            return HttpResponseRedirect(request.get_full_path())

    # --- the views ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<int:pk>/transition/<str:transition>/",
                wrap(require_POST(self.transition_view)),
                name=f"{name}_transition",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name=f"{name}_preview"),
            path("<int:pk>/revisions/", wrap(self.revisions_view), name=f"{name}_revisions"),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def subject_or_404(self, request, pk):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        subject = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, subject):
            raise PermissionDenied
        return subject

    def change_url(self, subject) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[subject.pk]
        )

    def _templates(self, name: str) -> list[str]:
        """The app's template if it has one (it may extend the shared one), else the shared."""
        opts = self.opts
        return [f"admin/{opts.app_label}/{opts.model_name}/{name}", f"admin/newsroom/{name}"]

    def _context(self, request, subject, title: str, **more) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subject": subject,
            **more,
        }

    def transition_view(self, request, pk, transition):
        subject = self.subject_or_404(request, pk)
        step = self.editing.workflow.transitions.get(transition)
        if step is None or not step.offered:
            raise Http404
        try:
            go_live_at = None
            if step.asks_go_live:
                go_live_at = forms.SplitDateTimeField(required=False).clean(
                    [request.POST.get("go_live_at_0", ""), request.POST.get("go_live_at_1", "")]
                )
            version = forms.IntegerField(required=False).clean(request.POST.get("version"))
            self.editing.workflow.take(
                subject.pk,
                transition,
                request.user,
                comment=request.POST.get("comment", ""),
                go_live_at=go_live_at,
                version=version,
                notify_subscribers=bool(request.POST.get("notify_subscribers")),
                confirmed=bool(request.POST.get("confirm")),
                **self.transition_data(request, step),
            )
        except ValidationError as refusal:
            # One message keeps its markup (the changes a stale approval missed).
            problems = refusal.messages
            messages.error(request, problems[0] if len(problems) == 1 else " ".join(problems))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": step.label})
        return HttpResponseRedirect(self.change_url(subject))

    def preview_view(self, request, pk):
        return self.render_preview(request, self.subject_or_404(request, pk))

    def history_view(self, request, object_id, extra_context=None):
        """Our history replaces Django's log of form changes: every event, in order, in words."""
        subject = self.subject_or_404(request, object_id)
        context = self._context(
            request,
            subject,
            _("History of “%(title)s”") % {"title": subject.title},
            entries=self.history_entries(subject),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self._templates("history.html"), context)

    def revisions_view(self, request, pk):
        """The saved versions, and what changed between any two of them."""
        subject = self.subject_or_404(request, pk)
        saved = list(subject.revisions.select_related("author"))
        numbers = {revision.number: revision for revision in saved}
        changes = None
        old_number, new_number = request.GET.get("old"), request.GET.get("new")
        if old_number and new_number:
            try:
                old, new = numbers[int(old_number)], numbers[int(new_number)]
            except (KeyError, ValueError) as missing:
                raise Http404 from missing
            changes = self.editing.compare(old.snapshot, new.snapshot)
        may_restore = self.has_change_permission(request, subject)
        for revision in saved:
            revision.may_restore = may_restore and self.can_restore(revision)
        context = self._context(
            request,
            subject,
            _("Versions of “%(title)s”") % {"title": subject.title},
            revisions=saved,
            changes=changes,
            old=old_number,
            new=new_number,
            can_restore=may_restore,
        )
        return TemplateResponse(request, self._templates("revisions.html"), context)

    def restore_view(self, request, pk, number):
        """Restoring asks first: it shows what changes; on a live subject it is a correction."""
        subject = self.subject_or_404(request, pk)
        if not self.has_change_permission(request, subject):
            raise PermissionDenied
        revision = get_object_or_404(subject.revisions, number=number)
        if not self.can_restore(revision):
            raise Http404
        current = subject.revisions.filter(number=subject.version).first()
        form = self.restore_form(request.POST or None, subject=subject, editing=self.editing)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    edit = self.restore_revision(
                        subject,
                        revision,
                        request.user,
                        opened_version=data["opened_version"],
                        change_note=data.get("change_note", ""),
                        confirmed=data["confirm"],
                        notify_subscribers=data.get("notify_subscribers", False),
                    )
                    # An old version may name another issuer: restoring it must not move the
                    # subject to an office the user may not write for (undone, nothing sent).
                    if not self.has_change_permission(request, edit.subject):
                        raise EditRefused(
                            _("That version names an office you may not write for."),
                            code="office",
                        )
            except EditRefused as refusal:
                form.add_error(None, refusal)
            else:
                if edit.changes:
                    messages.success(
                        request,
                        _("Version %(number)s restored as version %(new)s.")
                        % {"number": number, "new": edit.subject.version},
                    )
                else:
                    messages.info(request, _("Nothing to restore: the content is the same."))
                return HttpResponseRedirect(self.change_url(subject))
        context = self._context(
            request,
            subject,
            _("Restore version %(number)s of “%(title)s”")
            % {"number": number, "title": subject.title},
            revision=revision,
            form=form,
            changes=self.editing.compare(current.snapshot, revision.snapshot) if current else None,
            consequence=self.editing.consequence(subject),
        )
        return TemplateResponse(request, self._templates("restore.html"), context)
