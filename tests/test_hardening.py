"""Issue 12: every hostile input of the outside review gets a clear answer, never a 500.

Zip bombs and PDFs that crash the check, NUL in secret tokens, control characters in feeds,
concurrent saves on SQLite, token lookups in the admin, Referer leaks of preview tokens, and
vCard injection. Each test uses the review's input.
"""

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

import feedparser
import pypdf._encryption
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf._crypt_providers import _fallback

from alerts.models import Subscriber
from contacts.models import Contact
from contacts.vcard import build_vcard
from publications import pdf
from publications.documents import inspect_document
from publications.models import Publication, Series
from publications.pdf import build_pdf
from releases.models import PreviewAccess, PreviewLink, Release, Topic

GIB = 1024**3
MB = 1024 * 1024


# --- Zip bombs ------------------------------------------------------------------------------


def zip_bomb(members: dict[str, bytes], bomb_name: str) -> bytes:
    """A ZIP with small `members` and `bomb_name`: 1 GiB of deflated zeros (about 1 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with archive.open(bomb_name, "w") as bomb:
            zeros = bytes(MB)
            for _ in range(GIB // MB):
                bomb.write(zeros)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def mimetype_bomb():
    # The review's upload: `[Content_Types].xml` and a 1 GiB `mimetype` member.
    return zip_bomb({"[Content_Types].xml": b"<Types/>"}, "mimetype")


@pytest.fixture(scope="session")
def docx_bomb():
    return zip_bomb({"[Content_Types].xml": b"<Types/>"}, "word/document.xml")


@pytest.mark.slow
def test_zip_bomb_is_refused_with_peak_memory_under_50_mb(mimetype_bomb):
    assert len(mimetype_bomb) < 2 * MB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            inspect_document(io.BytesIO(mimetype_bomb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "zip_bomb"
    assert peak < 50 * MB


def test_docx_whose_document_xml_is_a_bomb_is_a_form_error(client, lead, issuer, docx_bomb):
    client.force_login(lead)
    response = client.post(
        reverse("admin:publications_publication_add"),
        {
            "title": "Bombe",
            "slug": "bombe",
            "issuer": issuer.pk,
            "file": SimpleUploadedFile("bericht.docx", docx_bomb),
            "published_at_0": "25.11.2026",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert file_error_codes(response) == ["zip_bomb"]
    assert not Publication.objects.exists()


def file_error_codes(response) -> list[str]:
    """The codes of the errors the admin form shows at its file field."""
    form = response.context["adminform"].form
    return [error.code for error in form.errors.as_data().get("file", [])]


def set_declared_size(data: bytes, name: bytes, size: int) -> bytes:
    """`data` with member `name`'s uncompressed size rewritten in both of its headers."""
    data = bytearray(data)
    local = data.index(b"PK\x03\x04")  # the member is written first
    assert data[local + 30 : local + 30 + len(name)] == name
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    assert data[central + 46 : central + 46 + len(name)] == name
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(data)


def test_a_member_holding_more_than_it_declares_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b"x" * 200_000)
        archive.writestr("[Content_Types].xml", b"<Types/>")
    lying = set_declared_size(buffer.getvalue(), b"word/document.xml", 100)
    with pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(lying))
    assert refused.value.code == "unsupported_document"


def test_a_zip_with_more_members_than_any_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        for number in range(10_001):
            archive.writestr(f"{number}", b"")
    with pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(buffer.getvalue()))
    assert refused.value.code == "zip_bomb"


# --- PDFs that crash the check --------------------------------------------------------------

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
FILE_ID = b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] "


def assemble_pdf(objects: list[bytes], trailer: bytes = b"", startxref: int | None = None) -> bytes:
    return pdf.assemble_pdf(objects, trailer, startxref, version=b"1.7")


