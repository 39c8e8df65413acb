"""Accounts a ministry can trust: the second factor after the password, recovery codes, password
reset, sessions, the security trail and the retirement of unused accounts."""

import re
import time
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import recovery
from accounts.models import SecurityEvent, UserSession
from accounts.tasks import deactivate_unused_accounts, prune_old_security_trail

Kind = SecurityEvent.Kind
# Near the real time (sessions made under a frozen clock must still be valid after it), at the
# start of a TOTP step.
NOW = datetime.fromtimestamp(int(time.time()) // 30 * 30, tz=UTC)
production_like = override_settings(NEWSROOM_REQUIRE_2FA=True)


def sign_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def code_at(device: TOTPDevice, moment: datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = moment.timestamp()
    return f"{totp.token():06d}"


def events(kind, **filters):
    return SecurityEvent.objects.filter(kind=kind, **filters)


# The second factor is required ---------------------------------------------------------------


@production_like
def test_lead_with_only_a_password_cannot_reach_the_admin(client, lead):
    assert sign_in(client, "lead", "pw-lead").status_code == 302
    for url in (reverse("admin:index"), reverse("admin:releases_release_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts_enrol"))
    # Nor the account pages beyond enrolment, nor the editor's uploads.
    assert client.get(reverse("accounts_security")).status_code == 302
    assert client.post(reverse("editor_image_upload")).status_code == 302
    # The enrolment page itself opens.
    assert client.get(reverse("accounts_enrol")).status_code == 200


@production_like
def test_superuser_needs_a_second_factor_too(client, superuser):
    sign_in(client, "root", "pw-root")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("accounts_enrol"))


@production_like
def test_officer_without_publishing_rights_needs_none_unless_all_staff_must(client, officer):
    sign_in(client, "officer", "pw-officer")
    assert client.get(reverse("admin:index")).status_code == 200
    with override_settings(NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF=True):
        response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts_enrol"))


def test_in_development_the_demo_lead_needs_no_phone(client, lead):
    sign_in(client, "lead", "pw-lead")
    assert client.get(reverse("admin:index")).status_code == 200


def test_whoever_has_a_second_factor_must_use_it_even_in_development(client, lead):
    totp_device(lead)
    sign_in(client, "lead", "pw-lead")
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts_verify"))


# TOTP -----------------------------------------------------------------------------------------


@production_like
def test_lead_with_an_app_gets_in_with_its_code(client, lead):
    device = totp_device(lead)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "lead", "pw-lead")
        response = client.get(reverse("admin:index"))
        assert response["Location"] == f"{reverse('accounts_verify')}?next=%2Fadmin%2F"
        response = client.post(
            reverse("accounts_verify"), {"code": code_at(device, NOW), "next": "/admin/"}
        )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    used = events(Kind.SECOND_FACTOR_USED, user=lead).get()
    assert used.detail == "Authenticator-App"  # recorded in the site language


@production_like
def test_a_totp_code_is_accepted_once(client, lead):
    device = totp_device(lead)
    with time_machine.travel(NOW, tick=False):
        code = code_at(device, NOW)
        sign_in(client, "lead", "pw-lead")
        assert client.post(reverse("accounts_verify"), {"code": code}).status_code == 302
        client.post(reverse("admin:logout"))
        sign_in(client, "lead", "pw-lead")
        response = client.post(reverse("accounts_verify"), {"code": code})
    assert response.status_code == 200
    assert "falsch, abgelaufen oder wurde schon verwendet" in response.text
    assert client.get(reverse("admin:index")).status_code == 302
    assert events(Kind.SECOND_FACTOR_FAILED, user=lead).count() == 1


@production_like
@pytest.mark.parametrize("offset", [timedelta(minutes=-2), timedelta(minutes=2)])
def test_a_totp_code_works_only_in_its_window(client, lead, offset):
    device = totp_device(lead)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "lead", "pw-lead")
        response = client.post(reverse("accounts_verify"), {"code": code_at(device, NOW + offset)})
        assert response.status_code == 200
    # The code of the previous 30 seconds still counts (a phone's clock is never exact).
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        response = client.post(reverse("accounts_verify"), {"code": code_at(device, NOW)})
    assert response.status_code == 302


