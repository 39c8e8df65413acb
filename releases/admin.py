"""Admin for press releases: the editing form, the workflow buttons, previews and revisions.

State, go-live and withdrawal fields are never edited directly: they change only through the
transitions in `releases.workflow`, which check the role on the server.
"""

from urllib.parse import quote

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.offices import OfficeAdmin, OfficeInline, scope
from newsroom.admin import GermanSlugAdmin, ReadOnlyAdmin
from newsroom.links import absolute_url
from newsroom.translation_admin import TranslationInline
from newsroom.translations import translation_languages
from photos.admin import PhotoInline, register_list_filter, warn_about_rights
from photos.models import Photo

from . import editing, workflow
from .admin_views import ReleaseAdminViews
from .forms import (
    FILING_FIELDS,
    PREVIEW_LINK_DEFAULT_AFTER,
    TEXT_FIELDS,
    LiveEditFormSet,
    PreviewLinkForm,
    ReleaseForm,
    ReleaseTranslationForm,
    ReleaseTranslationFormSet,
)
from .models import (
    Correction,
    PreviewLink,
    Release,
    ReleaseContact,
    ReleaseEvent,
    ReleaseImage,
    ReleaseLink,
    ReleaseTranslation,
    State,
    Topic,
    TopicTranslation,
)
from .views import embargo_time


class TopicTranslationInline(TranslationInline):
    model = TopicTranslation
    fields = ["language", "name"]


@admin.register(Topic)
class TopicAdmin(GermanSlugAdmin, admin.ModelAdmin):
    title_field = "name"
    list_display = ["name", "slug", "always_public"]
    list_filter = ["always_public"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicTranslationInline]


class ReleaseTranslationInline(TranslationInline):
    """The release's text in another language, shown right under the German text (see the
    change form) and saved with it as one edit: it is part of the version a lead approves."""

    model = ReleaseTranslation
    form = ReleaseTranslationForm
    formset = ReleaseTranslationFormSet
    fields = ["language", "title", "lead", "body", "background"]
    # The change form puts this inline beside the German text, not among the attachments.
    beside_text = True


class ReleaseContactInline(OfficeInline, admin.TabularInline):
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


class ReleaseImageInline(PhotoInline, OfficeInline, admin.TabularInline):
    """The release's gallery: photos of the media library, in order (part of its version)."""

    model = ReleaseImage
    formset = LiveEditFormSet


