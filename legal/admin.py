"""Legal pages in the admin: portal administrators edit the three pages (German and English
side by side), see every version, and read and close feedback on accessibility."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Feedback, LegalPage, LegalPageRevision

STATEMENT_FIELDS = (
    "compliance",
    "non_accessible_de",
    "non_accessible_en",
    "prepared_on",
    "reviewed_on",
    "contact_email",
    "enforcement_name",
    "enforcement_url",
)


class RevisionInline(admin.TabularInline):
    model = LegalPageRevision
    fields = ("number", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("versions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title_de", "updated_at", "updated_by")
    readonly_fields = ("kind", "updated_at", "updated_by")
    inlines = [RevisionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("kind", "updated_at", "updated_by")}),
            (_("German"), {"fields": ("title_de", "body_de")}),
            (_("English"), {"fields": ("title_en", "body_en")}),
        ]
        if obj is not None and obj.is_accessibility_statement:
            fieldsets.append(
                (
                    _("Parts of the accessibility statement (BITV 2.0)"),
                    {
                        "fields": STATEMENT_FIELDS,
                    },
                )
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user  # the version records who saved it
        super().save_model(request, obj, form, change)

    # Three fixed pages, made by the migration: none added, none deleted.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalPageRevision)
class LegalPageRevisionAdmin(admin.ModelAdmin):
    list_display = ("page", "number", "created_at", "created_by")
    list_filter = ("page",)
    fields = ("page", "number", "created_at", "created_by", "content")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "short_message", "email", "emailed_at", "handled_at")
    list_filter = (("handled_at", admin.EmptyFieldListFilter),)
    search_fields = ("message", "email", "name", "page_address")
    readonly_fields = (
        "message",
        "page_address",
        "name",
        "email",
        "language",
        "created_at",
        "emailed_at",
    )
    actions = ["mark_handled"]

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return obj.message[:80]

    @admin.action(description=_("Mark the selected feedback as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.filter(handled_at__isnull=True).update(handled_at=timezone.now())
        self.message_user(request, _("%(count)d marked as handled.") % {"count": count})

    def has_add_permission(self, request):
        return False