@production_like
def test_enrolling_an_app_gives_recovery_codes_and_opens_the_admin(client, lead):
    lead.email = "lead@example.org"
    lead.save()
    mail.outbox.clear()
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "lead", "pw-lead")
        page = client.get(reverse("accounts_enrol_totp"))
        assert page.status_code == 200
        assert 'src="data:image/svg+xml' in page.text
        device = TOTPDevice.objects.get(user=lead, confirmed=False)
        secret = re.search(r'class="accounts-secret">([A-Z2-7 ]+)<', page.text).group(1)
        assert secret.replace(" ", "") in device.config_url
        response = client.post(
            reverse("accounts_enrol_totp") + "?next=/admin/",
            {"name": "Diensthandy", "code": code_at(device, NOW), "next": "/admin/"},
        )
    assert response["Location"].startswith(reverse("accounts_recovery_codes"))
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.text)
    assert len(codes) == recovery.COUNT
    # Shown once only.
    assert "<code>" not in client.get(reverse("accounts_recovery_codes")).text
    assert client.get(reverse("admin:index")).status_code == 200
    assert events(Kind.ENROLLED, user=lead).get().detail == "Authenticator-App: Diensthandy"
    assert any("Authenticator-App wurde hinzugefügt" in message.body for message in mail.outbox)


@production_like
def test_a_wrong_code_does_not_enrol(client, lead):
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "lead", "pw-lead")
        client.get(reverse("accounts_enrol_totp"))
        device = TOTPDevice.objects.get(user=lead)
        wrong = code_at(device, NOW + timedelta(minutes=5))
        response = client.post(reverse("accounts_enrol_totp"), {"code": wrong})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    assert client.get(reverse("admin:index")).status_code == 302


# Recovery codes -------------------------------------------------------------------------------


@production_like
def test_a_recovery_code_works_once(client, lead):
    totp_device(lead)
    code = recovery.generate(lead)[0]
    sign_in(client, "lead", "pw-lead")
    response = client.post(reverse("accounts_verify"), {"code": code.upper()})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert recovery.remaining(lead) == recovery.COUNT - 1
    assert events(Kind.SECOND_FACTOR_USED, user=lead).get().detail == "Wiederherstellungscode"

    client.post(reverse("admin:logout"))
    sign_in(client, "lead", "pw-lead")
    with time_machine.travel(NOW, tick=False):  # past the throttle of the failure
        assert client.post(reverse("accounts_verify"), {"code": code}).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


@production_like
def test_new_recovery_codes_void_the_old_ones(client, lead):
    device = totp_device(lead)
    old = recovery.generate(lead)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "lead", "pw-lead")
        client.post(reverse("accounts_verify"), {"code": code_at(device, NOW)})
    client.post(reverse("accounts_recovery_codes"))
    assert events(Kind.RECOVERY_CODES, user=lead).exists()
    new = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(reverse("accounts_recovery_codes")).text
    )
    assert len(new) == recovery.COUNT and not set(new) & set(old)
    assert recovery.remaining(lead) == recovery.COUNT


# Administrators -------------------------------------------------------------------------------


