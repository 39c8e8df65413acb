"""Admin pieces every app shares, and the portal's own settings."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import FooterLink, SiteSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record: viewed in the admin, never added, edited or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GermanSlugAdmin(metaclass=forms.MediaDefiningClass):
    """For admins with a slug prepopulated from a title: German transliteration in the slug
    ("für" -> "fuer", not "fur"; newsroom/admin/german_slug.js runs before Django's URLify),
    and a warning, which blocks nothing, when another object has the same title."""

    title_field = "title"

    class Media:
        # After URLify, which it wraps (listing it here makes the merged media keep the order).
        js = ["admin/js/urlify.js", "newsroom/admin/german_slug.js"]

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        if self.title_field in form.changed_data:
            self.warn_about_same_title(request, obj)
        return obj

    def warn_about_same_title(self, request, obj) -> None:
        title = getattr(obj, self.title_field)
        same = type(obj)._default_manager.filter(**{f"{self.title_field}__iexact": title})
        other = same.exclude(pk=obj.pk).order_by("pk").first() if obj.pk else same.first()
        if title and other is not None:
            url = reverse(
                f"admin:{other._meta.app_label}_{other._meta.model_name}_change", args=[other.pk]
            )
            messages.warning(
                request,
                format_html(
                    _(
                        '“{title}” has the same title as <a href="{url}">an earlier entry</a>: '
                        "is it a duplicate? Saved anyway."
                    ),
                    title=title,
                    url=url,
                ),
            )


class FooterLinkInline(admin.TabularInline):
    model = FooterLink
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["label", "url", "order"]
    extra = 0


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """The portal's one settings row: the list goes straight to it; it is never added twice or
    deleted. Who may change it is who holds the model permission (portal administrators)."""

    fields = ["name", "logo"]
    inlines = [FooterLinkInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row = SiteSettings.objects.first()
        if row is None:
            return HttpResponseRedirect(reverse("admin:newsroom_sitesettings_add"))
        return HttpResponseRedirect(reverse("admin:newsroom_sitesettings_change", args=[row.pk]))
