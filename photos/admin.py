"""The media library in the admin: an office's photos, found by text, office, topic, date, licence,
rights and use; each with its preview and focus point, its text in every language, and the
releases and appointments that show it.

A photo is chosen on a release or an appointment through `PhotoInline` (an autocomplete that offers
only the photos of the user's offices). A photo in use is never deleted (its uses PROTECT it), and
a photo whose rights run out soon or have run out is named on its own page and on every page of
content that uses it.
"""

import datetime

from django.contrib import admin, messages
from django.db.models import PROTECT, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.offices import OfficeAdmin, offices_with, scope

from .forms import PhotoForm, translation_fields
from .models import Licence, Photo

# The licences as a narrow list column says them.
LICENCE_SHORT = {
    Licence.EDITORIAL: _("editorial use"),
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC0: "CC0 1.0",
    Licence.ALL_RIGHTS_RESERVED: _("all rights reserved"),
}
# How long before the rights end the admin starts to warn.
RIGHTS_WARNING_DAYS = 30
CHANGE_PERMISSION = "photos.change_photo"


# --- what uses a photo ---------------------------------------------------------------------------


def use_relations() -> list:
    """The relations by which content shows a photo (a release's or appointment's image rows):
    those that keep a photo from being deleted. `photos` imports none of those apps."""
    return [rel for rel in Photo._meta.related_objects if rel.on_delete is PROTECT]


def _owner_field(rel):
    """The image row's foreign key to what shows the photo (`release`, `appointment`)."""
    return next(
        field
        for field in rel.related_model._meta.concrete_fields
        if field.many_to_one and field is not rel.field
    )


def uses_of(photo: Photo) -> list:
    """The releases and appointments that show `photo`, in the order of their relations."""
    found = []
    for rel in use_relations():
        owner = _owner_field(rel)
        rows = rel.related_model._default_manager.filter(**{rel.field.name: photo})
        found += [getattr(row, owner.name) for row in rows.select_related(owner.name)]
    return found


def with_use_count(queryset):
    """`queryset` with `use_count`: how many releases and appointments show each photo (one
    subquery per kind of use, so that the counts do not multiply)."""
    total = Value(0)
    for rel in use_relations():
        rows = (
            rel.related_model._default_manager.filter(**{rel.field.name: OuterRef("pk")})
            .order_by()
            .values(rel.field.name)
            .annotate(count=Count("pk"))
            .values("count")
        )
        total += Coalesce(Subquery(rows, output_field=IntegerField()), 0)
    return queryset.annotate(use_count=total)


def in_use() -> Q:
    used = Q(pk__in=[])
    for rel in use_relations():
        used |= Q(pk__in=rel.related_model._default_manager.values(rel.field.name))
    return used


def usable_photos(user):
    """The photos `user` may put on their releases and appointments: their offices' own."""
    return scope(Photo.objects.all(), user, CHANGE_PERMISSION)


# --- rights ------------------------------------------------------------------------------------


def rights_problem(photo: Photo, today: datetime.date | None = None) -> str:
    """Why the admin warns about `photo`'s rights ("" if it need not)."""
    if photo.rights_until is None:
        return ""
    today = today or timezone.localdate()
    day = date_format(photo.rights_until, "SHORT_DATE_FORMAT")
    if photo.rights_until < today:
        return _(
            "The rights to the photo “%(photo)s” ended on %(day)s: no public page shows it any "
            "more."
        ) % {"photo": photo, "day": day}
    left = (photo.rights_until - today).days
    if left <= RIGHTS_WARNING_DAYS:
        return ngettext(
            "The rights to the photo “%(photo)s” end on %(day)s, in %(left)d day: then it "
            "leaves every public page.",
            "The rights to the photo “%(photo)s” end on %(day)s, in %(left)d days: then it "
            "leaves every public page.",
            left,
        ) % {"photo": photo, "day": day, "left": left}
    return ""


def warn_about_rights(request, photos) -> None:
    """A warning on the page for each photo whose rights have ended or end soon."""
    for photo in photos:
        problem = rights_problem(photo)
        if problem:
            messages.warning(request, problem)


# --- pictures ------------------------------------------------------------------------------------


def processing_state(photo: Photo) -> str:
    """What stands in for a photo without renditions."""
    made = photo.renditions or {}
    if made.get("error") and made.get("source") == photo.file.name:
        return _("could not be processed: %(error)s") % {"error": made["error"]}
    return _("being processed")


def thumbnail(photo: Photo | None, width: int = 480):
    """The narrowest rendition at least as wide as shown (the 480 px JPEG), or the state."""
    if photo is None or not photo.pk:
        return "–"
    widths = photo.rendition_widths
    if not widths:
        return format_html('<span class="photo-thumb__state">{}</span>', processing_state(photo))
    entry = next((entry for entry in widths if entry["width"] >= width), widths[-1])
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="photo-thumb" loading="lazy">',
        entry["jpeg_url"],
        entry["width"],
        entry["height"],
        photo.alt_text,
    )


# --- the list's filters ------------------------------------------------------------------------


