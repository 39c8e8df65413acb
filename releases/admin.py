"""Admin for press releases: the editing form, the workflow buttons, previews and revisions.

State, go-live and withdrawal fields are never edited directly: they change only through the
transitions in `releases.workflow`, which check the role on the server.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import revisions, workflow
from .models import (
    Correction,
    PreviewLink,
    Release,
    ReleaseContact,
    ReleaseEvent,
    ReleaseImage,
    ReleaseLink,
    Revision,
    State,
    Topic,
)
from .views import render_release, with_page_relations


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class LiveEditFormSet(forms.BaseInlineFormSet):
    """Changing the attachments of a live release needs a change note too (or 'minor')."""

    def clean(self):
        super().clean()
        release = self.instance
        if (
            release.pk
            and release.is_live
            and self.has_changed()
            and not self.data.get("change_note", "").strip()
            and not self.data.get("minor_edit")
        ):
            raise ValidationError(
                _("This release is public: describe the change in the change note."),
                code="change_note_required",
            )


class ReleaseContactInline(admin.TabularInline):
    model = ReleaseContact
    formset = LiveEditFormSet
    autocomplete_fields = ["contact"]
    fields = ["contact", "order"]
    extra = 0


class ReleaseLinkInline(admin.TabularInline):
    model = ReleaseLink
    formset = LiveEditFormSet
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["title", "url", "order"]
    extra = 0


class ReleaseImageInline(admin.StackedInline):
    model = ReleaseImage
    formset = LiveEditFormSet
    fields = ["file", "alt_text", "is_decorative", "caption", "credit", "order"]
    extra = 0


class CorrectionInline(admin.TabularInline):
    """Corrections are published through the change note or the workflow, never edited."""

    model = Correction
    fields = ["created_at", "note"]
    readonly_fields = ["created_at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("revoke"), required=False)

    class Meta:
        model = PreviewLink
        fields = ["label", "expires_at"]

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    form = PreviewLinkForm
    fields = ["label", "expires_at", "link", "status", "access_count", "revoke"]
    readonly_fields = ["link", "status", "access_count"]
    extra = 0
    can_delete = False
    verbose_name = _("embargo preview link")
    verbose_name_plural = _("embargo preview links")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_accesses=models.Count("accesses"))

    @admin.display(description=_("link"))
    def link(self, obj):
        if not obj.pk:
            return _("appears after saving")
        return format_html(
            '<input type="text" readonly value="{}" size="50" aria-label="{}">',
            obj.get_absolute_url(),
            _("preview link"),
        )

    @admin.display(description=_("status"))
    def status(self, obj):
        if not obj.pk:
            return "–"
        if obj.revoked_at:
            return _("revoked")
        return _("valid") if obj.is_valid else _("expired")

    @admin.display(description=_("accesses"))
    def access_count(self, obj):
        return getattr(obj, "num_accesses", 0) if obj.pk else 0


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
    minor_edit = forms.BooleanField(
        label=_("Minor edit (typo), no public note"),
        required=False,
    )

    class Meta:
        model = Release
        fields = CONTENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        release = self.instance
        if not release.pk:
            return cleaned
        self._refuse_stale_form(release)
        content_changed = bool(set(CONTENT_FIELDS) & set(self.changed_data))
        if (
            release.is_live
            and content_changed
            and not (cleaned.get("change_note") or "").strip()
            and not cleaned.get("minor_edit")
        ):
            self.add_error(
                "change_note",
                _("This release is public: describe the change, or mark the edit as minor."),
            )
        return cleaned

    def _refuse_stale_form(self, release):
        opened = self.cleaned_data.get("opened_version")
        current = Release.objects.filter(pk=release.pk).values_list("version", flat=True).first()
        if opened is None or opened == current:
            return
        theirs = Revision.objects.filter(release=release, number=current).first()
        mine = Revision.objects.filter(release=release, number=opened).first()
        changes = revisions.compare(mine.snapshot, theirs.snapshot) if mine and theirs else []
        who = theirs.author if theirs and theirs.author else _("someone else")
        # The next save is deliberate: it overwrites their version with what is in the form.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current
        summary = format_html_join(
            "", "<li><strong>{}</strong>: {}</li>", ((c.label, c.diff) for c in changes)
        )
        raise ValidationError(
            format_html(
                "{} <ul class='stale-changes'>{}</ul>{}",
                _(
                    "%(who)s saved this release after you opened it. Your input is still in "
                    "the form; their changes were:"
                )
                % {"who": who},
                summary or format_html("<li>{}</li>", _("(no visible content change)")),
                _("Save again to replace their version with yours."),
            ),
            code="stale_form",
        )


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("mine", _("Waiting for my review"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(state=State.IN_REVIEW).exclude(last_edited_by=request.user)
        return queryset


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    form = ReleaseForm
    change_form_template = "admin/releases/release/change_form.html"
    list_display = ["title", "issuer", "state_label", "go_live_at", "created_by", "last_edited_by"]
    list_filter = [ReviewFilter, "state", "issuer", "topics"]
    list_select_related = ["issuer", "created_by", "last_edited_by"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "first_published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuer", "topics", "publications"]
    readonly_fields = [
        "state",
        "go_live_at",
        "first_published_at",
        "withdrawn_at",
        "withdrawal_reason",
        "version",
        "created_by",
        "last_edited_by",
        "created_at",
        "updated_at",
    ]
    inlines = [
        ReleaseContactInline,
        ReleaseLinkInline,
        ReleaseImageInline,
        CorrectionInline,
        PreviewLinkInline,
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {"fields": ["issuer", "title", "slug", "dateline", "lead", "body", "background"]},
            ),
            (_("Filing"), {"fields": ["topics", "publications"]}),
        ]
        if obj is not None and obj.state == State.APPROVED:
            fieldsets.append((_("Correction"), {"fields": ["change_note", "minor_edit"]}))
        fieldsets.append(
            (
                _("Publication"),
                {
                    "fields": [
                        "state",
                        "go_live_at",
                        "first_published_at",
                        "withdrawn_at",
                        "withdrawal_reason",
                    ]
                },
            )
        )
        fieldsets.append(
            (
                _("History"),
                {
                    "fields": [
                        "opened_version",
                        "version",
                        "created_by",
                        "last_edited_by",
                        "created_at",
                        "updated_at",
                    ]
                },
            )
        )
        return fieldsets

    def get_inlines(self, request, obj):
        inlines = list(self.inlines)
        if obj is None or not request.user.has_perm("releases.view_previewlink"):
            inlines.remove(PreviewLinkInline)
        return inlines

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        if obj.state == State.APPROVED and obj.go_live_at and obj.go_live_at > timezone.now():
            return _("Scheduled")
        if obj.is_live:
            return _("Live")
        return obj.get_state_display()

    # Permissions: approved releases are changed only by those who may correct them; a withdrawn
    # release is a closed record; anything that was ever public is never deleted.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if obj.state == State.WITHDRAWN:
            return False
        if obj.state == State.APPROVED:
            return request.user.has_perm("releases.correct_release")
        return True

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (obj.state in {State.DRAFT, State.IN_REVIEW} and not obj.was_public)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        release = form.instance
        revisions.record(release, request.user)
        workflow.record_save(release, request.user)
        note = (form.cleaned_data.get("change_note") or "").strip()
        if change and note and release.is_live:
            workflow.take(release.pk, "correct", request.user, comment=note)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_actions"] = workflow.available(obj, request.user)
            context["workflow_events"] = obj.events.select_related("actor")[:20]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                wrap(require_POST(self.transition_view)),
                name="releases_release_transition",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name="releases_release_preview"),
            path(
                "<int:pk>/revisions/", wrap(self.revisions_view), name="releases_release_revisions"
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(require_POST(self.restore_view)),
                name="releases_release_restore",
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        return release

    def transition_view(self, request, pk, name):
        release = self._release_or_404(request, pk)
        if name not in workflow.TRANSITIONS:
            raise Http404
        go_live_at = None
        if workflow.TRANSITIONS[name].sets_go_live:
            field = forms.SplitDateTimeField(required=False)
            try:
                go_live_at = field.clean(
                    [request.POST.get("go_live_at_0", ""), request.POST.get("go_live_at_1", "")]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(self._change_url(release))
        try:
            workflow.take(
                release.pk,
                name,
                request.user,
                comment=request.POST.get("comment", ""),
                go_live_at=go_live_at,
                notify_subscribers=bool(request.POST.get("notify_subscribers")),
            )
        except workflow.TransitionRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": workflow.TRANSITIONS[name].label},
            )
        return HttpResponseRedirect(self._change_url(release))

    def preview_view(self, request, pk):
        self._release_or_404(request, pk)
        release = with_page_relations(Release.objects.filter(pk=pk)).get()
        embargo = release.go_live_at if release.go_live_at and not release.is_live else None
        return render_release(request, release, preview="staff", embargoed_until=embargo)

    def revisions_view(self, request, pk):
        release = self._release_or_404(request, pk)
        history = list(release.revisions.select_related("author"))
        numbers = {revision.number: revision for revision in history}
        changes = None
        old_number, new_number = request.GET.get("old"), request.GET.get("new")
        if old_number and new_number:
            try:
                old, new = numbers[int(old_number)], numbers[int(new_number)]
            except (KeyError, ValueError) as missing:
                raise Http404 from missing
            changes = revisions.compare(old.snapshot, new.snapshot)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Versions of “%(title)s”") % {"title": release.title},
            "release": release,
            "revisions": history,
            "changes": changes,
            "old": old_number,
            "new": new_number,
            "can_restore": self.has_change_permission(request, release),
        }
        return TemplateResponse(request, "admin/releases/release/revisions.html", context)

    def restore_view(self, request, pk, number):
        release = self._release_or_404(request, pk)
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        revision = get_object_or_404(Revision, release=release, number=number)
        release = revisions.restore(release, revision, request.user)
        workflow.record_save(
            release, request.user, comment=_("Restored version %(number)s") % {"number": number}
        )
        messages.success(
            request,
            _("Version %(number)s restored as version %(new)s.")
            % {"number": number, "new": release.version},
        )
        return HttpResponseRedirect(self._change_url(release))

    def _change_url(self, release):
        return reverse("admin:releases_release_change", args=[release.pk])


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(admin.ModelAdmin):
    """The audit log, read-only."""

    list_display = ["created_at", "release", "action", "from_state", "to_state", "actor", "forced"]
    list_filter = ["action", "forced"]
    list_select_related = ["release", "actor"]
    search_fields = ["release__title", "comment", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
