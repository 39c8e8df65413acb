"""Write a small, valid single-page PDF with a few lines of text (demo content and tests)."""


def _pdf_text(value: str) -> str:
    # PDF string literals: escape the delimiters; Latin-1 covers German with WinAnsiEncoding.
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", errors="replace").decode("latin-1")


def build_pdf(title: str, lines: list[str]) -> bytes:
    """Return the bytes of an A4 PDF showing `title` and `lines` in Helvetica."""
    text_ops = ["BT", "/F1 18 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops += ["0 -18 Td", f"({_pdf_text(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return assemble_pdf(objects)


def assemble_pdf(
    objects: list[bytes],
    trailer: bytes = b"",
    startxref: int | None = None,
    version: bytes = b"1.4",
) -> bytes:
    """A PDF file of `objects` (numbered from 1, the first the catalog) with its cross-reference
    table; `trailer` adds entries to the trailer, `startxref` points it elsewhere (for tests)."""
    output = bytearray(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref_at if startxref is None else startxref,
    )
    return bytes(output)
