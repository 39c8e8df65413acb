"""The vCard of a press contact: valid, complete, and only for active contacts."""

import pytest

from contacts.vcard import build_vcard, fold


@pytest.fixture
def issuer(issuer):
    # A vCard names its organisation, so it is served only for a public one (test_taxonomy.py).
    issuer.always_public = True
    issuer.save()
    return issuer


def parse_vcard(text: str) -> dict[str, list[str]]:
    """A minimal RFC 2425 reader: unfold lines, split properties, keep all values per name."""
    assert text.endswith("\r\n")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    properties: dict[str, list[str]] = {}
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        properties.setdefault(name, []).append(value)
    return properties


def test_vcard_has_name_role_organisation_phone_fax_and_email(contact):
    card = parse_vcard(build_vcard(contact))

    assert card["VERSION"] == ["3.0"]
    assert card["FN"] == ["Erika Mustermann"]
    assert card["N"] == ["Mustermann;Erika;;;"]
    assert card["TITLE"] == ["Pressesprecherin"]
    assert card["ORG"] == ["Ministerium für Beispiele"]
    assert card["TEL;TYPE=WORK,VOICE"] == ["+49 351 111"]
    assert card["TEL;TYPE=WORK,FAX"] == ["+49 351 112"]
    assert card["EMAIL;TYPE=INTERNET,WORK"] == ["presse@example.org"]
    assert card["ADR;TYPE=WORK"] == [";;Musterstraße 1;Dresden;;01097;"]


def test_long_lines_are_folded_within_75_octets():
    folded = fold("NOTE:" + "ä" * 100)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "NOTE:" + "ä" * 100


def test_vcard_download(client, contact):
    response = client.get(contact.get_vcard_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "Erika Mustermann" in response.content.decode()


def test_inactive_contact_has_no_vcard(client, contact):
    contact.is_active = False
    contact.save()
    assert client.get(contact.get_vcard_url()).status_code == 404
