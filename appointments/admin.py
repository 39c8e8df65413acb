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
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import accreditation, editing, history, revisions, workflow
from .models import (
    Accreditation,
    ApplicationStatus,
    Appointment,
    AppointmentEvent,
    Notice,
    State,
)

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


class AppointmentForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label=_("Public change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public page when a live appointment changes."),
    )
    confirm = forms.BooleanField(label=_("Confirm"), required=False)

    class Meta:
        model = Appointment
        fields = CONTENT_FIELDS
        field_classes = {
            "starts_at": forms.SplitDateTimeField,
            "ends_at": forms.SplitDateTimeField,
            "accreditation_deadline": forms.SplitDateTimeField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        consequence = editing.consequence(self.instance) if self.instance.pk else ""
        if consequence and self.has_changed():
            if consequence == "correct" and not (cleaned.get("change_note") or "").strip():
                self.add_error(
                    "change_note",
                    _("This appointment is public: describe the change in a public change note."),
                )
            if not cleaned.get("confirm"):
                self.add_error(
                    "confirm",
                    _("This appointment is public: confirm that the change is published at once.")
                    if consequence == "correct"
                    else _(
                        "This appointment is approved: confirm that the change sends it back "
                        "to review."
                    ),
                )
        return cleaned


class NoticeInline(admin.TabularInline):
    model = Notice
    fields = ["created_at", "note"]
    readonly_fields = ["created_at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    form = AppointmentForm
    change_form_template = "admin/appointments/appointment/change_form.html"
    list_display = ["title", "issuer", "starts_at", "state", "status", "applications_deleted_on"]
    list_filter = ["state", "kind", "issuer", "requires_accreditation"]
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
    inlines = [NoticeInline]

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

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if obj.state == State.CANCELLED:
            return False
        if obj.is_live:
            return request.user.has_perm("appointments.correct_appointment")
        return True

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (
            obj.state in {State.DRAFT, State.IN_REVIEW} and obj.first_published_at is None
        )

    def save_model(self, request, obj, form, change):
        """Nothing here: `save_related` writes the appointment as one edit."""

    def save_related(self, request, form, formsets, change):
        def write(appointment):
            appointment.save()
            form.save_m2m()

        data = form.cleaned_data
        edit = editing.save_edit(
            form.instance,
            request.user,
            write,
            opened_version=data.get("opened_version") if change else None,
            change_note=data.get("change_note", ""),
            confirmed=data.get("confirm", False),
        )
        if edit.voided_approval:
            messages.warning(
                request,
                _("The approval was voided: the appointment is back in review."),
            )
        elif edit.correction:
            messages.info(request, _("The change was published as a correction."))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except editing.EditRefused as refusal:
            # A save that lost a race or was begun on an older version: nothing was written.
            messages.error(request, " ".join(refusal.messages))
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_actions"] = workflow.available(obj, request.user)
            context["workflow_events"] = obj.events.select_related("actor")[:20]
            context["may_see_applications"] = request.user.has_perm(
                "appointments.view_accreditation"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                wrap(require_POST(self.transition_view)),
                name="appointments_appointment_transition",
            ),
            path(
                "<int:pk>/revisions/",
                wrap(self.revisions_view),
                name="appointments_appointment_revisions",
            ),
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

    def _appointment_or_404(self, request, pk):
        appointment = get_object_or_404(Appointment, pk=pk)
        if not self.has_view_or_change_permission(request, appointment):
            raise PermissionDenied
        return appointment

    def history_view(self, request, object_id, extra_context=None):
        """Our history replaces Django's log of form changes: every event, in order, in words."""
        appointment = self._appointment_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("History of “%(title)s”") % {"title": appointment.title},
            "subject": appointment,
            "entries": history.entries(appointment),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/appointments/appointment/history.html", context)

    def revisions_view(self, request, pk):
        """The saved versions, and what changed between any two of them."""
        appointment = self._appointment_or_404(request, pk)
        saved = list(appointment.revisions.select_related("author"))
        numbers = {revision.number: revision for revision in saved}
        changes = None
        old_number, new_number = request.GET.get("old"), request.GET.get("new")
        if old_number and new_number:
            try:
                old, new = numbers[int(old_number)], numbers[int(new_number)]
            except (KeyError, ValueError) as missing:
                raise Http404 from missing
            changes = revisions.compare(old.snapshot, new.snapshot)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Versions of “%(title)s”") % {"title": appointment.title},
            "appointment": appointment,
            "revisions": saved,
            "changes": changes,
            "old": old_number,
            "new": new_number,
        }
        return TemplateResponse(request, "admin/appointments/appointment/revisions.html", context)

    def transition_view(self, request, pk, name):
        appointment = get_object_or_404(Appointment, pk=pk)
        if not self.has_view_or_change_permission(request, appointment):
            raise PermissionDenied
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not transition.offered:
            raise Http404
        try:
            datetime_field = forms.SplitDateTimeField(required=False)
            go_live_at = None
            if transition.asks_go_live:
                go_live_at = datetime_field.clean(
                    [request.POST.get("go_live_at_0", ""), request.POST.get("go_live_at_1", "")]
                )
            data = {
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
            version = forms.IntegerField(required=False).clean(request.POST.get("version"))
            workflow.take(
                appointment.pk,
                name,
                request.user,
                comment=request.POST.get("comment", ""),
                go_live_at=go_live_at,
                version=version,
                confirmed=bool(request.POST.get("confirm")),
                data=data,
            )
        except ValidationError as refusal:
            problems = refusal.messages
            messages.error(request, problems[0] if len(problems) == 1 else " ".join(problems))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
        return HttpResponseRedirect(
            reverse("admin:appointments_appointment_change", args=[appointment.pk])
        )

    def _door_list(self, request, pk):
        if not request.user.has_perm("appointments.view_accreditation"):
            raise PermissionDenied
        appointment = get_object_or_404(Appointment, pk=pk)
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
class AccreditationAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["name", "outlet", "appointment", "status", "confirmed_at", "deleted_on"]
    list_filter = ["status", "appointment"]
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
        if not request.user.has_perm("appointments.decide_accreditation"):
            raise PermissionDenied
        try:
            accreditation.decide(obj, decision, request.user, form.cleaned_data.get("message", ""))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("The decision was sent to the applicant."))


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(admin.ModelAdmin):
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
