"""Shared machinery for every file importer: decoding, CSV reading, row errors, jobs.

Importers (``schools/importers/``, ``outcomes/importers/``) are functions
``run(path, *, progress, **options) -> dict`` that raise :class:`ImportRejected` with
row-and-column errors when the file is bad. They run inside one transaction, so a rejected
file writes nothing (all-or-nothing per file).

Encodings real published files come in: UTF-8 with or without a byte-order mark, and
Windows-1252 (older extracts). Detection reads the file once in chunks, so memory stays
bounded whatever the file size.
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.cache import cache

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
MAX_ERRORS_REPORTED = 200
# Bytes that Windows-1252 leaves undefined: a file holding them is neither UTF-8 nor cp1252.
_CP1252_UNDEFINED_RE = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP or Excel (.xlsx) file",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
}

ProgressCallback = Callable[[int], None]


class CellError(ValueError):
    """One cell that cannot be read; the message says what was expected. Importers catch
    it and add the row and column (ErrorCollector), so every importer reports the same way."""


@dataclass(frozen=True)
class RowError:
    """A problem in one cell (or one row, or the whole file when row is None)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRejected(Exception):
    """The file was rejected whole; nothing was written."""

    errors: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Bounded whatever the importer collected: the first MAX_ERRORS_REPORTED, then a count
        # (a 676,000-row file of bad rows must not make a 67 MB error page).
        errors = list(self.errors)
        if len(errors) > MAX_ERRORS_REPORTED:
            rest = len(errors) - MAX_ERRORS_REPORTED
            errors = errors[:MAX_ERRORS_REPORTED] + [
                RowError(f"... and {rest:,} more problem(s) not listed.")
            ]
        self.errors = errors
        super().__init__(self.summary())

    @classmethod
    def single(cls, message: str, *, row: int | None = None, column: str | None = None):
        return cls([RowError(message=message, row=row, column=column)])

    def summary(self) -> str:
        if not self.errors:
            return "The file was rejected."
        shown = "; ".join(str(e) for e in self.errors[:5])
        more = len(self.errors) - 5
        return shown + (f"; and {more} more problem(s)" if more > 0 else "")


class ErrorCollector:
    """Collects row errors while an importer validates, up to a reporting cap."""

    def __init__(self, limit: int = MAX_ERRORS_REPORTED) -> None:
        self.errors: list[RowError] = []
        self.limit = limit
        self.total = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.total += 1
        if len(self.errors) < self.limit:
            self.errors.append(RowError(message=message, row=row, column=column))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            errors = list(self.errors)
            if self.total > len(errors):
                errors.append(
                    RowError(f"... and {self.total - len(errors)} more problem(s) not listed.")
                )
            raise ImportRejected(errors)


def detect_encoding(path: str | Path) -> str:
    """Return 'utf-8-sig', 'utf-8' or 'cp1252' for a text file, or reject it.

    Rejects empty files, binary files (by content, not extension) and bytes that no
    supported encoding can decode, naming the line where the bad byte is.
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
        if not head.strip():
            raise ImportRejected.single("The file is empty.")
        for signature, what in _BINARY_SIGNATURES.items():
            if head.startswith(signature):
                raise ImportRejected.single(
                    f"This is not a CSV file: it looks like {what}. Save it as CSV and upload again."
                )
        if b"\x00" in head:
            raise ImportRejected.single(
                "This is not a CSV text file: it contains binary data (NUL bytes). "
                "UTF-16 files must be saved as UTF-8 CSV."
            )
        bom = head.startswith(codecs.BOM_UTF8)
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head[3:] if bom else head
        line = 1
        utf8_ok = True
        while chunk:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[: exc.start].count(b"\n")
                utf8_ok = False
                bad_line = line
                break
            line += chunk.count(b"\n")
            chunk = fh.read(CHUNK)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
                bad_line = line
        if utf8_ok:
            return "utf-8-sig" if bom else "utf-8"
        if bom:
            raise ImportRejected.single(
                "The file says it is UTF-8 (it starts with a byte-order mark) but has bytes "
                "that are not UTF-8.",
                row=bad_line,
            )
        # Not UTF-8: accept Windows-1252 unless it holds bytes cp1252 leaves undefined.
        fh.seek(0)
        line = 1
        while chunk := fh.read(CHUNK):
            bad = _CP1252_UNDEFINED_RE.search(chunk)
            if bad:
                raise ImportRejected.single(
                    "The file has bytes that are neither UTF-8 nor Windows-1252 text "
                    f"(byte 0x{chunk[bad.start()]:02x}). Save it as UTF-8 CSV and upload again.",
                    row=line + chunk[: bad.start()].count(b"\n"),
                )
            line += chunk.count(b"\n")
        return "cp1252"


def check_workbook(path: str | Path) -> None:
    """Refuse an .xlsx that would unpack to too much (a zip bomb) before openpyxl opens it."""
    from django.core.exceptions import ValidationError

    from pep_portal.platform.uploads import check_archive

    try:
        check_archive(str(path), Path(path).name).close()
    except ValidationError as exc:
        raise ImportRejected.single(" ".join(exc.messages)) from None


def read_csv_rows(path: str | Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Return (header, rows) where rows yields (file line number, fields).

    Line numbers count the header as line 1, as a spreadsheet shows them. Fields keep their
    raw text; callers clean values. Blank lines are skipped.
    """
    _line, header, rows = read_csv_table(path)
    return header, rows


