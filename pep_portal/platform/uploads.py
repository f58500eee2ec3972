"""The one check every upload passes: size, then type judged by content, then the file's name.

Action-plan evidence, consultation attachments and board papers all call :func:`check_upload`
before anything is stored, so one set of rules (and one set of tests) covers them all:

- the file is not empty and not over the caller's size limit (read at most limit + 1 bytes,
  whatever size the request claimed);
- its bytes are one of the accepted kinds: PDF; Word, Excel and PowerPoint (2007+ and 97-2003);
  OpenDocument text, spreadsheet and presentation; PNG, JPEG and GIF images; plain text or
  CSV (UTF-8 or Windows-1252). Markup (HTML, SVG, XML), Office files carrying macros (the
  2007+ macro-enabled kinds, and 97-2003 files whose VBA project oletools finds), executables
  and anything else are refused, so nothing a browser or Office would run is ever stored;
- ZIP-based files (Office 2007+, OpenDocument) are judged from the archive's directory and a
  few small parts read in chunks, and refused when they would unpack to too much (a "zip
  bomb": too many parts, too large in total, or too high a ratio); nothing is unpacked whole;
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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler


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


# Limits on what an Office or OpenDocument file (a ZIP archive) may unpack to. Real documents
# unpack to a few times their size (XML compresses about 5-20x); a "zip bomb" of 300 KB that
# unpacks to 300 MB has a ratio of 1,000. The sizes are read from the archive's directory,
# and Python's zipfile never returns more than a member's declared size (it checks the CRC),
# so the declared sizes bound what any later reader (openpyxl) can be made to unpack.
ARCHIVE_MAX_MEMBERS = 10_000
ARCHIVE_MAX_RATIO = 100
ARCHIVE_SMALL_MEMBER = 1024 * 1024  # [Content_Types].xml and mimetype are a few KB
_READ_CHUNK = 64 * 1024


def archive_max_uncompressed() -> int:
    return int(getattr(settings, "UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024))


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member read in chunks, refused as soon as it passes ARCHIVE_SMALL_MEMBER."""
    out = bytearray()
    with archive.open(info) as member:
        while chunk := member.read(_READ_CHUNK):
            out += chunk
            if len(out) > ARCHIVE_SMALL_MEMBER:
                raise ValidationError(
                    f"“{name}” has a part ({info.filename}) far larger than a real document’s: "
                    "the portal does not accept it."
                )
    return bytes(out)


