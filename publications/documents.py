"""Recognise an uploaded document by its content, never by its name.

Only a short list of types is accepted. A PDF must parse; its page count is read on the way.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError


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


def _inspect_pdf(file) -> Inspection:
    try:
        reader = PdfReader(file)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(
            _("The file looks like a PDF but cannot be read: it may be damaged."),
            code="broken_pdf",
        ) from error
    if reader.is_encrypted:
        raise ValidationError(
            _("Encrypted PDFs cannot be published; please upload an unprotected copy."),
            code="encrypted_pdf",
        )
    return Inspection(PDF, pages)


def _inspect_zip(file) -> Inspection:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                doc_type = _ODF_MIME_TYPES.get(archive.read("mimetype").strip())
                if doc_type:
                    return Inspection(doc_type, None)
            if "[Content_Types].xml" in names:
                for part, doc_type in _OOXML_MAIN_PARTS.items():
                    if part in names:
                        return Inspection(doc_type, None)
    except (zipfile.BadZipFile, KeyError, OSError):
        pass
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