# How far down a file read_csv_table looks for its header (below a title and source lines).
HEADER_SEARCH_LINES = 10


def _next_record(reader, *, first: bool = False) -> list[str] | None:
    """The reader's next record, None at the end; ImportRejected naming the line it cannot
    read as CSV."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        if first:
            message, line = f"This is not a readable CSV file: {exc}.", 1
        else:
            message, line = f"This row cannot be read as CSV: {exc}.", reader.line_num
        raise ImportRejected.single(message, row=line) from None


def read_csv_table(
    path: str | Path,
    *,
    is_header: Callable[[list[str]], bool] | None = None,
    within: int = HEADER_SEARCH_LINES,
) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """Return (header line, header, rows); rows yields (file line number, fields).

    Without ``is_header`` the header is line 1 (``read_csv_rows``). With it, the header is
    the first line among the first ``within`` for which it is true (a file with a title
    above its header); when none is, line 1 is the header, so the importer refuses it for
    its missing columns as before. Line numbers are always the file's own, title lines
    counted, as a spreadsheet shows them. Blank lines are skipped.
    """
    # The header is read with the file open only while it is read, so a caller that refuses
    # it (missing columns) leaves no file open. The rows open the file again when they are
    # iterated and close it when they end, fail or are closed.
    encoding = detect_encoding(path)

    def opened() -> IO[str]:  # text in the detected encoding, universal newlines for csv
        return open(path, encoding=encoding, newline="")  # noqa: SIM115

    def clean(cells: list[str]) -> list[str]:
        return [h.strip().lstrip("\ufeff") for h in cells]

    with opened() as fh:
        reader = csv.reader(fh)
        first = _next_record(reader, first=True)
        if first is None:
            raise ImportRejected.single("The file is empty.")
        # The header's place: its line, and how many records it takes to reach it.
        line, header, header_records = reader.line_num, first, 1
        if is_header is not None and not is_header(clean(first)):
            records = 1
            while reader.line_num < within:
                fields = _next_record(reader)
                if fields is None:
                    break
                records += 1
                if is_header(clean(fields)):
                    line, header, header_records = reader.line_num, fields, records
                    break
    header = clean(header)
    if not any(header):
        raise ImportRejected.single("The first row (the header) is blank.", row=line)

    def rows() -> Iterator[tuple[int, list[str]]]:
        with opened() as fh:
            reader = csv.reader(fh)
            for _ in range(header_records):  # read once already, without a fault
                next(reader)
            while True:
                fields = _next_record(reader)
                if fields is None:
                    return
                if not fields or all(not f.strip() for f in fields):
                    continue
                yield reader.line_num, fields

    return line, header, rows()


def quoted_columns(names: Iterable[str]) -> str:
    """Column names as the importers' messages name them: 'URN', 'LA (code)'."""
    return ", ".join(f"'{name}'" for name in names)


def missing_columns(missing: Iterable[str], *, layout: str, row: int = 1) -> ImportRejected:
    """The refusal of a header that lacks columns, in the words every importer uses; for an
    importer that finds its columns its own way (``raise missing_columns(...)``). ``row``:
    the header's line, when it is not line 1 (``read_csv_table``)."""
    return ImportRejected.single(
        f"This does not look like {layout}: the header is missing the column(s) "
        f"{quoted_columns(missing)}.",
        row=row,
    )