@production_like
def test_only_a_portal_administrator_resets_a_lost_second_factor(client, lead, superuser):
    lead.email = "lead@example.org"
    lead.save()
    totp_device(lead)
    recovery.generate(lead)
    lead_client = client.__class__()
    sign_in(lead_client, "lead", "pw-lead")
    assert UserSession.objects.filter(user=lead).count() == 1

    superuser_device = totp_device(superuser)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "root", "pw-root")
        client.post(reverse("accounts_verify"), {"code": code_at(superuser_device, NOW)})
    changelist = reverse("admin:auth_user_changelist")
    mail.outbox.clear()
    response = client.post(
        changelist, {"action": "reset_second_factors", "_selected_action": [lead.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert recovery.remaining(lead) == 0
    reset = events(Kind.SECOND_FACTOR_RESET, user=lead).get()
    assert reset.actor == superuser
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]
    assert "hat Ihre zweiten Faktoren entfernt" in mail.outbox[0].body
    # Their sessions ended: the lead signs in again and sets up a new factor.
    assert lead_client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert not UserSession.objects.filter(user=lead).exists()


def test_a_lead_cannot_reset_second_factors(client, lead):
    from django.contrib.auth.models import Permission

    lead.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(lead)
    page = client.get(reverse("admin:auth_user_changelist"))
    assert page.status_code == 200
    assert "reset_second_factors" not in page.text
    assert "end_sessions" in page.text


def test_administrators_end_all_sessions_of_a_user(client, officer, superuser):
    officer_client = client.__class__()
    sign_in(officer_client, "officer", "pw-officer")
    assert officer_client.get(reverse("admin:index")).status_code == 200
    client.force_login(superuser)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_sessions", "_selected_action": [officer.pk]},
    )
    assert officer_client.get(reverse("admin:index")).status_code == 302
    assert events(Kind.SESSION_ENDED, user=officer).get().actor == superuser


def test_the_security_trail_is_read_only_in_the_admin(client, superuser, officer):
    sign_in(client.__class__(), "officer", "wrong-password")
    client.force_login(superuser)
    changelist = reverse("admin:accounts_securityevent_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and "officer" in page.text
    event = events(Kind.SIGN_IN_FAILED).get()
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:accounts_securityevent_change", args=[event.pk]), {"kind": "sign_in"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:accounts_securityevent_delete", args=[event.pk])).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.kind == Kind.SIGN_IN_FAILED


# Sessions -------------------------------------------------------------------------------------


def test_users_see_their_sessions_and_end_one(client, officer):
    other = client.__class__(HTTP_USER_AGENT="Firefox auf dem Laptop")
    sign_in(other, "officer", "pw-officer")
    sign_in(client, "officer", "pw-officer")
    page = client.get(reverse("accounts_security"))
    assert page.status_code == 200
    assert "Firefox auf dem Laptop" in page.text and "127.0.0.1" in page.text
    laptop = UserSession.objects.get(user=officer, user_agent="Firefox auf dem Laptop")
    client.post(reverse("accounts_end_session", args=[laptop.pk]))
    assert other.get(reverse("admin:index")).status_code == 302
    assert reverse("accounts_security") in client.get(reverse("admin:index")).text
    assert events(Kind.SESSION_ENDED, user=officer).exists()


def test_nobody_ends_someone_elses_session(client, officer, lead):
    sign_in(client.__class__(), "officer", "pw-officer")
    theirs = UserSession.objects.get(user=officer)
    client.force_login(lead)
    assert client.post(reverse("accounts_end_session", args=[theirs.pk])).status_code == 404
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store().exists(theirs.session_key)


def test_the_last_use_of_a_session_is_kept(client, officer):
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "officer", "pw-officer")
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        client.get(reverse("admin:index"))
    assert UserSession.objects.get(user=officer).last_seen_at == NOW + timedelta(minutes=5)


# The trail and the mails ----------------------------------------------------------------------


