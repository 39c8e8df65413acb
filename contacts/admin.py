"""Admin for issuers and press contacts."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.translation_admin import TranslationInline

from .models import Contact, OfficeMembership, Organisation, OrganisationTranslation
from .offices import OfficeAdmin


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "role", "phone", "email", "is_active"]
    extra = 0
    show_change_link = True


class OfficeMembershipInline(admin.TabularInline):
    """Who works in the office, in which role: managed by portal administrators."""

    model = OfficeMembership
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("member of the press office")
    verbose_name_plural = _("press office")


# An office's identity (its names and address on the web) is the portal's decision: a lead who
# could rename their office could publish, with their own approval, as another body.
IDENTITY_FIELDS = ["name", "short_name", "slug"]


def may_name_offices(user) -> bool:
    return user.has_perm("contacts.add_organisation")


class OrganisationTranslationInline(TranslationInline):
    model = OrganisationTranslation
    fields = ["language", "name", "directions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_name_offices(request.user):
            readonly += ["name"]
        return readonly


@admin.register(Organisation)
class OrganisationAdmin(OfficeAdmin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "short_name", "city", "press_email", "always_public"]
    list_filter = ["always_public"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationTranslationInline, ContactInline, OfficeMembershipInline]
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
        (_("Press office"), {"fields": ["parent", "reviewed_by_parent"]}),
    ]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        match = request.resolver_match
        choosing = match and match.url_name == "autocomplete"
        if choosing and request.GET.get("field_name") not in self.office_fields:
            # Naming another office (a co-issuer, a parent office): every office is offered.
            return super(OfficeAdmin, self).get_queryset(request)
        return super().get_queryset(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Who the office is and who reviews whom are the portal's decisions, not the office's.
        if not may_name_offices(request.user):
            readonly += [*IDENTITY_FIELDS, "parent", "reviewed_by_parent"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if not may_name_offices(request.user):
            return {}  # the slug is read-only: nothing to fill in
        return super().get_prepopulated_fields(request, obj)


@admin.register(Contact)
class ContactAdmin(OfficeAdmin, admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "phone", "email", "is_active"]
    list_filter = ["is_active", ("organisation", admin.RelatedOnlyFieldListFilter)]
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