def require_columns(header: list[str], required: list[str], *, layout: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise missing_columns(missing, layout=layout)


def check_header(
    header: list[str], required: list[str], *, layout: str, may_repeat: Iterable[str] = ()
) -> None:
    """The header check every importer makes: each column named once
    (``refuse_repeated_columns``), and the required columns there (``require_columns``)."""
    refuse_repeated_columns(header, may_repeat=may_repeat)
    require_columns(header, required, layout=layout)


def refuse_repeated_columns(
    header: list[str], *, may_repeat: Iterable[str] = (), row: int = 1
) -> None:
    """A repeated column is refused the same way by every importer (which of its cells would
    count?), each repeated name given once, in the header's order; blank header cells are
    not names and may repeat, and so may the names in ``may_repeat``: columns a layout
    repeats by design and the importer reads by their place, not their name.

    ``check_header`` makes this check; an importer that finds its required columns its own
    way (``missing_columns``) makes it alone; ``row``: the header's line, when not line 1."""
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    repeatable = frozenset(may_repeat)
    for name in header:
        if name and name in seen and name not in repeatable:
            repeated[name] = None
        seen.add(name)
    if repeated:
        raise ImportRejected.single(
            f"The header repeats the column(s) {quoted_columns(repeated)}: give each column once.",
            row=row,
        )


def pad_row(fields: list[str], width: int, line: int, errors: ErrorCollector) -> list[str] | None:
    """Ragged rows: missing trailing cells are blank; extra non-blank cells are an error."""
    if len(fields) < width:
        return fields + [""] * (width - len(fields))
    if len(fields) > width:
        if any(f.strip() for f in fields[width:]):
            errors.add(
                f"This row has {len(fields)} cells but the header has {width} columns.",
                row=line,
            )
            return None
        return fields[:width]
    return fields


# --- Progress of running jobs, kept in the cache so other requests can read it.


def noop(_rows: int) -> None:
    """The progress callback of an import nobody watches."""
    return None


class DataRows:
    """A file's data rows as ``(row number, cells)``, each padded to the header's ``width``
    (``pad_row``: a row with extra non-blank cells is an error in ``errors`` and is passed
    over). Every row read counts (``count``) and is reported to ``progress``."""

    def __init__(
        self,
        rows: Iterable[tuple[int, list[str]]],
        *,
        width: int,
        errors: ErrorCollector,
        progress: ProgressCallback = noop,
    ) -> None:
        self.rows = rows
        self.width = width
        self.errors = errors
        self.progress = progress
        self.count = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for line, raw in self.rows:
            self.count += 1
            self.progress(self.count)
            fields = pad_row(raw, self.width, line, self.errors)
            if fields is not None:
                yield line, fields


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress_set(job_id: int, rows: int) -> None:
    cache.set(_progress_key(job_id), rows, timeout=6 * 3600)


def progress_get(job_id: int) -> int | None:
    return cache.get(_progress_key(job_id))


def progress_reporter(job_id: int | None, every: int = 2000) -> ProgressCallback:
    """A callback importers call with the rows read so far; writes to the cache now and then."""
    last = {"n": 0}

    def report(rows: int) -> None:
        if job_id is not None and (rows - last["n"] >= every or rows == 0):
            last["n"] = rows
            try:
                progress_set(job_id, rows)
            except Exception:  # a cache outage must not fail an import
                logger.warning("Could not record import progress", exc_info=True)

    return report


# --- The registry of importers, by kind. Each app registers its own in its importers module.

Importer = Callable[..., dict]
_IMPORTERS: dict[str, tuple[str, Importer]] = {}


def register_importer(kind: str, label: str) -> Callable[[Importer], Importer]:
    """Decorator: ``@register_importer("gias", "GIAS establishment CSV")``.

    The function is called as ``func(path, *, progress, **options)`` inside one transaction
    and returns a summary dict (counts of created / updated / unchanged ...).
    """

    def decorate(func: Importer) -> Importer:
        _IMPORTERS[kind] = (label, func)
        return func

    return decorate


def get_importer(kind: str) -> tuple[str, Importer]:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise ImportRejected.single(f"There is no importer called '{kind}'.") from None


def importer_kinds() -> dict[str, str]:
    return {kind: label for kind, (label, _) in _IMPORTERS.items()}
