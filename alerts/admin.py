"""Admin for the e-mail alerts: subscribers with counts per topic and issuer, mailings, the
delivery log, CSV exports.

Everything here is read-only: subscriptions change only through their owner's secret link, and
the log is a record. E-mail addresses are shown, searched, filtered, sorted and exported only for
users with the permission `alerts.view_subscriber_address` (superusers have it, the portal
administrators and the press roles do not); everyone else sees "j…@s….de".
"""

import csv

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation
from newsroom.admin import ReadOnlyAdmin
from releases.models import Topic

from .models import (
    ADDRESS_PERMISSION,
    Delivery,
    DeliveryStatus,
    Frequency,
    Mailing,
    Subscriber,
    mask_email,
)


def may_see_addresses(request) -> bool:
    return request.user.has_perm(ADDRESS_PERMISSION)


def shown_address(request, subscriber: Subscriber | None) -> str:
    if subscriber is None:
        return "–"
    return subscriber.email if may_see_addresses(request) else mask_email(subscriber.email)


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


# Never a lookup in an admin URL, for anyone: `?token__regex=^a` answers yes or no, and a few
# hundred such questions spell out a subscriber's secret link.
SECRET_FIELDS = {"token"}
# Lookups only for users who may read the addresses (the consent text may quote one).
PERSONAL_FIELDS = {"email", "consent_text"}


def refuse_lookup(lookup: str):
    # The admin answers DisallowedModelAdminLookup with 400 Bad Request and nothing else.
    raise DisallowedModelAdminLookup(f"Filtering by {lookup} is not allowed.")


