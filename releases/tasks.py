"""Side effects of the workflow, run as tasks: e-mail notifications and going live.

Nothing here decides visibility (that is `Release.objects.live()` alone); these tasks only do
what should follow a transition. The transition table (`releases.workflow`) names the follow-ups
of each transition; `follow_up` runs them on commit. `run_go_live` claims a release with a
conditional update, so the immediate run, the run scheduled for the go-live second and
`manage.py publish_due` never do the same work twice.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from contacts.offices import members
from newsroom.links import absolute_url

from .models import Release, ReleaseEvent
from .signals import release_changed, release_went_live
from .websub import ping_hub

logger = logging.getLogger(__name__)


# The transitions that approve a release for publication (their target is "approved").
APPROVALS = ("approve", "publish_now", "force_publish")



def schedule_go_live(event: ReleaseEvent) -> None:
    """Run the go-live side effects at the go-live second, on a worker (or at once if due)."""
    go_live_at = event.release.go_live_at
    if go_live_at <= timezone.now():
        run_go_live.enqueue(event.release_id)
    elif default_task_backend.supports_defer:
        run_go_live.using(run_after=go_live_at).enqueue(event.release_id)
    # Otherwise (the immediate backend) `manage.py publish_due` catches it after its second.


FOLLOW_UPS = {
    # Mail the people the transition concerns (reviewers, the author, the approver).
    "notify": lambda event: notify.enqueue(event.pk),
    "go_live": schedule_go_live,
    # The feeds changed (an updated entry, or one fewer): tell the WebSub hub.
    "ping_hub": lambda event: ping_hub.enqueue(event.release_id),
    # E-mail alerts tell their subscribers if the lead asked (event.notify_subscribers).
    "tell_subscribers": lambda event: release_changed.send(sender=Release, event=event),
}


def follow_up(event_id: int, names: tuple[str, ...]) -> None:
    """Called on commit of a transition: run or enqueue what the transition table names."""
    event = ReleaseEvent.objects.select_related("release").get(pk=event_id)
    for name in names:
        FOLLOW_UPS[name](event)


def _recipients_for(event: ReleaseEvent) -> list[str]:
    if event.action == "submit":
        # Whoever may approve this release: its office's leads (and its parent office's where
        # that reviews it), never every lead of the portal.
        reviewers = members(event.release.issuer, "releases.approve_release").exclude(email="")
        return sorted({user.email for user in reviewers if user.pk != event.actor_id})
    author = event.release.created_by
    people = [author] if event.action in {"request_changes", "void_approval", *APPROVALS} else []
    if event.action == "void_approval":
        approval = (
            event.release.events.filter(action__in=APPROVALS, created_at__lte=event.created_at)
            .select_related("actor")
            .first()
        )
        people.append(approval.actor if approval else None)
    people = [p for p in people if p and p.email and p.pk != event.actor_id]
    return sorted({person.email for person in people})


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
        link = absolute_url(reverse("admin:releases_release_change", args=[release.pk]))
        if event.action == "submit":
            subject = _("For review: %(title)s") % {"title": release.title}
            body = _("%(actor)s submitted a press release for review:") % {"actor": actor}
        elif event.action == "request_changes":
            subject = _("Changes requested: %(title)s") % {"title": release.title}
            body = _("%(actor)s asks for changes:") % {"actor": actor}
            body += f"\n\n{event.comment}"
        elif event.action == "void_approval":
            subject = _("Approval voided: %(title)s") % {"title": release.title}
            body = _(
                "%(actor)s changed the approved release before its publication, so it is not "
                "published and is back in review:"
            ) % {"actor": actor}
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
def run_go_live(release_id: int) -> bool:
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
                f"{release.title}\n{absolute_url(release.get_absolute_url())}\n",
                None,
                [author.email],
            )
    return True