class RightsFilter(admin.SimpleListFilter):
    title = _("rights")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("valid for more than %(days)d days") % {"days": RIGHTS_WARNING_DAYS}),
            ("expiring", _("ending within %(days)d days") % {"days": RIGHTS_WARNING_DAYS}),
            ("expired", _("expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=RIGHTS_WARNING_DAYS)
        if self.value() == "valid":
            return queryset.filter(Q(rights_until__isnull=True) | Q(rights_until__gt=soon))
        if self.value() == "expiring":
            return queryset.filter(rights_until__gte=today, rights_until__lte=soon)
        if self.value() == "expired":
            return queryset.filter(rights_until__lt=today)
        return queryset


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("unused")), ("used", _("in use"))]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.exclude(in_use())
        if self.value() == "used":
            return queryset.filter(in_use())
        return queryset


# Filters that apps using photos add (`releases` adds the topics of what uses a photo).
extra_list_filters: list = []


def register_list_filter(list_filter) -> None:
    if list_filter not in extra_list_filters:
        extra_list_filters.append(list_filter)


# --- the admin -----------------------------------------------------------------------------------


@admin.register(Photo)
class PhotoAdmin(OfficeAdmin, admin.ModelAdmin):
    form = PhotoForm
    change_form_template = "admin/photos/photo/change_form.html"
    office_fields = ("office",)
    list_display = [
        "thumbnail",
        "caption_or_name",
        "credit",
        "licence_short",
        "office_short",
        "rights",
        "use_count",
        "uploaded",
    ]
    list_display_links = ["thumbnail", "caption_or_name"]
    list_select_related = ["office"]
    list_per_page = 50
    search_fields = [
        "caption",
        "alt_text",
        "credit",
        "translations__caption",
        "translations__alt_text",
    ]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "uploaded_at", "uploaded_by", "size"]

    class Media:
        css = {"all": ["photos/media-library.css"]}
        js = ["photos/focus-point.js"]

    def view_on_site(self, obj):
        # The photo's page answers only while the photo is public.
        return obj.get_absolute_url() if Photo.objects.public().filter(pk=obj.pk).exists() else None

    def get_list_display(self, request):
        # One office's library needs no office column (room for the rights and the use).
        offices = offices_with(request.user, "photos.view_photo")
        if offices is not None and len(offices) == 1:
            return [name for name in self.list_display if name != "office_short"]
        return self.list_display

    def get_list_filter(self, request):
        return [
            ("office", admin.RelatedOnlyFieldListFilter),
            *extra_list_filters,
            "licence",
            RightsFilter,
            UseFilter,
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["office", "file", "preview", ("focus_x", "focus_y")]}),
            (
                _("Text"),
                {"fields": ["alt_text", "is_decorative", "caption", "credit"]},
            ),
            (_("Rights"), {"fields": ["licence", "rights_until"]}),
        ]
        if translation_fields():
            fieldsets.append((_("Translations"), {"fields": translation_fields()}))
        if obj is not None:
            fieldsets.append((_("Upload"), {"fields": ["size", "uploaded_at", "uploaded_by"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        # A photo in use stays with its office: the releases showing it are that office's.
        if obj is not None and Photo.objects.filter(in_use(), pk=obj.pk).exists():
            readonly.append("office")
        return readonly

    def get_queryset(self, request):
        return with_use_count(super().get_queryset(request))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        offices = list(self.office_choices(request).values_list("pk", flat=True)[:2])
        if len(offices) == 1:
            initial.setdefault("office", offices[0])
        return initial

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # Choosing a photo for a release or appointment: only the user's offices' own (a
            # co-issuer may look at a joint release's photos, not reuse them).
            queryset = queryset.filter(pk__in=usable_photos(request.user).values("pk"))
        return queryset, duplicates

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        form.save_translations()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            photo = self.get_object(request, object_id)
            if photo is not None and self.has_view_or_change_permission(request, photo):
                warn_about_rights(request, [photo])
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, object_id)
        if photo is not None and self.has_delete_permission(request, photo):
            count = len(uses_of(photo))
            if count:
                messages.error(request, self.in_use_message(photo, count))
                return HttpResponseRedirect(reverse("admin:photos_photo_change", args=[photo.pk]))
        return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def in_use_message(photo, count) -> str:
        return ngettext(
            "The photo “%(photo)s” is shown by %(count)d release or appointment: remove it "
            "there first. It is not deleted.",
            "The photo “%(photo)s” is shown by %(count)d releases or appointments: remove it "
            "there first. It is not deleted.",
            count,
        ) % {"photo": photo, "count": count}

    def get_deleted_objects(self, objs, request):
        """A photo in use is refused (PROTECT) by what shows it, named as the office knows it:
        the release or appointment, not its image row."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [
                self.use_link(request, owner) for photo in objs for owner in uses_of(photo)
            ]
        return deleted, counts, perms_needed, protected

    def use_link(self, request, owner):
        """`owner` (a release, an appointment) named with its kind, linked to its admin page
        when the user may see it there; another office's only by its kind."""
        opts = owner._meta
        kind = capfirst(opts.verbose_name)
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}", owner):
            return format_html("{} ({})", kind, _("another office's"))
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[owner.pk])
        except NoReverseMatch:
            return format_html("{}: {}", kind, owner)
        return format_html('{}: <a href="{}">{}</a>', kind, url, owner)

    # --- columns and read-only fields ------------------------------------------------------

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("caption"), ordering="caption")
    def caption_or_name(self, obj):
        return str(obj)

    @admin.display(description=_("licence"), ordering="licence")
    def licence_short(self, obj):
        # The full wording (“free for editorial use in connection with the release”) on hover.
        return format_html(
            '<abbr title="{}">{}</abbr>',
            obj.get_licence_display(),
            LICENCE_SHORT.get(obj.licence, obj.licence),
        )

    @admin.display(description=_("uploaded"), ordering="uploaded_at")
    def uploaded(self, obj):
        return date_format(timezone.localtime(obj.uploaded_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("press office"), ordering="office__name")
    def office_short(self, obj):
        office = obj.office
        if not office.short_name:
            return office.name
        return format_html('<abbr title="{}">{}</abbr>', office.name, office.short_name)

    @admin.display(description=_("rights until"), ordering="rights_until")
    def rights(self, obj):
        if obj.rights_until is None:
            return _("unlimited")
        day = date_format(obj.rights_until, "SHORT_DATE_FORMAT")
        today = timezone.localdate()
        if obj.rights_until < today:
            return format_html(
                '<strong class="photo-rights photo-rights--expired">{} ({})</strong>',
                day,
                _("expired"),
            )
        if obj.rights_until <= today + datetime.timedelta(days=RIGHTS_WARNING_DAYS):
            return format_html(
                '<strong class="photo-rights photo-rights--expiring">{} ({})</strong>',
                day,
                _("ends soon"),
            )
        return day

    @admin.display(description=_("used by"), ordering="use_count")
    def use_count(self, obj):
        return getattr(obj, "use_count", 0)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """The photo at 960 px with its focus point (focus-point.js moves the mark with the
        fields and sets them on a click)."""
        if obj is None or not obj.pk:
            return _("appears after saving")
        widths = obj.rendition_widths
        if not widths:
            return format_html('<p class="photo-thumb__state">{}</p>', processing_state(obj))
        entry = next((e for e in widths if e["width"] >= 960), widths[-1])
        return format_html(
            '<div class="photo-preview" data-focus-preview>'
            '<img src="{src}" width="{width}" height="{height}" alt="{alt}">'
            '<span class="photo-preview__focus" style="left: {x}%; top: {y}%" '
            'title="{title}"></span></div>'
            '<p class="help">{help} <a href="{original}">{original_label}</a> ({w} × {h} px)</p>',
            src=entry["jpeg_url"],
            width=entry["width"],
            height=entry["height"],
            alt=obj.alt_text,
            x=obj.focus_x,
            y=obj.focus_y,
            title=_("focus point"),
            help=_("The mark is the focus point: crops keep it in the picture. Click to move it."),
            original=obj.file.url,
            original_label=_("the uploaded original"),
            w=obj.width,
            h=obj.height,
        )

    @admin.display(description=_("size"))
    def size(self, obj):
        return f"{obj.width} × {obj.height} px" if obj and obj.pk else "–"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # What shows the photo, linked where the user may open it (the template lists it).
            context["photo_uses"] = [self.use_link(request, owner) for owner in uses_of(obj)]
        return super().render_change_form(request, context, add, change, form_url, obj)


class PhotoInline:
    """A mixin for the inline of a release's or appointment's photos (`…Image` rows): the photo
    chosen by an autocomplete of the user's offices' photos (with "+" to upload one), shown as a
    thumbnail. A crafted POST naming another office's photo is refused by the form."""

    fields = ["thumbnail", "photo", "order"]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["photo"]
    extra = 0

    class Media:
        css = {"all": ["photos/media-library.css"]}

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return thumbnail(obj.photo if obj and obj.photo_id else None)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo" and hasattr(formfield.widget, "can_delete_related"):
            # The photo is in use right here: deleting it from the library is no choice.
            formfield.widget.can_delete_related = False
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        choices = Q(pk__in=usable_photos(request.user).values("pk"))
        if obj is not None and obj.pk:
            # What is on it already stays choosable (put there by someone of another office).
            choices |= Q(pk__in=obj.images.values("photo"))
        photos = Photo.objects.filter(choices)

        class ScopedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "photo" in form.fields:
                    form.fields["photo"].queryset = photos

            def clean(self):
                super().clean()
                # A photo is published by the office it belongs to: a release or appointment
                # shows only its own offices' photos (`photo_offices`), not those of another
                # office its author happens to belong to too.
                offices = self.instance.photo_offices()
                for form in self.forms:
                    photo = getattr(form, "cleaned_data", {}).get("photo")
                    if photo is None or "photo" not in form.changed_data:
                        continue
                    if photo.office_id not in offices:
                        form.add_error(
                            "photo",
                            _(
                                "This photo belongs to %(office)s. Choose a photo of the issuing "
                                "office, or upload it to its media library."
                            )
                            % {"office": photo.office},
                        )

        return ScopedFormSet