def aes_256_pdf() -> bytes:
    """AES-256 (revision 5) with an empty user password: it opens, and every read decrypts."""
    import hashlib

    validation_salt, key_salt = b"\x01" * 8, b"\x02" * 8
    user = hashlib.sha256(validation_salt).digest() + validation_salt + key_salt
    owner = hashlib.sha256(b"owner" + validation_salt + user).digest() + validation_salt + key_salt
    encrypt = (
        b"<< /Filter /Standard /V 5 /R 5 /Length 256 /P -4 /StmF /StdCF /StrF /StdCF "
        b"/CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 /Length 32 >> >> "
        b"/O <%s> /U <%s> /OE <%s> /UE <%s> /Perms <%s> >>"
        % (owner.hex().encode(), user.hex().encode(), b"00" * 32, b"00" * 32, b"00" * 16)
    )
    return assemble_pdf([CATALOG, PAGES, PAGE, encrypt], b"/Encrypt 4 0 R " + FILE_ID)


def deep_page_tree_pdf(depth: int = 20_000) -> bytes:
    objects = [CATALOG]
    for level in range(depth):
        number = 2 + level
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1))
    return assemble_pdf(objects)


HOSTILE_PDFS = {
    "aes-256": (aes_256_pdf, "encrypted_pdf"),
    "deep page tree": (deep_page_tree_pdf, "broken_pdf"),
    "unknown encryption filter": (
        lambda: assemble_pdf(
            [CATALOG, PAGES, PAGE, b"<< /Filter /NoSuchHandler /V 9 /R 9 >>"],
            b"/Encrypt 4 0 R " + FILE_ID,
        ),
        "broken_pdf",
    ),
    "huge startxref": (
        lambda: assemble_pdf([CATALOG, PAGES, PAGE], startxref=10**30),
        "broken_pdf",
    ),
    # The catalog replaced by a reference: pypdf fails with AttributeError.
    "mutated (AttributeError)": (
        lambda: build_pdf("Titel", ["Zeile"]).replace(b"1 0 obj\n<<", b"1 0 obj\n3 0 R", 1),
        "broken_pdf",
    ),
    "no page": (
        lambda: assemble_pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "broken_pdf",
    ),
}


@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_a_hostile_pdf_gets_a_clear_error_quickly(name):
    make, code = HOSTILE_PDFS[name]
    data = make()
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(data))
    assert time.monotonic() - started < 5
    assert refused.value.code == code


def test_aes_256_without_cryptography_is_refused_as_encrypted(monkeypatch):
    # Without the optional `cryptography` package pypdf raises DependencyError on AES files.
    for name in ("aes_cbc_decrypt", "aes_cbc_encrypt", "aes_ecb_decrypt", "aes_ecb_encrypt"):
        monkeypatch.setattr(pypdf._encryption, name, getattr(_fallback, name))
    with pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(aes_256_pdf()))
    assert refused.value.code == "encrypted_pdf"


