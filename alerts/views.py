"""Public pages of the e-mail alerts: the form, the confirmation, the management page and the
one-click unsubscribe.

Pages reached by a secret link are never cached, not indexed, and leak no token in a Referer.
A GET never confirms or unsubscribes: mail scanners follow links. Confirming takes a button
(POST); unsubscribing takes one POST without CSRF token or login, as RFC 8058 asks of the address
in `List-Unsubscribe`.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.db import router
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsroom.secret_links import private

from . import ratelimit, subscriptions
from .forms import CONSENT_TEXT, ManageForm, SubscriptionForm
from .models import Subscriber

logger = logging.getLogger(__name__)


def subscriber_for(token: str, *, confirmed: bool | None = None) -> Subscriber | None:
    # From the primary, never a replica: the row was usually written a moment ago.
    subscribers = Subscriber.objects.db_manager(router.db_for_write(Subscriber)).all()
    if confirmed is not None:
        subscribers = subscribers.filter(confirmed_at__isnull=not confirmed)
    return subscribers.filter(token=token).prefetch_related("topics", "issuers").first()


def invalid_link(request):
    context = {"confirmation_hours": settings.ALERTS_CONFIRMATION_HOURS}
    return private(render(request, "alerts/invalid_link.html", context, status=404))


@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        allowed = ratelimit.allow_form_submission(request)
        if form.is_valid():
            if allowed:
                data = form.cleaned_data
                subscriptions.request_subscription(
                    email=data["email"],
                    topics=data["topics"],
                    issuers=data["issuers"],
                    frequency=data["frequency"],
                    wants_releases="releases" in data["content"],
                    wants_appointments="appointments" in data["content"],
                    language=get_language(),
                    consent_text=str(CONSENT_TEXT),
                )
            else:
                logger.info("Alerts: subscription form over the limit for one client.")
            # The same answer whatever happened: it never tells whether an address is known.
            return redirect("alerts:requested")
    else:
        form = SubscriptionForm()
    context = {"form": form, "confirmation_hours": settings.ALERTS_CONFIRMATION_HOURS}
    return render(request, "alerts/subscribe.html", context)


def requested(request):
    return render(request, "alerts/requested.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber = subscriber_for(token)
    if subscriber is None or subscriber.is_expired:
        return invalid_link(request)
    if subscriber.is_confirmed:
        return redirect("alerts:manage", token=token)
    if request.method == "POST":
        subscriptions.confirm(subscriber)
        messages.success(request, _("Thank you: your e-mail alerts are on."))
        return redirect("alerts:manage", token=token)
    return private(render(request, "alerts/confirm.html", {"subscriber": subscriber}))


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriber = subscriber_for(token, confirmed=True)
    if subscriber is None:
        return invalid_link(request)
    form = ManageForm(request.POST or None, instance=subscriber)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choices are saved."))
        return redirect("alerts:manage", token=token)
    return private(render(request, "alerts/manage.html", {"form": form, "subscriber": subscriber}))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058: a POST to this address unsubscribes at once; a GET only asks."""
    subscriber = subscriber_for(token)
    if request.method == "POST":
        if subscriber is not None:
            subscriptions.unsubscribe(subscriber)
        return private(render(request, "alerts/unsubscribed.html"))
    if subscriber is None:
        return private(render(request, "alerts/unsubscribed.html"))
    return private(render(request, "alerts/unsubscribe.html", {"subscriber": subscriber}))
