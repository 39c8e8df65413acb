"""Admin for publications and their series."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from contacts.offices import OfficeAdmin, scope
from newsroom.admin import GermanSlugAdmin
from newsroom.translation_admin import TranslationInline

from .documents import LABELS_BY_MIME_TYPE
from .models import PUBLISH_PERMISSION, Publication, PublicationTranslation, Series


class PublicationInline(admin.TabularInline):
    model = Publication
    fields = ["title", "published_at"]
    readonly_fields = ["title", "published_at"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Every office sees a series; each sees only its own documents in it.
        publications = super().get_queryset(request)
        return scope(publications, request.user, "publications.view_publication")


@admin.register(Series)
class SeriesAdmin(OfficeAdmin, GermanSlugAdmin, admin.ModelAdmin):
    list_display = ["title", "slug", "always_public"]
    list_filter = ["always_public"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PublicationInline]

    def has_view_permission(self, request, obj=None):
        # Every office sees (and files into) every series; changing one takes every office
        # that publishes in it (releases.apps registers its offices).
        return super().has_view_permission(request)


class PublicationForm(forms.ModelForm):
    """Checks, with the instance as it would be saved, what only a press lead may do."""

    user = None  # set by PublicationAdmin.get_form

    class Meta:
        model = Publication
        fields = ["title", "slug", "series", "issuer", "description", "file", "page_count"]
        fields += ["cover", "published_at", "stands_alone"]

    def _post_clean(self):
        super()._post_clean()
        if self.user is None or self.user.has_perm(PUBLISH_PERMISSION, self.instance):
            return
        for field, reason in self.instance.publishing_changes().items():
            # A field shown read-only is not in the form: the reason goes on top of it.
            self.add_error(field if field in self.fields else None, reason)


class PublicationTranslationInline(TranslationInline):
    model = PublicationTranslation
    fields = ["language", "title", "description"]


@admin.register(Publication)
class PublicationAdmin(OfficeAdmin, GermanSlugAdmin, admin.ModelAdmin):
    """Officers write publications that go public with their press release; only leads set a
    date, and only leads replace the file of a publication that is or was public."""

    form = PublicationForm
    list_display = ["title", "series", "issuer", "date", "visibility", "type_label", "size"]
    list_filter = ["series", ("issuer", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["series", "issuer"]
    search_fields = ["title", "description", "series__title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series", "issuer"]
    inlines = [PublicationTranslationInline]

    def get_fields(self, request, obj=None):
        publish = request.user.has_perm(PUBLISH_PERMISSION, obj)
        return [
            "title",
            "slug",
            "series",
            "issuer",
            "description",
            "file",
            ("mime_type", "size"),
            "sha256",
            "page_count",
            "cover",
            "published_at" if publish else "date",
            "stands_alone",
            "visibility",
            "earlier_files",
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["mime_type", "size", "sha256", "date", "visibility", "earlier_files"]
        if not request.user.has_perm(PUBLISH_PERMISSION, obj):
            readonly.append("stands_alone")
        # An officer is not offered to replace a public file. One who sends a file all the same
        # (the publication went public while they wrote) gets the form back with the reason.
        if (
            obj is not None
            and "file" not in request.FILES
            and not request.user.has_perm(PUBLISH_PERMISSION, obj)
            and obj.has_been_public
        ):
            readonly.append("file")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # Made from a release's "+" (a popup), or by an officer: public with its release.
        # A lead adding one to the library publishes it on its own, from now.
        if request.user.has_perm(PUBLISH_PERMISSION) and IS_POPUP_VAR not in request.GET:
            initial.setdefault("published_at", timezone.now())
            initial.setdefault("stands_alone", True)
        return initial

    def get_queryset(self, request):
        public_now = Publication.objects.public().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(public_now=Exists(public_now))

    def save_model(self, request, obj, form, change):
        # The model checks the user once more, and records them with a replaced file.
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A publication that was public stays on record (see the pre_delete guard).
        if obj is not None and obj.has_been_public:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("publication date"), ordering="published_at")
    def date(self, obj):
        if obj.published_at is None:
            return _("with its press release")
        return formats.localize(timezone.localtime(obj.published_at))

    @admin.display(description=_("public now"), boolean=True)
    def visibility(self, obj):
        if obj.pk is None:
            return False
        if hasattr(obj, "public_now"):
            return obj.public_now
        return obj.is_public

    @admin.display(description=_("earlier files"))
    def earlier_files(self, obj):
        """The files this publication had before, newest first: kept for the record."""
        versions = obj.file_versions.select_related("replaced_by") if obj.pk else []
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    formats.localize(timezone.localtime(version.replaced_at)),
                    version.replaced_by or "–",
                    version.sha256 or "–",
                    filesizeformat(version.file_size),
                    LABELS_BY_MIME_TYPE.get(version.mime_type, version.mime_type),
                    _("yes") if version.had_been_public else _("no"),
                    version.file.name,
                )
                for version in versions
            ),
        )
        if not rows:
            return _("none: the file was never replaced")
        head = format_html(
            "<tr>" + "<th>{}</th>" * 7 + "</tr>",
            _("replaced at"),
            _("replaced by"),
            _("SHA-256"),
            _("size"),
            _("type"),
            _("had been public"),
            _("stored as"),
        )
        return format_html("<table>{}{}</table>", head, rows)

    @admin.display(description=_("type"))
    def type_label(self, obj):
        return obj.type_label

    @admin.display(description=_("size"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "–"