@pytest.mark.parametrize("name", ["aes-256", "mutated (AttributeError)", "huge startxref"])
def test_a_hostile_pdf_upload_is_a_form_error_not_a_500(client, lead, issuer, name):
    client.force_login(lead)
    response = client.post(
        reverse("admin:publications_publication_add"),
        {
            "title": "Bericht",
            "slug": "bericht",
            "issuer": issuer.pk,
            "file": SimpleUploadedFile("bericht.pdf", HOSTILE_PDFS[name][0]()),
            "published_at_0": "25.11.2026",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert file_error_codes(response) == [HOSTILE_PDFS[name][1]]
    assert not Publication.objects.exists()


VALID_PDF = build_pdf("Jahresbericht", ["Seite eins", "Seite zwei"])
# Where a mutation may swap one PDF token for another: names, references, numbers, delimiters.
TOKENS = [match.span() for match in re.finditer(rb"/\w+|\d+ 0 R|\d+|<<|>>|\[|\]", VALID_PDF)]
SNIPPETS = [b"3 0 R", b"99 0 R", b"null", b"(x)", b"[]", b"<< >>", b"/Encrypt", b"-1", b"1e99"]
mutation = st.one_of(
    st.tuples(st.just("swap"), st.sampled_from(TOKENS), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("replace"), st.integers(0, len(VALID_PDF) - 1), st.binary(max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, len(VALID_PDF) - 1), st.integers(1, 40)),
    st.tuples(
        st.just("insert"),
        st.integers(0, len(VALID_PDF)),
        st.sampled_from([b"3 0 R", b"null", b"(x)", b"[", b"<<", b"/Encrypt", b"99999999999"]),
    ),
    st.tuples(st.just("truncate"), st.integers(1, len(VALID_PDF)), st.just(0)),
)


def mutate(data: bytes, steps) -> bytes:
    for kind, at, what in steps:
        if kind == "swap":
            start, end = at
            data = data[:start] + what + data[end:]
        elif kind == "replace":
            data = data[:at] + what + data[at + len(what) :]
        elif kind == "delete":
            data = data[:at] + data[at + what :]
        elif kind == "insert":
            data = data[:at] + what + data[at:]
        else:
            data = data[:at]
    return data


@hypothesis_settings(max_examples=300, deadline=2000, derandomize=True)
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_no_mutation_of_a_valid_pdf_escapes_the_check(steps):
    # A verdict either way is fine; any other exception fails the test (and would be a 500).
    with contextlib.suppress(ValidationError):
        inspect_document(io.BytesIO(mutate(VALID_PDF, steps)))


# --- NUL in a token -------------------------------------------------------------------------

TOKEN_PATHS = [
    "/vorschau/%00/",
    "/benachrichtigungen/bestaetigen/%00/",
    "/benachrichtigungen/verwalten/%00/",
    "/benachrichtigungen/abmelden/%00/",
]


@pytest.mark.parametrize("path", TOKEN_PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_nul_in_a_token_is_404(client, db, path, method):
    # On PostgreSQL a NUL in a query parameter raised ValueError: a 500.
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_no_view_sees_a_token_with_odd_characters(path):
    with pytest.raises(Resolver404):
        resolve(path.replace("%00", "\x00"))
    with pytest.raises(Resolver404):
        resolve(path.replace("%00", "a b"))


# --- Control characters in feeds ------------------------------------------------------------


@pytest.fixture
def hostile_texts(issuer, contact, make_publication, make_release):
    """Every text that reaches a feed holds a vertical tab, written past `save()` as an import
    or an old row might have it."""
    series = Series.objects.create(title="Schlaglicht", slug="schlaglicht")
    topic = Topic.objects.create(name="Wirtschaft", slug="wirtschaft")
    publication = make_publication(series=series)
    release = make_release(contacts=[contact])
    release.topics.add(topic)
    Series.objects.filter(pk=series.pk).update(
        title="Schlag\x0blicht", description="Eine\x0bReihe"
    )
    Publication.objects.filter(pk=publication.pk).update(
        title="Ein\x0bBericht", description="Mit\x0bText"
    )
    Topic.objects.filter(pk=topic.pk).update(name="Wirt\x0bschaft")
    type(issuer).objects.filter(pk=issuer.pk).update(name="Minis\x0bterium")
    Contact.objects.filter(pk=contact.pk).update(name="Erika\x0bMustermann")
    Release.objects.filter(pk=release.pk).update(title="Eine\x0bMitteilung", lead="Der\x0bVorspann")
    return series


@pytest.mark.parametrize("extension", ["rss", "atom"])
def test_every_feed_is_valid_whatever_control_characters_are_stored(
    client, hostile_texts, extension
):
    paths = [
        f"/feeds/publikationen/schlaglicht.{extension}",
        f"/feeds/publikationen.{extension}",
        f"/feeds/pressemitteilungen.{extension}",
        f"/feeds/themen/wirtschaft.{extension}",
        f"/feeds/herausgeber/mfb.{extension}",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"\x0b" not in response.content, path
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path


def test_control_characters_are_stripped_on_save(issuer):
    series = Series.objects.create(title="Schlag\x0blicht", slug="s", description="Eine\x0bReihe")
    topic = Topic.objects.create(name="Wirt\x0bschaft", slug="w")
    contact = Contact.objects.create(
        organisation=issuer, slug="m", name="Mallory Press\rEMAIL:attacker@evil.example"
    )
    series.refresh_from_db()
    topic.refresh_from_db()
    contact.refresh_from_db()
    assert (series.title, series.description) == ("Schlag licht", "EineReihe")
    assert topic.name == "Wirt schaft"
    assert contact.name == "Mallory Press EMAIL:attacker@evil.example"


# --- Concurrent admin saves on SQLite -------------------------------------------------------

CONCURRENT_SAVES = """
import json, sys, threading
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client
from releases.models import Topic

call_command("migrate", verbosity=0)
admin = User.objects.create_superuser("root", password="pw-root-pw-root")
topics = [Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}") for n in range(10)]
clients = []
for _ in topics:
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    clients.append(client)
connections.close_all()
start = threading.Barrier(len(topics))
results = []

def save(client, topic):
    start.wait()
    for round in range(5):
        response = client.post(
            f"/admin/releases/topic/{topic.pk}/change/",
            {"name": f"{topic.name} {round}", "slug": topic.slug},
        )
        results.append(response.status_code)
    connections.close_all()

threads = [threading.Thread(target=save, args=pair) for pair in zip(clients, topics)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(results))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="about the SQLite settings; runs in the SQLite suite"
)
def test_ten_concurrent_admin_saves_on_sqlite_never_fail(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'newsroom.sqlite3'}",
        "DJANGO_CONN_MAX_AGE": "0",
    }
    finished = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CONCURRENT_SAVES],
        cwd=Path(django_settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "database is locked" not in finished.stderr
    statuses = json.loads(finished.stdout.strip().splitlines()[-1])
    assert statuses == [302] * 50


# --- Token lookups in the admin -------------------------------------------------------------


@pytest.fixture
def subscriber(db):
    return Subscriber.objects.create(email="jana@spiegel.de", confirmed_at=timezone.now())


def test_a_portal_administrator_cannot_test_a_token_prefix_through_admin_lookups(
    client, portal_admin, subscriber
):
    client.force_login(portal_admin)
    url = reverse("admin:alerts_subscriber_changelist")
    other = "Z" if subscriber.token[0] != "Z" else "Y"
    answers = []
    for prefix in (subscriber.token[:1], other):
        response = client.get(url, {"id__exact": subscriber.pk, "token__regex": f"^{prefix}"})
        assert response.status_code == 400
        answers.append(response.content)
    # A matching and a failing prefix get the same answer, which names nobody.
    assert answers[0] == answers[1]
    assert b"j\xe2\x80\xa6@" not in answers[0] and b"spiegel" not in answers[0]


@pytest.mark.parametrize(
    "query",
    [
        {"token__startswith": "a"},
        {"token": "x"},
        {"email__startswith": "j"},
        {"consent_text__contains": "@"},
        {"deliveries__message_id": "x"},
        {"topics__alert_subscribers__token__regex": "^a"},
        # Not shown in the admin, so not asked about either.
        {"request_mailed_at__isnull": "1"},
    ],
)
def test_secret_and_personal_lookups_are_refused_to_a_portal_administrator(
    client, portal_admin, subscriber, query
):
    client.force_login(portal_admin)
    url = reverse("admin:alerts_subscriber_changelist")
    assert client.get(url, query).status_code == 400


def test_tokens_are_not_looked_up_even_by_who_may_read_addresses(client, superuser, subscriber):
    client.force_login(superuser)
    subscribers = reverse("admin:alerts_subscriber_changelist")
    assert client.get(subscribers, {"email__startswith": "j"}).status_code == 200
    assert client.get(subscribers, {"token__startswith": "a"}).status_code == 400
    deliveries = reverse("admin:alerts_delivery_changelist")
    assert client.get(deliveries, {"subscriber__token__regex": "^a"}).status_code == 400
    for page in (subscribers, reverse("admin:alerts_subscriber_change", args=[subscriber.pk])):
        assert subscriber.token not in client.get(page).content.decode()


def test_secret_lookups_are_refused_whatever_the_list_filters(rf, superuser):
    # Relation lookups are only allowed through list filters today; the refusal does not rely
    # on nobody ever adding the subscriber to one.
    from django.contrib import admin
    from django.contrib.admin.exceptions import DisallowedModelAdminLookup

    from alerts.models import Delivery

    request = rf.get("/")
    request.user = superuser
    for lookup in ("subscriber__token__regex", "subscriber__token"):
        with pytest.raises(DisallowedModelAdminLookup):
            admin.site._registry[Delivery].lookup_allowed(lookup, "^a", request)


# --- Preview tokens and Referer -------------------------------------------------------------


@pytest.fixture
def preview(make_release, lead):
    go_live = timezone.now() + timedelta(days=1)
    release = make_release("sperrfrist", go_live_at=go_live, first_published_at=go_live)
    return PreviewLink.objects.create(release=release, label="Zeitung", created_by=lead)


def test_preview_pages_send_no_referrer(client, preview, officer):
    assert client.get(preview.get_absolute_url())["Referrer-Policy"] == "no-referrer"
    client.force_login(officer)
    staff = client.get(reverse("admin:releases_release_preview", args=[preview.release.pk]))
    assert staff["Referrer-Policy"] == "no-referrer"


def test_behind_a_proxy_the_preview_log_records_the_client(client, settings, preview):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    client.get(
        preview.get_absolute_url(),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66, 192.0.2.7",
    )
    assert PreviewAccess.objects.get().ip_address == "192.0.2.7"


def test_without_a_proxy_a_forwarded_for_header_is_not_believed(client, settings, preview):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    client.get(
        preview.get_absolute_url(), REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="198.51.100.66"
    )
    assert PreviewAccess.objects.get().ip_address == "192.0.2.8"


def test_login_throttling_sees_the_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.NEWSROOM_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66, 192.0.2.7")
    assert get_client_ip_address(request) == "192.0.2.7"


# --- vCard injection ------------------------------------------------------------------------

BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]


def read_vcard(text: str) -> dict[str, list[str]]:
    """Unfold, then split lines the way the most eager reader does (str.splitlines)."""
    lines = text.replace("\r\n ", "").splitlines()
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    properties: dict[str, list[str]] = {}
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        properties.setdefault(name, []).append(value)
    return properties


def unescape(value: str) -> str:
    replacements = {"\\n": "\n", "\\N": "\n", "\\,": ",", "\\;": ";", "\\\\": "\\"}
    output, index = "", 0
    while index < len(value):
        pair = value[index : index + 2]
        if pair in replacements:
            output, index = output + replacements[pair], index + 2
        else:
            output, index = output + value[index], index + 1
    return output


@pytest.mark.parametrize("line_break", BREAKS)
def test_a_vcard_has_exactly_the_fields_entered(issuer, line_break):
    name = f"Mallory Press{line_break}EMAIL:attacker@evil.example"
    role = f"Chef{line_break}\x00in"
    contact = Contact(organisation=issuer, slug="mallory", name=name, role=role)
    card = read_vcard(build_vcard(contact))
    assert set(card) == {"VERSION", "FN", "N", "ORG", "TITLE", "ADR;TYPE=WORK"}
    assert unescape(card["FN"][0]) == "Mallory Press\nEMAIL:attacker@evil.example"
    assert unescape(card["TITLE"][0]) == "Chef\nin"


def test_the_vcard_download_of_a_stored_hostile_name_has_no_extra_property(
    client, contact, make_release
):
    make_release(contacts=[contact])  # a vCard is served for a public issuer only
    Contact.objects.filter(pk=contact.pk).update(name="Mallory Press\rEMAIL:attacker@evil.example")
    card = read_vcard(client.get(contact.get_vcard_url()).content.decode())
    assert card["EMAIL;TYPE=INTERNET,WORK"] == ["presse@example.org"]
    assert "EMAIL" not in card
