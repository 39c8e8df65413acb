"""E-mails to a user about their own account: a new device, every security change, retirement.

Nothing is sent to an account without an address. A failing mail server never stops a sign-in
or a change; it is logged.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from newsroom import site
from newsroom.links import absolute_url

from .audit import address, current_request, user_agent

logger = logging.getLogger(__name__)


def _send(user, subject: str, lines: list[str]) -> None:
    if not user.email:
        return
    try:
        send_mail(
            f"[{site.name()}] {subject}",
            "\n\n".join(lines) + "\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except OSError:
        logger.exception("Could not send the account mail %r to user %s", subject, user.pk)


def _context_lines(request, *, seen: tuple[str | None, str] | None = None) -> list[str]:
    """When, and from which address and browser (`seen`, or the request's)."""
    request = request or current_request.get()
    when = date_format(timezone.localtime(), "DATETIME_FORMAT")
    lines = [_("When: %(when)s") % {"when": when}]
    if seen is None and request is not None:
        seen = (address(request), user_agent(request))
    if seen is not None:
        lines.append(_("Address: %(address)s") % {"address": seen[0] or "?"})
        lines.append(_("Browser: %(agent)s") % {"agent": seen[1] or "?"})
    return lines


def _footer() -> str:
    return _(
        "If this was not you, tell the portal administrator at once. Your account: %(url)s"
    ) % {"url": absolute_url(reverse("accounts_security"))}


def security_change(user, what: str, request=None) -> None:
    """Tell the user that something about how they sign in changed (`what` is translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("A change to your account"),
            [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                _("This changed in your account: %(what)s") % {"what": what},
                "\n".join(_context_lines(request)),
                _footer(),
            ],
        )


def new_device(user, request) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("Sign-in from a new device"),
            [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                _("Someone signed in to your account from a browser we had not seen before."),
                "\n".join(_context_lines(request)),
                _footer(),
            ],
        )


def locked_out(user, until, *, seen: tuple[str | None, str]) -> None:
    """Tell the user that sign-ins to their account were refused after failed attempts: a
    forgotten password, or someone guessing it."""
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("Your account was locked"),
            [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                (
                    _(
                        "After several wrong passwords, sign-ins to your account from the "
                        "address below are refused until %(until)s; each further attempt from "
                        "there moves that on."
                    )
                    % {"until": date_format(timezone.localtime(until), "DATETIME_FORMAT")}
                    if until
                    else _(
                        "After several wrong passwords, sign-ins to your account from the "
                        "address below are refused until the portal administrator allows them "
                        "again."
                    )
                )
                + " "
                + _(
                    "If you forgot your password, reset it; if it was not you, someone may be "
                    "guessing it."
                ),
                "\n".join(_context_lines(None, seen=seen)),
                _footer(),
            ],
        )


def new_lead(membership, actor, leads) -> None:
    """Tell an office's leads that someone else may now approve and publish in its name."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "member": membership.user.get_full_name() or membership.user.get_username(),
            "actor": actor.get_full_name() or actor.get_username(),
            "office": membership.organisation.display_short_name,
        }
        for lead in leads:
            _send(
                lead,
                _("A new press lead in %(office)s") % names,
                [
                    _("Hello %(name)s,") % {"name": lead.get_full_name() or lead.get_username()},
                    _(
                        "%(actor)s made %(member)s a press lead of %(office)s: they may now "
                        "approve and publish in the office's name."
                    )
                    % names,
                    "\n".join(_context_lines(None)),
                    _("If you did not expect this, ask %(actor)s or the portal administrator.")
                    % names,
                ],
            )


def inactivity_warning(user, deactivate_on) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("Your account will be deactivated"),
            [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                _(
                    "You have not signed in for a long time. Unused accounts are deactivated; "
                    "yours will be on %(date)s unless you sign in before then."
                )
                % {"date": date_format(deactivate_on, "DATE_FORMAT")},
                absolute_url(reverse("admin:login")),
            ],
        )
