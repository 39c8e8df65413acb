"""vCard 3.0 (RFC 2426) for a press contact, so a journalist can save it in one click."""

import re

from newsroom.plaintext import LINE_BREAKS

from .models import Contact

# Other C0 and C1 control characters are no text in a property value (a tab becomes a space).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape(value: str) -> str:
    """A property value as RFC 6350 3.4 writes it: backslash, comma and semicolon escaped, every
    line break (CR, LF, VT, FF, NEL, U+2028, U+2029, …) as the two characters `\\n`, no other
    control character left, so that no reader sees a property that was not entered."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = LINE_BREAKS.sub(r"\\n", value).replace("\t", " ")
    return CONTROL_CHARACTERS.sub("", value)


def fold(line: str) -> str:
    """Fold a content line at 75 octets, as RFC 2425 requires, without splitting a character."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def build_vcard(contact: Contact) -> str:
    organisation = contact.organisation
    # "Dr. Erika Mustermann" -> family "Mustermann", given "Dr. Erika"; a best guess for N.
    given, _, family = contact.name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{escape(contact.name)}",
        f"N:{escape(family)};{escape(given)};;;",
        f"ORG:{escape(organisation.name)}",
    ]
    if contact.role:
        lines.append(f"TITLE:{escape(contact.role)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(contact.phone)}")
    if contact.fax:
        lines.append(f"TEL;TYPE=WORK,FAX:{escape(contact.fax)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(contact.email)}")
    if organisation.street_address or organisation.city:
        address = ";".join(
            escape(part)
            for part in [
                "",
                "",
                organisation.street_address,
                organisation.city,
                "",
                organisation.postcode,
                "",
            ]
        )
        lines.append(f"ADR;TYPE=WORK:{address}")
    if organisation.website:
        lines.append(f"URL:{escape(organisation.website)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