def check_archive(source, name: str) -> zipfile.ZipFile:
    """Open a ZIP-based file (bytes, a path or a file object) and refuse a zip bomb.

    Refused: more than ARCHIVE_MAX_MEMBERS members, more than the uncompressed limit in total,
    or a ratio of uncompressed to compressed size above ARCHIVE_MAX_RATIO. Nothing is
    unpacked here. Returns the open archive (the caller closes it).
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(
            f"“{name}” is not an Office or OpenDocument file the portal can open (a damaged "
            "ZIP archive)."
        )
    infos = archive.infolist()
    if len(infos) > ARCHIVE_MAX_MEMBERS:
        archive.close()
        raise ValidationError(
            f"“{name}” holds {len(infos):,} parts, more than any real document "
            f"({ARCHIVE_MAX_MEMBERS:,}): the portal does not accept it."
        )
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    limit = archive_max_uncompressed()
    if unpacked > limit:
        archive.close()
        raise ValidationError(
            f"“{name}” would unpack to {_size(unpacked)}, over the limit of {_size(limit)}: "
            "split it into smaller files or save it as PDF."
        )
    if unpacked > ARCHIVE_SMALL_MEMBER and unpacked / packed > ARCHIVE_MAX_RATIO:
        archive.close()
        raise ValidationError(
            f"“{name}” unpacks to {unpacked // packed:,} times its size, which real documents "
            "never do (a “zip bomb”): the portal does not accept it."
        )
    return archive


def _zip_kind(data: bytes, name: str) -> FileKind:
    archive = check_archive(data, name)
    try:
        with archive:
            infos = {i.filename: i for i in archive.infolist()}
            if "mimetype" in infos:
                kind = _ODF_MIMETYPES.get(_read_small(archive, infos["mimetype"], name).strip())
                if kind is not None:
                    return kind
            elif "[Content_Types].xml" in infos:
                types = _read_small(archive, infos["[Content_Types].xml"], name)
                if b"macroEnabled" in types or any("vbaProject" in n for n in infos):
                    raise ValidationError(
                        f"“{name}” contains macros, which the portal does not accept: save it "
                        "as an ordinary Word, Excel or PowerPoint file (.docx, .xlsx, .pptx)."
                    )
                for prefix, kind in _OOXML_PARTS:
                    if any(n.startswith(prefix) for n in infos):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
        pass
    raise ValidationError(
        f"“{name}” is a ZIP file but not an Office or OpenDocument file: the portal does not "
        "accept archives."
    )


def _ole_check(data: bytes, name: str) -> None:
    """Refuse a Word/Excel/PowerPoint 97-2003 file that carries a VBA project (macros).

    oletools' VBA_Parser finds the VBA project wherever the format keeps it (Word's
    ``Macros`` storage, Excel's ``_VBA_PROJECT_CUR``, PowerPoint's compressed VBA storage
    inside its document stream); a file it cannot parse is refused rather than waved through.
    """
    from oletools.olevba import VBA_Parser

    parser = None
    try:
        parser = VBA_Parser(name, data=data)
        has_macros = parser.detect_vba_macros()
    except Exception:
        raise ValidationError(
            f"“{name}” is a damaged or unreadable Office 97-2003 file: save it again (as .docx, "
            ".xlsx or .pptx, or PDF) and upload that."
        ) from None
    finally:
        if parser is not None:
            parser.close()
    if has_macros:
        raise ValidationError(
            f"“{name}” contains macros (a VBA project), which the portal does not accept: save "
            "it as an ordinary Word, Excel or PowerPoint file (.docx, .xlsx, .pptx) or as PDF."
        )


def sniff(data: bytes, name: str = "The file") -> FileKind:
    """The kind of file these bytes are, or ValidationError saying why not (by content only)."""
    if not data:
        raise ValidationError(f"“{name}” is empty.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind is OFFICE97:
                _ole_check(data, name)
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
    refusal = getattr(uploaded_file, "refusal", None)
    if refusal:  # over its page's limit: discarded while the request was read
        raise ValidationError(refusal)
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


# --- Limits per purpose, enforced while the request body is read -----------------------------
#
# Each upload page is marked with its purpose (``@upload_purpose("predictions")``); the upload
# handler below finds the page's limit before Django stores a byte of any file. A file over
# the limit is not stored: its bytes are discarded as they arrive and the form receives a
# :class:`RefusedUpload` (no content, the size seen), which :func:`check_upload` and the
# forms' own checks refuse with a message giving the limit. When the request's Content-Length
# already shows the body is over the limit, no byte of any file is kept.

PURPOSE_SETTINGS = {
    # purpose: (setting, default, what people call it)
    "predictions": ("UPLOAD_MAX_BYTES_PREDICTIONS", 1024 * 1024, "a predictions return"),
    "evidence": ("ACTIONPLAN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, "an evidence file"),
    "consultation": (
        "CONSULTATION_ATTACHMENT_MAX_BYTES",
        20 * 1024 * 1024,
        "a consultation file",
    ),
    "paper": ("PARTNERSHIP_PAPER_MAX_BYTES", 20 * 1024 * 1024, "a board paper"),
    "national_data": ("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024, "a data file"),
}
# Room for the form's other fields and the multipart boundaries around the file.
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit(purpose: str) -> int:
    setting, default, _ = PURPOSE_SETTINGS[purpose]
    return int(getattr(settings, setting, default))


def upload_purpose(purpose: str):
    """Mark a view with the purpose of the files posted to it (its size limit)."""
    if purpose not in PURPOSE_SETTINGS:
        raise ValueError(f"Unknown upload purpose {purpose!r}")

    def decorate(view):
        view.upload_purpose = purpose
        return view

    return decorate


def purpose_for_request(request) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "national_data"
    # Unmarked pages get the largest limit: every page that takes files is marked.
    return getattr(match.func, "upload_purpose", "national_data")


def check_size(uploaded_file, *, purpose: str) -> None:
    """For forms that take a file to import: empty, or over the purpose's limit, is refused."""
    refusal = getattr(uploaded_file, "refusal", None)
    if refusal:
        raise ValidationError(refusal)
    limit = upload_limit(purpose)
    if not uploaded_file.size:
        raise ValidationError("The file is empty.")
    if uploaded_file.size > limit:
        what = PURPOSE_SETTINGS[purpose][2]
        raise ValidationError(
            f"The file is {_size(uploaded_file.size)}; the limit for {what} is {_size(limit)}."
        )


class RefusedUpload:
    """What a form receives in place of a file that was over its page's limit."""

    def __init__(self, name: str, size: int, limit: int, what: str) -> None:
        self.name = name
        self.size = size
        self.limit = limit
        self.content_type = "application/octet-stream"
        self.charset = None
        self.refusal = (
            f"“{PurePath(name.replace(chr(92), '/')).name}” is over {_size(limit)}, the limit "
            f"for {what}; nothing was stored."
        )

    def seek(self, *args) -> None:
        return None

    def read(self, *args) -> bytes:
        return b""

    def chunks(self, chunk_size=None):
        return iter(())

    def close(self) -> None:
        return None

    def __bool__(self) -> bool:
        return True


class PurposeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: discards any file over its page's limit as it arrives."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        purpose = purpose_for_request(self.request)
        self.limit = upload_limit(purpose)
        self.what = PURPOSE_SETTINGS[purpose][2]
        self.body_too_large = content_length > self.limit + MULTIPART_OVERHEAD
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen = 0
        self.discarding = getattr(self, "body_too_large", False)

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.seen > getattr(self, "limit", upload_limit("national_data")):
            self.discarding = True
        return None if self.discarding else raw_data

    def file_complete(self, file_size):
        if not self.discarding:
            return None
        size = max(self.seen, self.limit + 1)
        return RefusedUpload(self.file_name or "the file", size, self.limit, self.what)
