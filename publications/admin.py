"""Admin for publications and their series."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Publication, Series


class PublicationInline(admin.TabularInline):
    model = Publication
    fields = ["title", "published_at"]
    readonly_fields = ["title", "published_at"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PublicationInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "issuer", "published_at", "type_label", "size"]
    list_filter = ["series", "issuer"]
    list_select_related = ["series", "issuer"]
    search_fields = ["title", "description", "series__title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series", "issuer"]
    readonly_fields = ["mime_type", "size"]
    fields = [
        "title",
        "slug",
        "series",
        "issuer",
        "description",
        "file",
        ("mime_type", "size"),
        "page_count",
        "cover",
        "published_at",
    ]

    def has_delete_permission(self, request, obj=None):
        # A publication that was public stays on record (see the pre_delete guard).
        if obj is not None and obj.published_at <= timezone.now():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("type"))
    def type_label(self, obj):
        return obj.type_label

    @admin.display(description=_("size"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "–"
