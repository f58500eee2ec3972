"""Which evidence files a milestone update accepts: judged by content, never by extension.

Accepted: PDF; Word, Excel and PowerPoint (2007+ and 97-2003); OpenDocument text,
spreadsheet and presentation; PNG, JPEG and GIF images; plain text (UTF-8 or Windows-1252,
including CSV). Markup (HTML, SVG, XML) and everything else is refused, so nothing a browser
would run is ever stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPTED_DESCRIPTION = (
    "a PDF, Word, Excel, PowerPoint or OpenDocument file, a PNG, JPEG or GIF image, "
    "or a plain-text file"
)


class EvidenceRejected(ValueError):
    """The file is not acceptable evidence; the message says why, for the person uploading."""


@dataclass(frozen=True)
class EvidenceKind:
    content_type: str
    extension: str
    label: str


PDF = EvidenceKind("application/pdf", ".pdf", "PDF document")
PNG = EvidenceKind("image/png", ".png", "PNG image")
JPEG = EvidenceKind("image/jpeg", ".jpg", "JPEG image")
GIF = EvidenceKind("image/gif", ".gif", "GIF image")
TEXT = EvidenceKind("text/plain", ".txt", "text file")
OLE = EvidenceKind("application/vnd.ms-office", ".doc", "Office 97-2003 document")
_OOXML = {
    "word/": EvidenceKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        "Word document",
    ),
    "xl/": EvidenceKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        "Excel workbook",
    ),
    "ppt/": EvidenceKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        "PowerPoint presentation",
    ),
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": EvidenceKind(
        "application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text"
    ),
    b"application/vnd.oasis.opendocument.spreadsheet": EvidenceKind(
        "application/vnd.oasis.opendocument.spreadsheet", ".ods", "OpenDocument spreadsheet"
    ),
    b"application/vnd.oasis.opendocument.presentation": EvidenceKind(
        "application/vnd.oasis.opendocument.presentation", ".odp", "OpenDocument presentation"
    ),
}
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _zip_kind(data: bytes) -> EvidenceKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of a sample is still UTF-8.
        if exc.start < len(data) - 3:
            return not any(b in _CP1252_UNDEFINED for b in data)
    # No other control characters than tab, newline, carriage return and form feed.
    return not any(b < 0x20 and b not in (9, 10, 12, 13) for b in data)


def sniff(data: bytes) -> EvidenceKind:
    """The kind of file these bytes are, or EvidenceRejected saying what is accepted."""
    if not data:
        raise EvidenceRejected("The file is empty.")
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind is None:
            raise EvidenceRejected(
                f"This ZIP file is not an Office or OpenDocument file. Upload {ACCEPTED_DESCRIPTION}."
            )
        return kind
    head = data[:8192]
    if _is_text(head):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if stripped.startswith(b"<"):
            raise EvidenceRejected(
                "Web pages and markup (HTML, SVG, XML) are not accepted as evidence: "
                "give a link instead, or save it as PDF."
            )
        return TEXT
    raise EvidenceRejected(f"This type of file is not accepted. Upload {ACCEPTED_DESCRIPTION}.")


def check_evidence(*, data: bytes, size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> EvidenceKind:
    """Check size then content; return the kind. ``data`` is the whole file (bounded by size)."""
    if size > max_bytes:
        raise EvidenceRejected(
            f"The file is {size / (1024 * 1024):.1f} MB: the limit is "
            f"{max_bytes / (1024 * 1024):.0f} MB."
        )
    return sniff(data)
