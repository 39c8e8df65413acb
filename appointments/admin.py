"""Admin for appointments and accreditation applications.

As for releases, the workflow fields change only through transitions (`appointments.workflow`)
and every content change goes through `appointments.editing.save_edit`. Applications hold
personal data: only leads see them; they accept or decline with a message, export the door list
as CSV and print it.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.offices import OfficeAdmin, OfficeInline
from newsroom.history_admin import EditForm, HistoryAdmin, RestoreForm
from photos.admin import PhotoInline, warn_about_rights
from photos.models import Photo
from releases.admin import PhotoTopicFilter

from . import accreditation, editing, history, revisions, workflow
from .models import (
    Accreditation,
    ApplicationStatus,
    Appointment,
    AppointmentEvent,
    AppointmentImage,
    Notice,
)
from .views import render_appointment

CONTENT_FIELDS = [
    "issuer",
    "title",
    "slug",
    "kind",
    "starts_at",
    "ends_at",
    "all_day",
    "venue",
    "address",
    "room",
    "online_url",
    "description",
    "press_notes",
    "topics",
    "contacts",
    "releases",
    "requires_accreditation",
    "accreditation_deadline",
    "capacity",
    "retention_days",
]


class AppointmentForm(EditForm):
    editing = editing.EDITING
    change_note_help = _("Shown on the public page when a live appointment changes.")
    stale_message = _(
        "%(who)s saved this appointment after you opened it. Your input is still in the form; "
        "their changes were:"
    )

    class Meta:
        model = Appointment
        fields = CONTENT_FIELDS
        field_classes = {
            "starts_at": forms.SplitDateTimeField,
            "ends_at": forms.SplitDateTimeField,
            "accreditation_deadline": forms.SplitDateTimeField,
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.refuse_stale_form()
        if self.has_changed():
            missing = self.editing.missing(
                self.instance, cleaned.get("change_note", ""), cleaned.get("confirm", False)
            )
            for field, problem in missing.items():
                self.add_error(field, problem)
        return cleaned


class AppointmentRestoreForm(RestoreForm):
    confirm_labels = {
        "": _("Restore this version"),
        "void": _(
            "Restore this version; the approval is voided and the appointment goes back to review"
        ),
        "correct": _("Restore this version and publish it as a visible change"),
    }


class ContentFormSet(forms.BaseInlineFormSet):
    """Changing an appointment's photos is an edit like any other: on an approved one it needs
    the confirmation, on a live one also the public change note (the form asks for both)."""

    def clean(self):
        super().clean()
        if self.instance.pk and self.has_changed():
            missing = editing.EDITING.missing(
                self.instance, self.data.get("change_note", ""), bool(self.data.get("confirm"))
            )
            if missing:
                raise ValidationError(list(missing.values()), code="edit_incomplete")


class AppointmentImageInline(PhotoInline, OfficeInline, admin.TabularInline):
    """The appointment's photos from the media library, in order (part of its version)."""

    model = AppointmentImage
    formset = ContentFormSet


# The media library's topic filter also finds photos by the appointments that show them.
if "appointment_images__appointment__topics" not in PhotoTopicFilter.paths:
    PhotoTopicFilter.paths.append("appointment_images__appointment__topics")


