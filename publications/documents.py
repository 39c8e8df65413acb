"""Recognise an uploaded document by its content, never by its name.

Only a short list of types is accepted. A PDF must parse; its page count is read on the way.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import DependencyError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentType:
    mime_type: str
    extension: str
    label: str


PDF = DocumentType("application/pdf", "pdf", "PDF")
# Office formats are ZIP containers; the member that identifies them is checked, not the name.
ODT = DocumentType("application/vnd.oasis.opendocument.text", "odt", "ODT")
ODS = DocumentType("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS")
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"
)
XLSX = DocumentType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"
)
PPTX = DocumentType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PPTX"
)
DOCUMENT_TYPES = (PDF, ODT, ODS, DOCX, XLSX, PPTX)
LABELS_BY_MIME_TYPE = {doc_type.mime_type: doc_type.label for doc_type in DOCUMENT_TYPES}

_OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_ODF_MIME_TYPES = {ODT.mime_type.encode(): ODT, ODS.mime_type.encode(): ODS}

# Office files are ZIP archives, and a ZIP may declare (or hold) far more than it weighs: 1 MB of
# deflated zeros unpacks to 1 GiB. No member is ever unpacked whole, and an archive is refused
# when it has more members than any document, declares more unpacked data in all, or has a large
# member compressed better than real content ever is (text and XML: about 10:1; zeros: 1000:1).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_EXPANDED = 512 * 1024 * 1024
ZIP_MEMBER_RATIO = 100
ZIP_SMALL_MEMBER = 1024 * 1024
ZIP_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Inspection:
    doc_type: DocumentType
    page_count: int | None


def _unsupported() -> ValidationError:
    labels = ", ".join(doc_type.label for doc_type in DOCUMENT_TYPES)
    return ValidationError(
        _("This file is not a document of an accepted type (%(types)s)."),
        code="unsupported_document",
        params={"types": labels},
    )


def _broken_pdf() -> ValidationError:
    return ValidationError(
        _("The file looks like a PDF but cannot be read: it may be damaged."),
        code="broken_pdf",
    )


def _encrypted_pdf() -> ValidationError:
    return ValidationError(
        _("Encrypted PDFs cannot be published; please upload an unprotected copy."),
        code="encrypted_pdf",
    )


def _inspect_pdf(file) -> Inspection:
    # pypdf reads leniently, as PDF viewers do (strict mode refuses files that every viewer
    # opens), and bounds what hostile files can make it do (page-tree depth, stream sizes, cycles).
    try:
        reader = PdfReader(file)
        # Asked first: reading the pages of an encrypted file means decrypting it.
        if reader.is_encrypted:
            raise _encrypted_pdf()
        pages = len(reader.pages)
        if pages < 1:
            raise _broken_pdf()
    except ValidationError:
        raise
    except DependencyError as error:
        # AES needs the optional `cryptography` package; only encrypted files get here.
        raise _encrypted_pdf() from error
    except Exception as error:
        # On a damaged or hostile file pypdf can fail with almost any exception (OverflowError
        # on a huge startxref, NotImplementedError on an unknown security handler,
        # AttributeError on a mangled object, its own limits): all of them mean "unreadable".
        logger.info("Refused an unreadable PDF: %s: %s", type(error).__name__, error)
        raise _broken_pdf() from error
    return Inspection(PDF, pages)


def _too_large() -> ValidationError:
    return ValidationError(
        _(
            "This document unpacks to far more data than a document of its size holds; it is "
            "refused as a possible zip bomb."
        ),
        code="zip_bomb",
    )


def _zip_member_count(file) -> int | None:
    """The number of members the end record declares, read before zipfile builds its (unbounded)
    list of them; None if there is no end record, 0xFFFF for a ZIP64 archive."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    # The end record (22 bytes) is followed by a comment of at most 64 KiB.
    tail_size = min(size, 22 + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose members declare more than a document holds, in all or in one."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        expands = member.file_size > ZIP_MEMBER_RATIO * max(member.compress_size, 1)
        if total > ZIP_MAX_EXPANDED or (member.file_size > ZIP_SMALL_MEMBER and expands):
            raise _too_large()


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The start of member `name` (at most `limit` bytes), after reading all of it in chunks:
    zipfile stops at the declared size and checks the CRC, so a member that holds more (or other)
    data than declared fails here, in bounded memory."""
    with archive.open(name) as member:
        head = member.read(limit)
        while member.read(ZIP_CHUNK):
            pass
    return head


def _inspect_zip(file) -> Inspection:
    try:
        members = _zip_member_count(file)
        if members is None:
            raise _unsupported()
        if members > ZIP_MAX_MEMBERS:
            raise _too_large()
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            if len(archive.infolist()) > ZIP_MAX_MEMBERS:
                raise _too_large()
            _check_sizes(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = _read_member(archive, "mimetype", 100).strip()
                doc_type = _ODF_MIME_TYPES.get(mimetype)
                if doc_type:
                    return Inspection(doc_type, None)
            if "[Content_Types].xml" in names:
                for part, doc_type in _OOXML_MAIN_PARTS.items():
                    if part in names:
                        _read_member(archive, "[Content_Types].xml", 0)
                        _read_member(archive, part, 0)
                        return Inspection(doc_type, None)
    except ValidationError:
        raise
    except Exception as error:
        # BadZipFile, a CRC or zlib error, struct.error on a mangled header, NotImplementedError
        # for an unknown compression, RuntimeError for an encrypted member: not a document.
        logger.info("Refused an unreadable ZIP: %s: %s", type(error).__name__, error)
    raise _unsupported()


def inspect_document(file) -> Inspection:
    """Return the type (and for PDFs the page count) of `file`, or raise ValidationError."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    try:
        # The PDF specification lets readers accept the header anywhere in the first kilobyte.
        if b"%PDF-" in head:
            return _inspect_pdf(file)
        if head.startswith(b"PK\x03\x04"):
            return _inspect_zip(file)
    finally:
        file.seek(0)
    raise _unsupported()
