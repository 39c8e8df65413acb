"""Admin for issuers and press contacts."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Contact, Organisation


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "role", "phone", "email", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "short_name", "city", "press_email", "always_public"]
    list_filter = ["always_public"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "logo", "always_public"]}),
        (
            _("Address and reachability"),
            {
                "fields": [
                    "street_address",
                    ("postcode", "city"),
                    ("phone", "fax"),
                    "press_email",
                    "website",
                    "directions",
                ]
            },
        ),
        (_("Legal notice"), {"fields": ["legal_notice"]}),
    ]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "phone", "email", "is_active"]
    list_filter = ["is_active", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "role", "email", "organisation__name", "organisation__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "stand_in"]
    fields = [
        "organisation",
        "name",
        "slug",
        "role",
        ("phone", "fax"),
        "email",
        "photo",
        "stand_in",
        "is_active",
    ]
