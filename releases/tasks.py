"""Side effects of the workflow, run as tasks: e-mail notifications and going live.

Nothing here decides visibility (that is `Release.objects.live()` alone); these tasks only do
what should follow a transition. `handle_go_live` claims a release with a conditional update, so
the immediate run, a deferred run and `manage.py publish_due` never do the same work twice.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from .models import Release, ReleaseEvent
from .roles import PRESS_LEADS
from .signals import release_changed, release_went_live
from .websub import ping_hub
from .workflow import APPROVALS

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.NEWSROOM_BASE_URL.rstrip("/") + path


def after_transition(event_id: int) -> None:
    """Called on commit of every transition: enqueue what should follow it."""
    event = ReleaseEvent.objects.select_related("release").get(pk=event_id)
    notify.enqueue(event_id)
    if event.action in {"correct", "withdraw"}:
        # The feeds changed (an updated entry, or one fewer): tell the WebSub hub.
        ping_hub.enqueue(event.release_id)
        # E-mail alerts tell their subscribers if the lead asked (event.notify_subscribers).
        release_changed.send(sender=Release, event=event)
    if event.action in APPROVALS:
        go_live_at = event.release.go_live_at
        if go_live_at <= timezone.now():
            handle_go_live.enqueue(event.release_id)
        elif default_task_backend.supports_defer:
            handle_go_live.using(run_after=go_live_at).enqueue(event.release_id)
        # Otherwise `manage.py publish_due`, run every minute, catches it after its second.


def _recipients_for(event: ReleaseEvent) -> list[str]:
    if event.action == "submit":
        leads = (
            get_user_model()
            .objects.filter(groups__name=PRESS_LEADS, is_active=True)
            .exclude(email="")
        )
        return sorted({user.email for user in leads if user.pk != event.actor_id})
    author = event.release.created_by
    if event.action in {"request_changes", *APPROVALS} and author and author.email:
        return [author.email] if author.pk != event.actor_id else []
    return []


@task()
def notify(event_id: int) -> int:
    """Mail the people a transition concerns; returns how many were mailed."""
    event = ReleaseEvent.objects.select_related("release", "actor").get(pk=event_id)
    recipients = _recipients_for(event)
    if not recipients:
        return 0
    release = event.release
    actor = event.actor.get_full_name() or event.actor.get_username() if event.actor else "?"
    with translation.override(settings.LANGUAGE_CODE):
        link = absolute(reverse("admin:releases_release_change", args=[release.pk]))
        if event.action == "submit":
            subject = _("For review: %(title)s") % {"title": release.title}
            body = _("%(actor)s submitted a press release for review:") % {"actor": actor}
        elif event.action == "request_changes":
            subject = _("Changes requested: %(title)s") % {"title": release.title}
            body = _("%(actor)s asks for changes:") % {"actor": actor}
            body += f"\n\n{event.comment}"
        else:
            subject = _("Approved: %(title)s") % {"title": release.title}
            when = timezone.localtime(release.go_live_at).strftime("%d.%m.%Y %H:%M:%S")
            body = _("%(actor)s approved the release; it goes live on %(when)s.") % {
                "actor": actor,
                "when": when,
            }
        body = f"{body}\n\n{release.title}\n{link}\n"
    send_mail(subject, body, None, recipients)
    return len(recipients)


@task()
def handle_go_live(release_id: int) -> bool:
    """Run the side effects of a release going live, once. Returns whether this call ran them."""
    claimed = (
        Release.objects.live()
        .filter(pk=release_id, go_live_handled_at__isnull=True)
        .update(go_live_handled_at=timezone.now())
    )
    if not claimed:
        return False
    release = Release.objects.select_related("created_by").get(pk=release_id)
    logger.info("Release %s is live; running its side effects.", release.pk)
    # E-mail alerts to subscribers (the alerts app listens); sent once, as the claim is.
    release_went_live.send(sender=Release, release=release)
    ping_hub.enqueue(release.pk)
    author = release.created_by
    if author and author.email:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                _("Now public: %(title)s") % {"title": release.title},
                f"{release.title}\n{absolute(release.get_absolute_url())}\n",
                None,
                [author.email],
            )
    return True