def test_sign_ins_failures_and_lockouts_are_recorded(client, officer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password")
    failed = events(Kind.SIGN_IN_FAILED, user=officer)
    assert failed.count() == settings.AXES_FAILURE_LIMIT
    assert failed.first().ip_address == "127.0.0.1"
    locked = events(Kind.LOCKED_OUT).get()
    assert locked.username == "officer" and locked.user == officer
    sign_in(client, "nobody", "wrong-password")
    assert events(Kind.SIGN_IN_FAILED, username="nobody", user=None).exists()


def test_a_lockout_is_mailed_to_the_account_once_per_cool_off(
    client, officer, lead, django_capture_on_commit_callbacks
):
    officer.email, lead.email, lead.is_active = "officer@example.org", "lead@example.org", False
    officer.save()
    lead.save()

    def attempts(address, count=settings.AXES_FAILURE_LIMIT, username="officer"):
        with django_capture_on_commit_callbacks(execute=True):
            for _attempt in range(count):
                client.post(
                    reverse("admin:login"),
                    {"username": username, "password": "wrong-password"},
                    REMOTE_ADDR=address,
                )

    with time_machine.travel(NOW, tick=False):
        attempts("192.0.2.1")
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    text = mail.outbox[0].body
    assert "192.0.2.1" in text and "/konto/" in text and "unten genannten Adresse" in text
    assert mail.outbox[0].subject.endswith("Ihr Konto wurde gesperrt")
    # Guesses from another address lock that one out too, and the first goes on: no more mail
    # within the cool-off hour.
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        attempts("192.0.2.2")
    with time_machine.travel(NOW + timedelta(minutes=50), tick=False):
        attempts("192.0.2.1", count=1)  # refused, and the cool-off moves on
    assert events(Kind.LOCKED_OUT, user=officer).count() >= 3
    assert len(mail.outbox) == 1
    # An hour after the mail, guessing still going on is news again. A name without an account
    # and a deactivated account get nothing.
    with time_machine.travel(NOW + timedelta(minutes=70), tick=False):
        attempts("192.0.2.1", count=1)
        attempts("192.0.2.4", username="nobody")
        attempts("192.0.2.4", username="lead")
    assert events(Kind.LOCKED_OUT, username="nobody").exists()
    assert events(Kind.LOCKED_OUT, user=lead).exists()
    assert [message.to for message in mail.outbox] == [["officer@example.org"]] * 2


def test_a_sign_in_is_recorded_with_address_and_browser(client, officer):
    client.post(
        reverse("admin:login"),
        {"username": "officer", "password": "pw-officer"},
        HTTP_USER_AGENT="Chromium Test",
        REMOTE_ADDR="192.0.2.7",
    )
    event = events(Kind.SIGN_IN, user=officer).get()
    assert (event.ip_address, event.user_agent) == ("192.0.2.7", "Chromium Test")


def test_a_sign_in_from_a_new_device_is_mailed(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    sign_in(client, "officer", "pw-officer")  # the first browser: no news
    assert mail.outbox == []
    client.post(reverse("admin:logout"))
    sign_in(client, "officer", "pw-officer")  # the same browser again (its cookie)
    assert mail.outbox == []
    sign_in(client.__class__(), "officer", "pw-officer")
    assert len(mail.outbox) == 1 and "neuen Gerät" in mail.outbox[0].subject
    assert events(Kind.NEW_DEVICE, user=officer).count() == 1


def test_a_password_change_is_recorded_and_mailed(officer):
    officer.email = "officer@example.org"
    officer.save()
    officer.set_password("ein-neues-langes-passwort")
    officer.save()
    assert events(Kind.PASSWORD_CHANGED, user=officer).count() == 1
    assert "Passwort wurde geändert" in mail.outbox[0].body


def test_passwords_need_twelve_characters(officer):
    with pytest.raises(ValidationError):
        validate_password("kurz-1-Pass", officer)
    validate_password("zwölf-Zeichen", officer)


# Password reset -------------------------------------------------------------------------------


def ask_reset(client, email, **extra):
    return client.post(reverse("admin_password_reset"), {"email": email}, **extra)


def reset_link(message) -> str:
    return re.search(r"http://testserver(/konto/passwort/\S+/)", message.body).group(1)


def test_reset_answers_the_same_whatever_the_address(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    known = ask_reset(client, "officer@example.org")
    unknown = ask_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts_password_reset_done")
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    assert events(Kind.PASSWORD_RESET_REQUESTED, user=officer).count() == 1
    assert "admin_password_reset" not in client.get(reverse("admin:login")).text
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).text


def test_a_reset_link_works_once(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    ask_reset(client, "officer@example.org")
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.text
    new = {
        "new_password1": "ein-neues-langes-passwort",
        "new_password2": "ein-neues-langes-passwort",
    }
    done = client.post(form.redirect_chain[-1][0], new)
    assert done["Location"] == reverse("accounts_password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password("ein-neues-langes-passwort")
    assert events(Kind.PASSWORD_CHANGED, user=officer).exists()
    again = client.get(link, follow=True)
    assert 'name="new_password1"' not in again.text


def test_a_reset_link_expires_after_an_hour(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    with time_machine.travel(NOW, tick=False):
        ask_reset(client, "officer@example.org")
    link = reset_link(mail.outbox[0])
    with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
        assert 'name="new_password1"' in client.get(link, follow=True).text
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        assert 'name="new_password1"' not in client.__class__().get(link, follow=True).text


def test_reset_mails_per_address_are_limited_with_the_same_answer(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    limit = settings.NEWSROOM_PASSWORD_RESET_PER_ADDRESS
    answers = {
        ask_reset(client, "officer@example.org", REMOTE_ADDR=f"192.0.2.{n}")["Location"]
        for n in range(limit + 2)
    }
    assert answers == {reverse("accounts_password_reset_done")}
    assert len(mail.outbox) == limit
    assert events(Kind.PASSWORD_RESET_REFUSED, user=officer).count() == 2


def test_reset_requests_per_client_are_limited(client, db):
    limit = settings.NEWSROOM_PASSWORD_RESET_PER_CLIENT
    for n in range(limit):
        assert ask_reset(client, f"someone{n}@example.org").status_code == 302
    assert ask_reset(client, "one-more@example.org").status_code == 429
    assert ask_reset(client, "other@example.org", REMOTE_ADDR="192.0.2.1").status_code == 302


# Retiring unused accounts ---------------------------------------------------------------------


def test_unused_accounts_are_warned_then_deactivated(officer, lead):
    officer.email = "officer@example.org"
    officer.last_login = NOW
    officer.save()
    lead.last_login = NOW + timedelta(days=30)
    lead.save()
    with time_machine.travel(NOW + timedelta(days=82), tick=False):
        deactivate_unused_accounts.enqueue()
    assert mail.outbox == []
    with time_machine.travel(NOW + timedelta(days=83, hours=1), tick=False):
        deactivate_unused_accounts.enqueue()
        deactivate_unused_accounts.enqueue()  # daily runs warn once
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    assert "Konto wird deaktiviert" in mail.outbox[0].subject
    assert events(Kind.INACTIVITY_WARNING, user=officer).count() == 1
    with time_machine.travel(NOW + timedelta(days=90, hours=1), tick=False):
        deactivate_unused_accounts.enqueue()
    officer.refresh_from_db()
    lead.refresh_from_db()
    assert not officer.is_active and lead.is_active
    assert officer.username == "officer"  # the name stays on history
    assert events(Kind.DEACTIVATED, user=officer).count() == 1


def test_a_reactivated_account_gets_its_time_again(client, officer, superuser):
    officer.last_login = NOW
    officer.is_active = False
    officer.save()
    with time_machine.travel(NOW + timedelta(days=200), tick=False):
        officer.is_active = True
        officer.save()
        assert events(Kind.REACTIVATED, user=officer).exists()
    with time_machine.travel(NOW + timedelta(days=201), tick=False):
        call_command("deactivate_unused_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    officer.refresh_from_db()
    assert officer.is_active


def test_the_command_has_a_dry_run(officer, capsys):
    officer.last_login = NOW
    officer.save()
    with time_machine.travel(NOW + timedelta(days=91), tick=False):
        call_command("deactivate_unused_accounts", "--dry-run")
    assert "would deactivate officer" in capsys.readouterr().out
    officer.refresh_from_db()
    assert officer.is_active


# Keeping the trail no longer than needed ------------------------------------------------------


def test_the_trail_and_the_sign_in_logs_go_after_their_days(client, officer, settings, capsys):
    days = settings.NEWSROOM_SECURITY_TRAIL_DAYS
    old, recent = NOW - timedelta(days=days, hours=1), NOW - timedelta(days=days - 1)
    for moment in (old, recent):
        with time_machine.travel(moment, tick=False):
            sign_in(client, "officer", "wrong-password")  # a trail event and axes' failure log
            sign_in(client, "officer", "pw-officer")  # a trail event and axes' sign-in log
            client.logout()
            AccessFailureLog.objects.create(username="officer", user_agent="-")  # when enabled
    trail = SecurityEvent.objects.all()
    kept = {event.kind for event in trail.filter(at=recent)}
    assert trail.filter(at=old).exists() and AccessLog.objects.filter(attempt_time=old).exists()
    with time_machine.travel(NOW, tick=False):
        call_command("prune_security_trail", "--dry-run")
        assert "would delete" in capsys.readouterr().out
        assert trail.filter(at=old).exists()
        prune_old_security_trail.enqueue()
    assert not trail.filter(at__lt=recent).exists()
    assert {event.kind for event in trail.filter(at__lte=recent)} == kept
    assert set(AccessLog.objects.values_list("attempt_time", flat=True)) == {recent}
    assert set(AccessFailureLog.objects.values_list("attempt_time", flat=True)) == {recent}