class RecordAdmin(ReadOnlyAdmin):
    """A record: viewed, never added or edited here; deleted by who may (a subscriber's wish).
    Refuses lookups on secrets to everyone and on addresses to users who may not read them, so
    that filters in the URL cannot guess one."""

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        parts = set(lookup.split("__"))
        if parts & SECRET_FIELDS:
            refuse_lookup(lookup)
        if parts & PERSONAL_FIELDS and not (request and may_see_addresses(request)):
            refuse_lookup(lookup)
        return super().lookup_allowed(lookup, value, request)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("receiving", _("receiving alerts")),
            ("paused", _("paused")),
            ("unconfirmed", _("not confirmed yet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "receiving":
            return queryset.receiving()
        if self.value() == "paused":
            return queryset.confirmed().filter(is_paused=True)
        if self.value() == "unconfirmed":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


def subscriber_counts() -> dict:
    """How many subscribers receive alerts, and for what (the changelist's summary)."""
    receiving = Q(confirmed_at__isnull=False, is_paused=False)
    chose_topic = Subscriber.topics.through.objects.filter(subscriber=OuterRef("pk"))
    chose_issuer = Subscriber.issuers.through.objects.filter(subscriber=OuterRef("pk"))
    totals = Subscriber.objects.aggregate(
        receiving=Count("pk", filter=receiving),
        immediate=Count("pk", filter=receiving & Q(frequency=Frequency.IMMEDIATE)),
        daily=Count("pk", filter=receiving & Q(frequency=Frequency.DAILY)),
        everything=Count("pk", filter=receiving & ~Exists(chose_topic) & ~Exists(chose_issuer)),
        paused=Count("pk", filter=Q(confirmed_at__isnull=False, is_paused=True)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    related = Q(alert_subscribers__confirmed_at__isnull=False, alert_subscribers__is_paused=False)
    per = {"subscribers": Count("alert_subscribers", filter=related)}
    return {
        **totals,
        "topics": Topic.objects.annotate(**per).order_by("-subscribers", "name"),
        "issuers": Organisation.objects.annotate(**per).order_by("-subscribers", "name"),
    }


@admin.register(Subscriber)
class SubscriberAdmin(RecordAdmin):
    change_list_template = "admin/alerts/subscriber/change_list.html"
    list_filter = [
        StatusFilter,
        "frequency",
        "wants_releases",
        "wants_appointments",
        "topics",
        "issuers",
    ]
    list_per_page = 50
    actions = ["export_csv"]
    readonly_fields = ["masked_address"]

    def get_list_display(self, request):
        address = "email_address" if may_see_addresses(request) else "masked_address"
        return [address, "frequency", "choices", "is_paused", "created_at", "confirmed_at"]

    def get_fields(self, request, obj=None):
        return [
            "email" if may_see_addresses(request) else "masked_address",
            "frequency",
            "wants_releases",
            "wants_appointments",
            "topics",
            "issuers",
            "is_paused",
            "language",
            "created_at",
            "confirmed_at",
            "consent_version",
            "consent_text",
        ]

    def get_search_fields(self, request):
        return ["email"] if may_see_addresses(request) else []

    def lookup_allowed(self, lookup, value, request=None):
        # Besides the generic refusals: only what the list shows and filters may be looked up.
        allowed = {"id", "pk", "frequency", "is_paused", "language", "topics", "issuers"}
        allowed |= {"wants_releases", "wants_appointments"}
        allowed |= {"created_at", "confirmed_at"}
        if request and may_see_addresses(request):
            allowed.add("email")
        if lookup.split("__")[0] not in allowed:
            refuse_lookup(lookup)
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics", "issuers")

    @admin.display(description=_("e-mail address"), ordering="email")
    def email_address(self, obj):
        return obj.email

    @admin.display(description=_("e-mail address"))
    def masked_address(self, obj):
        return mask_email(obj.email)

    @admin.display(description=_("choices"))
    def choices(self, obj):
        chosen = [topic.name for topic in obj.topics.all()]
        chosen += [issuer.display_short_name for issuer in obj.issuers.all()]
        return ", ".join(chosen) or _("everything")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "counts": subscriber_counts()}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Export the selected subscribers as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (
            [
                shown_address(request, subscriber),
                subscriber.get_frequency_display(),
                "; ".join(topic.name for topic in subscriber.topics.all()),
                "; ".join(issuer.name for issuer in subscriber.issuers.all()),
                subscriber.is_paused,
                local(subscriber.created_at),
                local(subscriber.confirmed_at),
                subscriber.consent_version,
            ]
            for subscriber in queryset.order_by("pk")
        )
        header = [
            "email",
            "frequency",
            "topics",
            "issuers",
            "paused",
            "requested_at",
            "consent_given_at",
            "consent_version",
        ]
        return csv_response("alert-subscribers.csv", header, rows)


@admin.register(Mailing)
class MailingAdmin(RecordAdmin):
    list_display = [
        "created_at",
        "kind",
        "subject",
        "sent",
        "waiting",
        "failed",
        "listed_at",
        "finished_at",
    ]
    list_filter = ["kind"]
    list_select_related = ["release"]
    fields = ["kind", "release", "event", "digest_date", "created_at", "listed_at", "finished_at"]

    def get_queryset(self, request):
        def count(*statuses):
            return Count("deliveries", filter=Q(deliveries__status__in=statuses))

        return (
            super()
            .get_queryset(request)
            .annotate(
                num_sent=count(DeliveryStatus.SENT),
                num_waiting=count(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
                num_failed=count(DeliveryStatus.FAILED),
            )
        )

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.release or obj.digest_date

    @admin.display(description=_("sent"), ordering="num_sent")
    def sent(self, obj):
        return obj.num_sent

    @admin.display(description=_("waiting"), ordering="num_waiting")
    def waiting(self, obj):
        return obj.num_waiting

    @admin.display(description=_("failed"), ordering="num_failed")
    def failed(self, obj):
        return obj.num_failed


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    list_filter = ["status", "mailing__kind"]
    list_select_related = ["mailing__release", "subscriber"]
    list_per_page = 100
    actions = ["export_csv"]
    readonly_fields = ["masked_recipient", "recipient_address"]

    def get_list_display(self, request):
        recipient = "recipient_address" if may_see_addresses(request) else "masked_recipient"
        return ["created_at", "mailing", recipient, "status", "attempts", "sent_at", "error"]

    def get_fields(self, request, obj=None):
        return [
            "mailing",
            "recipient_address" if may_see_addresses(request) else "masked_recipient",
            "status",
            "attempts",
            "retry_at",
            "sent_at",
            "error",
            "releases",
            "created_at",
        ]

    @admin.display(description=_("subscriber"))
    def recipient_address(self, obj):
        return obj.subscriber.email if obj.subscriber else "–"

    @admin.display(description=_("subscriber"))
    def masked_recipient(self, obj):
        return str(obj.subscriber or "–")

    @admin.action(description=_("Export the selected deliveries as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (
            [
                local(delivery.created_at),
                delivery.mailing.get_kind_display(),
                delivery.mailing,
                shown_address(request, delivery.subscriber),
                delivery.get_status_display(),
                delivery.attempts,
                local(delivery.sent_at),
                delivery.error,
            ]
            for delivery in queryset.select_related("mailing__release", "subscriber").order_by("pk")
        )
        header = [
            "created_at",
            "kind",
            "mailing",
            "email",
            "status",
            "attempts",
            "sent_at",
            "error",
        ]
        return csv_response("alert-deliveries.csv", header, rows)
