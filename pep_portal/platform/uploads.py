"""The one check every upload passes: size, then type judged by content, then the file's name.

Action-plan evidence, consultation attachments and board papers all call :func:`check_upload`
before anything is stored, so one set of rules (and one set of tests) covers them all:

- the file is not empty and not over the caller's size limit (read at most limit + 1 bytes,
  whatever size the request claimed);
- its bytes are one of the accepted kinds: PDF; Word, Excel and PowerPoint (2007+ and 97-2003);
  OpenDocument text, spreadsheet and presentation; PNG, JPEG and GIF images; plain text or
  CSV (UTF-8 or Windows-1252). Markup (HTML, SVG, XML), macro-enabled Office files, executables
  and anything else are refused, so nothing a browser or Office would run is ever stored;
- its name ends as that kind's files do (a PDF called ``minutes.docx`` is refused), so the
  name people see in lists is what they get when they open it.

Refusals are ``django.core.exceptions.ValidationError`` whose message names the file and says
what is wrong and what to do; callers attach it to their form field.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str  # "a PDF document": reads after "contains"
    content_type: str
    extensions: tuple[str, ...]  # first is the one used when the portal names the stored file

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def content_type_for(self, name: str) -> str:
        """Office 97-2003 files share one container: the name says which application."""
        if self.key == "office97":
            return _OLE_CONTENT_TYPES.get(PurePath(name).suffix.lower(), self.content_type)
        if self.key == "text" and PurePath(name).suffix.lower() == ".csv":
            return "text/csv"
        return self.content_type


PDF = FileKind("pdf", "a PDF document", "application/pdf", (".pdf",))
DOCX = FileKind(
    "docx",
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "xlsx",
    "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = FileKind(
    "pptx",
    "a PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
OFFICE97 = FileKind(
    "office97",
    "an Office 97-2003 document",
    "application/vnd.ms-office",
    (".doc", ".xls", ".ppt"),
)
ODT = FileKind("odt", "an OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind(
    "ods",
    "an OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
)
ODP = FileKind(
    "odp",
    "an OpenDocument presentation",
    "application/vnd.oasis.opendocument.presentation",
    (".odp",),
)
PNG = FileKind("png", "a PNG image", "image/png", (".png",))
JPEG = FileKind("jpeg", "a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind("gif", "a GIF image", "image/gif", (".gif",))
TEXT = FileKind("text", "plain text", "text/plain", (".txt", ".csv"))

ALL_KINDS = (PDF, DOCX, XLSX, PPTX, OFFICE97, ODT, ODS, ODP, PNG, JPEG, GIF, TEXT)
DOCUMENTS = frozenset(k for k in ALL_KINDS if k not in (PNG, JPEG, GIF))
DOCUMENTS_AND_IMAGES = frozenset(ALL_KINDS)

_OLE_CONTENT_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OFFICE97),
)


def describe(kinds) -> str:
    """'PDF, Word, Excel, ...' for help texts and refusals, in a fixed order."""
    names = {
        "pdf": "PDF",
        "docx": "Word",
        "xlsx": "Excel",
        "pptx": "PowerPoint",
        "office97": "Office 97-2003",
        "odt": "OpenDocument",
        "png": "PNG",
        "jpeg": "JPEG",
        "gif": "GIF",
        "text": "plain text (including CSV)",
    }
    words = [names[k.key] for k in ALL_KINDS if k in kinds and k.key in names]
    return ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of a sample is still UTF-8; otherwise the
        # bytes must be Windows-1252 (which leaves five bytes undefined).
        cut_at_end = exc.reason == "unexpected end of data"
        if not cut_at_end and any(b in _CP1252_UNDEFINED for b in data):
            return False
    # No control characters other than tab, newline, form feed and carriage return.
    return not any(b < 0x20 and b not in (9, 10, 12, 13) for b in data)


def _zip_kind(data: bytes, name: str) -> FileKind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = _ODF_MIMETYPES.get(archive.read("mimetype").strip())
                if kind is not None:
                    return kind
            elif "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types or "vbaProject.bin" in " ".join(names):
                    raise ValidationError(
                        f"“{name}” contains macros, which the portal does not accept: save it "
                        "as an ordinary Word, Excel or PowerPoint file (.docx, .xlsx, .pptx)."
                    )
                for prefix, kind in _OOXML_PARTS:
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
        pass
    raise ValidationError(
        f"“{name}” is a ZIP file but not an Office or OpenDocument file: the portal does not "
        "accept archives."
    )


def sniff(data: bytes, name: str = "The file") -> FileKind:
    """The kind of file these bytes are, or ValidationError saying why not (by content only)."""
    if not data:
        raise ValidationError(f"“{name}” is empty.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if _is_text(data[:65536]):
        if data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\x0c").startswith(b"<"):
            raise ValidationError(
                f"“{name}” is a web page or markup (HTML, SVG, XML), which the portal does not "
                "accept: save it as PDF, or give a link instead."
            )
        return TEXT
    raise ValidationError(
        f"“{name}” is not a type of file the portal accepts. Upload {describe(ALL_KINDS)}."
    )


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the file's own name, without any folder the browser sent
    kind: FileKind
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(
    uploaded_file, *, max_bytes: int, accept: frozenset[FileKind] = DOCUMENTS_AND_IMAGES
) -> CheckedUpload:
    """Read and check an uploaded file; return its bytes and real type, or ValidationError."""
    if uploaded_file is None:
        raise ValidationError("Choose a file to upload.")
    name = PurePath((uploaded_file.name or "").replace("\\", "/")).name
    if not name:
        raise ValidationError("Choose a file to upload.")
    claimed = uploaded_file.size or 0
    if claimed > max_bytes:  # refuse before reading a byte of an oversized file
        raise ValidationError(f"“{name}” is {_size(claimed)}; the limit is {_size(max_bytes)}.")
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    uploaded_file.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(f"“{name}” is over the limit of {_size(max_bytes)}.")
    kind = sniff(data, name)
    if kind not in accept:
        raise ValidationError(
            f"“{name}” is {kind.label}, which is not accepted here. Upload {describe(accept)}."
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in {e for k in accept for e in k.extensions}:
        raise ValidationError(
            f"“{name}”: files whose names end in “{suffix or '(nothing)'}” are not accepted. "
            f"Upload {describe(accept)}."
        )
    if suffix not in kind.extensions:
        raise ValidationError(
            f"“{name}” contains {kind.label} but its name ends in “{suffix or '(nothing)'}”: "
            f"rename it to end in {' or '.join(kind.extensions)}."
        )
    return CheckedUpload(name=name, kind=kind, content_type=kind.content_type_for(name), data=data)