class NoticeInline(admin.TabularInline):
    model = Notice
    fields = ["created_at", "note"]
    readonly_fields = ["created_at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(OfficeAdmin, HistoryAdmin, admin.ModelAdmin):
    form = AppointmentForm
    editing = editing.EDITING
    restore_form = AppointmentRestoreForm
    voided_message = _("The approval was voided: the appointment is back in review.")
    change_form_template = "admin/appointments/appointment/change_form.html"
    list_display = ["title", "issuer", "starts_at", "state", "status", "applications_deleted_on"]
    list_filter = [
        "state",
        "kind",
        ("issuer", admin.RelatedOnlyFieldListFilter),
        "requires_accreditation",
    ]
    list_select_related = ["issuer"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuer", "topics", "contacts", "releases"]
    readonly_fields = [
        "state",
        "status",
        "go_live_at",
        "first_published_at",
        "cancelled_at",
        "cancellation_reason",
        "sequence",
        "version",
        "applications_deleted_on",
    ]
    inlines = [AppointmentImageInline, NoticeInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["issuer", "title", "slug", "kind", "description"]}),
            (_("Time"), {"fields": ["starts_at", "ends_at", "all_day"]}),
            (_("Place"), {"fields": ["venue", "address", "room", "online_url", "press_notes"]}),
            (_("Filing"), {"fields": ["topics", "contacts", "releases"]}),
            (
                _("Accreditation"),
                {
                    "fields": [
                        "requires_accreditation",
                        "accreditation_deadline",
                        "capacity",
                        "retention_days",
                        "applications_deleted_on",
                    ]
                },
            ),
        ]
        consequence = editing.consequence(obj) if obj is not None else ""
        if consequence == "correct":
            fieldsets.append((_("Correction"), {"fields": ["change_note", "confirm"]}))
        elif consequence == "void":
            fieldsets.append((_("Approval"), {"fields": ["confirm"]}))
        fieldsets.append(
            (
                _("Publication"),
                {
                    "fields": [
                        "state",
                        "status",
                        "go_live_at",
                        "first_published_at",
                        "cancelled_at",
                        "cancellation_reason",
                        "sequence",
                        "opened_version",
                        "version",
                    ]
                },
            )
        )
        return fieldsets

    @admin.display(description=_("applications deleted on"))
    def applications_deleted_on(self, obj):
        if obj is None or not obj.pk or not obj.requires_accreditation:
            return "–"
        return timezone.localtime(obj.personal_data_deleted_on).strftime("%d.%m.%Y %H:%M")

    def is_content_formset(self, formset) -> bool:
        return formset.model is not Notice  # public notices are written by transitions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            appointment = self.get_object(request, object_id)
            if appointment is not None and self.has_view_or_change_permission(request, appointment):
                photos = Photo.objects.filter(appointment_images__appointment=appointment)
                warn_about_rights(request, photos)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_actions"] = workflow.available(obj, request.user)
            context["workflow_events"] = obj.events.select_related("actor")[:20]
            context["may_see_applications"] = request.user.has_perm(
                "appointments.view_accreditation", obj
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/door-list.csv",
                wrap(self.door_list_csv),
                name="appointments_appointment_door_list_csv",
            ),
            path(
                "<int:pk>/door-list/",
                wrap(self.door_list_page),
                name="appointments_appointment_door_list",
            ),
            *super().get_urls(),
        ]

    # What the shared history, versions, restore, preview and transition views need
    # (`newsroom.history_admin.HistoryAdmin`).

    def history_entries(self, appointment):
        return history.entries(appointment)

    def render_preview(self, request, appointment):
        return render_appointment(request, appointment, preview=True)

    def restore_revision(self, appointment, revision, user, **edit_options):
        return revisions.restore(appointment, revision, user, **edit_options)

    def can_restore(self, revision) -> bool:
        return revisions.restorable(revision)

    def transition_data(self, request, transition) -> dict:
        """A postponement reads the new time, a move the new place."""
        datetime_field = forms.SplitDateTimeField(required=False)
        return {
            "data": {
                "starts_at": datetime_field.clean(
                    [request.POST.get("starts_at_0", ""), request.POST.get("starts_at_1", "")]
                ),
                "ends_at": datetime_field.clean(
                    [request.POST.get("ends_at_0", ""), request.POST.get("ends_at_1", "")]
                ),
                "venue": request.POST.get("venue", ""),
                "address": request.POST.get("address", ""),
                "room": request.POST.get("room", ""),
            }
        }

    def _door_list(self, request, pk):
        appointment = get_object_or_404(Appointment, pk=pk)
        if not request.user.has_perm("appointments.view_accreditation", appointment):
            raise PermissionDenied
        return appointment, accreditation.door_list(appointment)

    def door_list_csv(self, request, pk):
        appointment, accepted = self._door_list(request, pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="einlass-{appointment.slug}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [_("name"), _("media outlet"), _("role"), _("press card number"), _("team")]
        )
        for row in accepted:
            writer.writerow(
                [
                    _csv_safe(value)
                    for value in [
                        row.name,
                        row.outlet,
                        row.role,
                        row.press_card,
                        ", ".join(row.team.split()),
                    ]
                ]
            )
        return response

    def door_list_page(self, request, pk):
        appointment, accepted = self._door_list(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Door list: %(title)s") % {"title": appointment.title},
            "appointment": appointment,
            "accepted": accepted,
        }
        return TemplateResponse(request, "admin/appointments/appointment/door_list.html", context)


def _csv_safe(value: str) -> str:
    """Keep a spreadsheet from running what an applicant typed as a formula."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        required=False,
        choices=[
            ("", "–"),
            (ApplicationStatus.ACCEPTED, _("Accept")),
            (ApplicationStatus.DECLINED, _("Decline")),
        ],
    )
    message = forms.CharField(
        label=_("message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent by e-mail with the decision."),
    )

    class Meta:
        model = Accreditation
        fields = []


@admin.register(Accreditation)
class AccreditationAdmin(OfficeAdmin, admin.ModelAdmin):
    form = DecisionForm
    list_display = ["name", "outlet", "appointment", "status", "confirmed_at", "deleted_on"]
    list_filter = ["status", ("appointment", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["appointment"]
    search_fields = ["name", "outlet"]
    readonly_fields = [
        "appointment",
        "name",
        "outlet",
        "role",
        "email",
        "phone",
        "press_card",
        "team",
        "consent_text",
        "created_at",
        "confirmed_at",
        "status",
        "decided_at",
        "decision_message",
        "deleted_on",
    ]

    def get_queryset(self, request):
        # Only applications whose owner confirmed the address are anybody's business.
        return super().get_queryset(request).confirmed()

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("personal data deleted on"))
    def deleted_on(self, obj):
        return timezone.localtime(obj.appointment.personal_data_deleted_on).strftime("%d.%m.%Y")

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        if not request.user.has_perm("appointments.decide_accreditation", obj):
            raise PermissionDenied
        try:
            accreditation.decide(obj, decision, request.user, form.cleaned_data.get("message", ""))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("The decision was sent to the applicant."))


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(OfficeAdmin, admin.ModelAdmin):
    """The audit log, read-only."""

    list_display = ["created_at", "appointment", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]
    list_select_related = ["appointment", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
