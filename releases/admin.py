"""Admin for press releases: ordered contacts, links and images inline, CKEditor for text."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Correction, Release, ReleaseContact, ReleaseImage, ReleaseLink, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReleaseContactInline(admin.TabularInline):
    model = ReleaseContact
    autocomplete_fields = ["contact"]
    fields = ["contact", "order"]
    extra = 0


class ReleaseLinkInline(admin.TabularInline):
    model = ReleaseLink
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["title", "url", "order"]
    extra = 0


class ReleaseImageInline(admin.StackedInline):
    model = ReleaseImage
    fields = ["file", "alt_text", "is_decorative", "caption", "credit", "order"]
    extra = 0


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["note", "created_at"]
    extra = 0


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "issuer",
        "state",
        "go_live_at",
        "first_published_at",
        "last_edited_by",
    ]
    list_filter = ["state", "issuer", "topics"]
    list_select_related = ["issuer", "last_edited_by"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "first_published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuer", "topics", "publications"]
    readonly_fields = ["version", "created_by", "last_edited_by", "created_at", "updated_at"]
    inlines = [ReleaseContactInline, ReleaseLinkInline, ReleaseImageInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["issuer", "title", "slug", "dateline", "lead", "body", "background"]}),
        (_("Filing"), {"fields": ["topics", "publications"]}),
        (
            _("Publication"),
            {"fields": ["state", "go_live_at", "first_published_at"]},
        ),
        (
            _("Withdrawal"),
            {"fields": ["withdrawn_at", "withdrawal_reason"], "classes": ["collapse"]},
        ),
        (
            _("History"),
            {"fields": ["version", "created_by", "last_edited_by", "created_at", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.version += 1
        obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)
