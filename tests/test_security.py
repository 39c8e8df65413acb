"""Production settings, security headers, login throttling, uploads and hostile rich text."""

import io
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from newsroom.richtext import sanitise_html
from photos.models import Photo

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "NEWSROOM_ENV": "production",
    "DJANGO_SECRET_KEY": "x9" * 30 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "presse.example.org",
    "NEWSROOM_BASE_URL": "https://presse.example.org",
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_application_freezes_what_lives_as_long_as_the_process():
    """gunicorn's workers load newsroom.wsgi: the garbage collector then skips the apps, models
    and views on each full collection."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    script = (
        "import gc, sys, newsroom.wsgi; "
        "print(gc.get_freeze_count(), 'newsroom.urls' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean | PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, urls_loaded = result.stdout.split()
    assert int(frozen) > 100_000 and urls_loaded == "True"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("NEWSROOM_BASE_URL", "NEWSROOM_BASE_URL"),
    ],
)
def test_production_refuses_to_start_without_real_secrets(missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_base_url_without_its_scheme_is_refused_in_production():
    result = manage("check", env=PRODUCTION_ENV | {"NEWSROOM_BASE_URL": "presse.example.org"})
    assert result.returncode != 0 and "NEWSROOM_BASE_URL" in result.stderr


def test_a_security_trail_kept_shorter_than_an_account_may_be_idle_stops_the_start():
    """Reactivations and warnings in the trail are what the idle limit counts from."""
    result = manage("check", env=PRODUCTION_ENV | {"NEWSROOM_SECURITY_TRAIL_DAYS": "30"})
    assert result.returncode != 0 and "NEWSROOM_SECURITY_TRAIL_DAYS (30)" in result.stderr
    assert (
        manage("check", env=PRODUCTION_ENV | {"NEWSROOM_SECURITY_TRAIL_DAYS": "90"}).returncode == 0
    )


def test_a_short_secret_key_is_refused_in_production():
    result = manage("check", env=PRODUCTION_ENV | {"DJANGO_SECRET_KEY": "too-short"})
    assert result.returncode != 0 and "50+" in result.stderr


def test_a_yes_no_setting_with_a_typo_stops_the_start():
    result = manage("check", env=PRODUCTION_ENV | {"NEWSROOM_BEHIND_PROXY": "ture"})
    assert result.returncode != 0
    assert "NEWSROOM_BEHIND_PROXY='ture' is neither yes" in result.stderr
    assert manage("check", env=PRODUCTION_ENV | {"NEWSROOM_BEHIND_PROXY": "Yes"}).returncode == 0


def test_public_pages_send_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_admin_policy_allows_ckeditors_styles_but_no_inline_script(client, officer):
    client.force_login(officer)
    policy = client.get(reverse("admin:releases_release_add"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    script = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe" not in script
    assert "frame-ancestors 'none'" in policy


def test_login_is_throttled_after_five_wrong_passwords(client, officer):
    for _ in range(5):
        client.post("/admin/login/", {"username": "officer", "password": "falsch"})
    response = client.post("/admin/login/", {"username": "officer", "password": "pw-officer"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_works(client, officer):
    for _ in range(3):
        client.post("/admin/login/", {"username": "officer", "password": "falsch"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "officer", "password": "pw-officer"}
    )
    assert response.status_code == 302


def test_sessions_expire(client, officer, settings):
    client.post("/admin/login/", {"username": "officer", "password": "pw-officer"})
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("password", ["kurz", "password1234", "12345678901234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def png(width=20, height=10) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_with_a_clear_message(client, officer, issuer):

    bomb = png(8000, 6000)  # 48 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    client.force_login(officer)
    data = {
        "office": issuer.pk,
        "file": SimpleUploadedFile("bombe.png", bomb, "image/png"),
        "alt_text": "Ein Bild",
        "caption": "Eine Bildunterschrift",
        "licence": "editorial",
        "focus_x": "50",
        "focus_y": "50",
    }
    response = client.post(reverse("admin:photos_photo_add"), data)
    assert response.status_code == 200
    assert "Megapixel" in response.content.decode()
    assert "Eine Bildunterschrift" in response.content.decode()
    assert not Photo.objects.exists()


def test_editor_upload_refuses_non_staff(client, stranger):
    client.force_login(stranger)
    upload = {"upload": SimpleUploadedFile("a.png", png(), "image/png")}
    assert client.post("/ckeditor5/image_upload/", upload).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("bild.png", b"<html><script>alert(1)</script></html>"),
        ("bild.png", None),  # a decompression bomb
    ],
)
def test_editor_upload_refuses_what_is_not_a_safe_image(client, officer, name, content):
    client.force_login(officer)
    data = content if content is not None else png(8000, 6000)
    response = client.post("/ckeditor5/image_upload/", {"upload": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_editor_upload_stores_a_real_image_under_a_random_name(client, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("../../etc/passwd.png", png(), "image/png")
    response = client.post("/ckeditor5/image_upload/", {"upload": upload})
    url = response.json()["url"]
    assert response.status_code == 200
    assert url.startswith("/media/editor/") and url.endswith(".png")
    assert "passwd" not in url and ".." not in url


# Known filter-evasion payloads: none may reach a reader in any form.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>x</a>",
    "<a href='java\tscript:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "<img src='data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+'>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<object data='javascript:alert(1)'></object>",
    "<embed src='javascript:alert(1)'>",
    "<form action='javascript:alert(1)'><button>x</button></form>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "<p style='x:expression(alert(1))'>x</p>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<a href="javascript&colon;alert(1)">x</a>',
    '<img src="x" alt="" onerror="alert(1)"/>',
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<base href='javascript:alert(1)//'>",
    "<link rel=stylesheet href='javascript:alert(1)'>",
    "<input autofocus onfocus=alert(1)>",
    "<table background='javascript:alert(1)'><tr><td>x</td></tr></table>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "ontoggle",
    "onfocus",
    "javascript:",
    "vbscript:",
    "data:",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<math",
    "<form",
    "<style",
    "expression(",
    "<meta",
    "<base",
    "<link",
    "<input",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitiser_removes_every_known_payload(payload):
    cleaned = sanitise_html(payload).lower()
    assert not [word for word in FORBIDDEN if word in cleaned], cleaned


class ActiveContent(HTMLParser):
    """Collects whatever a browser would run: scripts, handlers, script URLs, embedded frames."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "xlink:href"}
    SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") != "application/ld+json":
            self.found.append(f"<script {attributes}>")
        if tag in {"iframe", "object", "embed", "svg", "math", "base", "style"}:
            self.found.append(f"<{tag}>")
        if tag == "form" and not (attributes.get("action") or "").startswith("/"):
            self.found.append(f"<form {attributes}>")  # our own forms post to our own paths
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            url = "".join((value or "").split()).lower()
            if name in self.URL_ATTRIBUTES and url.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def feed_html(xml: bytes) -> str:
    """The HTML a feed reader renders: every entry's content and summary, unescaped."""
    root = ElementTree.fromstring(xml)
    return "".join(
        element.text or ""
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in {"encoded", "content", "summary", "description"}
    )


def test_no_payload_reaches_a_public_page_or_feed(client, make_release):
    body = "".join(XSS_PAYLOADS)
    release = make_release(
        title="<script>alert(1)</script> Titel",
        lead="<img src=x onerror=alert(1)> Vorspann",
        body=body,
        background=body,
    )
    pages = {
        "detail": client.get(release.get_absolute_url()).content.decode(),
        "home": client.get("/").content.decode(),
        "search": client.get("/pressemitteilungen/?q=Titel").content.decode(),
        "rss": feed_html(client.get("/feeds/pressemitteilungen.rss").content),
        "atom": feed_html(client.get("/feeds/pressemitteilungen.atom").content),
    }
    assert "Vorspann" in pages["rss"] and "Vorspann" in pages["atom"]
    for name, html in pages.items():
        assert active_content(html) == [], name
