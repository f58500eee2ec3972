"""What a meeting paper may be: its type (by name AND by content) and its size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

OOXML = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class PaperType:
    label: str
    content_type: str
    magic: bytes | None  # None: plain text, checked by decoding


PAPER_TYPES = {
    ".pdf": PaperType("PDF", "application/pdf", b"%PDF-"),
    ".docx": PaperType(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        OOXML,
    ),
    ".xlsx": PaperType(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML
    ),
    ".pptx": PaperType(
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        OOXML,
    ),
    ".doc": PaperType("Word 97-2003", "application/msword", OLE),
    ".xls": PaperType("Excel 97-2003", "application/vnd.ms-excel", OLE),
    ".csv": PaperType("CSV", "text/csv", None),
    ".txt": PaperType("text", "text/plain", None),
}


def paper_max_bytes() -> int:
    return getattr(settings, "PARTNERSHIP_PAPER_MAX_BYTES", 20 * 1024 * 1024)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def paper_type_check(uploaded_file) -> PaperType:
    """The paper's type, or a ValidationError naming the file and what is wrong with it."""
    name = PurePath(uploaded_file.name or "").name
    if not name:
        raise ValidationError("Choose a file to upload.")
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(f"“{name}” is empty.")
    if size > paper_max_bytes():
        raise ValidationError(
            f"“{name}” is {_megabytes(size)}; papers may be at most {_megabytes(paper_max_bytes())}."
        )
    paper_type = PAPER_TYPES.get(PurePath(name).suffix.lower())
    if paper_type is None:
        accepted = ", ".join(sorted(PAPER_TYPES))
        raise ValidationError(f"“{name}” is not an accepted type of paper (accepted: {accepted}).")
    uploaded_file.seek(0)
    head = uploaded_file.read(4096)
    uploaded_file.seek(0)
    if paper_type.magic is not None:
        if not head.startswith(paper_type.magic):
            raise ValidationError(
                f"“{name}” does not contain a {paper_type.label} file: its contents do not "
                "match its name."
            )
    else:
        if b"\x00" in head:
            raise ValidationError(f"“{name}” is not a {paper_type.label} file (it is binary).")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                raise ValidationError(f"“{name}” is not readable {paper_type.label}.")
    return paper_type