class PhotoTopicFilter(admin.SimpleListFilter):
    """The media library by the topics of the releases and appointments that show a photo
    (`photos` knows no topics; this app adds the filter, appointments add their path)."""

    title = _("topic")
    parameter_name = "topic"
    # From a photo to the topics of what shows it.
    paths = ["release_images__release__topics"]

    def lookups(self, request, model_admin):
        return list(Topic.objects.order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        try:
            topic = int(self.value() or 0)
        except ValueError:
            return queryset.none()
        if not topic:
            return queryset
        shown = models.Q(pk__in=[])
        for path in self.paths:
            shown |= models.Q(pk__in=Photo.objects.filter(**{path: topic}).values("pk"))
        return queryset.filter(shown)


register_list_filter(PhotoTopicFilter)


class CorrectionInline(OfficeInline, admin.TabularInline):
    """Corrections are published through the change note or the workflow, never edited."""

    model = Correction
    fields = ["created_at", "note"]
    readonly_fields = ["created_at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PreviewLinkInline(OfficeInline, admin.TabularInline):
    model = PreviewLink
    form = PreviewLinkForm
    fields = ["label", "expires_at", "link", "status", "access_count", "revoke"]
    readonly_fields = ["link", "status", "access_count"]
    extra = 0
    can_delete = False
    verbose_name = _("embargo preview link")
    verbose_name_plural = _("embargo preview links")

    def get_queryset(self, request):
        links = super().get_queryset(request).select_related("release")
        return links.annotate(num_accesses=models.Count("accesses"))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        go_live = obj.go_live_at if obj is not None else None
        if go_live is not None and go_live > timezone.now():
            # A new link holds until a while after the embargo lifts, not a week from today
            # (which may be before it). The form class is this request's own.
            formset.form.base_fields["expires_at"].initial = go_live + PREVIEW_LINK_DEFAULT_AFTER
        return formset

    @admin.display(description=_("link"))
    def link(self, obj):
        """The whole address to pass on, a copy button (releases/preview-link.js) and a mail."""
        if not obj.pk:
            return _("appears after saving")
        url = absolute_url(obj.get_absolute_url())
        subject = _("Embargoed: %(title)s") % {"title": obj.release.title}
        body = f"{_('The press release under embargo, for you alone:')}\n{url}\n"
        if obj.release.go_live_at:
            when = embargo_time(obj.release.go_live_at)
            body += "\n" + _("Embargoed until %(when)s") % {"when": when}
        mailto = f"mailto:?subject={quote(subject)}&body={quote(body)}"
        return format_html(
            '<input type="text" readonly value="{url}" id="preview-link-{pk}" '
            'class="preview-link__url" aria-label="{label}"> '
            '<button type="button" class="button preview-link__copy" hidden '
            'data-copy-from="preview-link-{pk}" data-copied="{copied}">{copy}</button> '
            '<span class="preview-link__copied" role="status"></span> '
            '<a href="{mailto}" class="preview-link__mail">{mail}</a>',
            url=url,
            pk=obj.pk,
            label=_("preview link"),
            copied=_("Copied."),
            copy=_("Copy link"),
            mailto=mailto,
            mail=_("Send by e-mail"),
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


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("mine", _("Waiting for my review")),
            ("overdue", _("Alerts and pings overdue")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(state=State.IN_REVIEW).exclude(last_edited_by=request.user)
        if self.value() == "overdue":
            return queryset.side_effects_overdue()
        return queryset


@admin.register(Release)
class ReleaseAdmin(OfficeAdmin, ReleaseAdminViews, GermanSlugAdmin, admin.ModelAdmin):
    form = ReleaseForm
    change_form_template = "admin/releases/release/change_form.html"
    voided_message = _("The approval was voided: the release is back in review and not scheduled.")
    # Narrow columns, so that state, go-live and author fit a 1280 px screen beside the filters.
    list_display = ["title", "issuer_short", "state_label", "go_live_short", "created_by"]
    list_display_links = ["title"]
    list_filter = [ReviewFilter, "state", ("issuer", admin.RelatedOnlyFieldListFilter), "topics"]
    list_select_related = ["issuer", "created_by", "last_edited_by"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "first_published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuer", "co_issuers", "topics", "publications"]
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
        ReleaseTranslationInline,
        ReleaseContactInline,
        ReleaseLinkInline,
        ReleaseImageInline,
        CorrectionInline,
        PreviewLinkInline,
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": list(TEXT_FIELDS)}),
            (_("Filing"), {"fields": list(FILING_FIELDS)}),
        ]
        consequence = editing.consequence(obj) if obj is not None else ""
        if consequence == "correct":
            fieldsets.append(
                (
                    _("Correction"),
                    {
                        "fields": ["change_note", "notify_subscribers", "confirm"],
                        "description": _(
                            "This release is public. Every change is published at once as a "
                            "correction, with the public change note."
                        ),
                    },
                )
            )
        elif consequence == "void":
            fieldsets.append(
                (
                    _("Approval"),
                    {
                        "fields": ["confirm"],
                        "description": _(
                            "This release is approved for publication. Changing it voids the "
                            "approval: it goes back to review and must be approved again."
                        ),
                    },
                )
            )
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
        if obj is None or not request.user.has_perm("releases.view_previewlink", obj):
            inlines.remove(PreviewLinkInline)
        return inlines

    def changelist_view(self, request, extra_context=None):
        overdue = scope(
            Release.objects.side_effects_overdue(), request.user, "releases.view_release"
        ).count()
        if overdue:
            messages.warning(
                request,
                ngettext(
                    "%(count)d live release has not had its alerts and feed pings yet: is the "
                    "task worker running? “manage.py publish_due” sends them.",
                    "%(count)d live releases have not had their alerts and feed pings yet: is "
                    "the task worker running? “manage.py publish_due” sends them.",
                    overdue,
                )
                % {"count": overdue},
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        return obj.status_label

    @admin.display(description=_("issuer"), ordering="issuer__name")
    def issuer_short(self, obj):
        # The short name ("SMWA"), with the full name on hover and for screen readers.
        issuer = obj.issuer
        if not issuer.short_name:
            return issuer.name
        return format_html('<abbr title="{}">{}</abbr>', issuer.name, issuer.short_name)

    @admin.display(description=_("online from"), ordering="go_live_at")
    def go_live_short(self, obj):
        if obj.go_live_at is None:
            return "–"
        return date_format(timezone.localtime(obj.go_live_at), "SHORT_DATETIME_FORMAT")

    def is_content_formset(self, formset) -> bool:
        # Preview links are no content: saving one is no new version.
        return formset.model is not PreviewLink

    def save_formset(self, request, form, formset, change):
        if formset.model is PreviewLink:
            for link in formset.save(commit=False):
                if link.pk is None:
                    link.created_by = request.user
                link.save()
            return
        super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            release = self.get_object(request, object_id)
            if release is not None and self.has_view_or_change_permission(request, release):
                warn_about_rights(request, Photo.objects.filter(release_images__release=release))
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["side_effects_overdue"] = obj.side_effects_overdue
            context["workflow_actions"] = workflow.available(obj, request.user)
            context["workflow_events"] = obj.events.select_related("actor")[:20]
        context["translation_languages"] = translation_languages()
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(OfficeAdmin, ReadOnlyAdmin):
    """The audit log, read-only."""

    list_display = ["created_at", "release", "action", "from_state", "to_state", "actor", "forced"]
    list_filter = ["action", "forced"]
    list_select_related = ["release", "actor"]
    search_fields = ["release__title", "comment", "actor__username"]
    date_hierarchy = "created_at"
