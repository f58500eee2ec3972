"""Importers for published results: DfE performance tables (KS2, KS4), EES tidy CSV, LAIT
long format, the portal's own template (CSV / XLSX), and DfE statistical neighbours.

What each column or indicator means is declared in ``layouts.py`` (performance tables,
template, markers) or in ``IndicatorMapping`` rows (EES, LAIT); this module only reads.

Every importer: streams the file (bounded memory; writes in batches of ``ROW_BATCH`` rows),
checks every cell and reports each bad one by row and column, and runs inside the one
transaction ``pep_portal.imports.services.import_file`` opens, so a rejected file writes nothing.
Re-importing the same file changes nothing; a revised file updates values and keeps the
previous ones in ``ResultRevision``. Blank cells mean "no figure in this file": they create
nothing and leave an existing result alone; markers (SUPP, NA, x, c, -...) are stored as
suppression states, never as numbers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pep_portal.imports.framework import (
    ErrorCollector,
    ImportRejected,
    ProgressCallback,
    duplicated_columns,
    read_csv_rows,
    register_importer,
    require_columns,
)
from schools.models import LocalAuthority, School, StatisticalNeighbour

from . import layouts
from .layouts import PerformanceTableLayout
from .models import (
    AreaType,
    IndicatorMapping,
    MappingSource,
    Measure,
    PupilGroup,
    ResultField,
    ResultStatus,
)
from .services import (
    ResultData,
    local_authority_ensure,
    results_write_batch,
    results_write_frame,
)

ROW_BATCH = 500  # file rows per write batch (a KS2 row holds ~50 results)
MAX_DUPLICATE_KEYS = 2_000_000

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _noop(_rows: int) -> None:
    return None


# --- Cells --------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_number(text: str) -> float:
    """'78%' -> 78.0, '1,234' -> 1234.0, '-0.5' -> -0.5; anything else raises CellError."""
    cleaned = text.strip().replace(",", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if not _NUMBER.match(cleaned):
        raise CellError
    value = float(cleaned)
    if not math.isfinite(value):  # '1e309' overflows to infinity: not a figure
        raise CellError
    return value


def parse_cell(text: str, markers: dict[str, str]) -> tuple[float | None, str] | None:
    """None for a blank cell; (value, '') for a number; (None, suppression) for a marker."""
    stripped = text.strip()
    if not stripped:
        return None
    marker = markers.get(stripped) or markers.get(stripped.upper()) or markers.get(stripped.lower())
    if marker:
        return None, marker
    try:
        return parse_number(stripped), ""
    except CellError:
        known = ", ".join(sorted({m for m in markers if m}))
        raise CellError(f"'{stripped}' is not a number or a known marker ({known}).") from None


def parse_count(text: str, markers: dict[str, str]) -> int | None:
    parsed = parse_cell(text, markers)
    if parsed is None or parsed[0] is None:
        return None
    value = parsed[0]
    if value < 0 or value != int(value) or value > MAX_PUPILS:
        raise CellError(f"'{text.strip()[:40]}' is not a number of pupils.")
    return int(value)


def la_code(text: str) -> int | None:
    """A DfE LA number (ASCII digits within the register's range), or None.

    ``str.isdigit`` alone lets through '²' (which int() refuses) and int() alone takes '-5'
    or numbers the register cannot hold: both used to end an import with a crash.
    """
    t = text.strip()
    if t.isascii() and t.isdigit() and len(t) <= 5 and int(t) <= LA_CODE_MAX:
        return int(t)
    return None


def ascii_int(text: str) -> int | None:
    t = text.strip()
    # Bounded length: int() refuses strings of thousands of digits (and no code is that long).
    return int(t) if t.isascii() and t.isdigit() and len(t) <= 18 else None


MAX_PUPILS = 10_000_000  # more than every pupil in England: anything above is a typo
LA_CODE_MAX = 32767  # the register's PositiveSmallIntegerField
_YEAR_PAIR = re.compile(r"^(\d{4})\s*[/-]?\s*(\d{2}|\d{4})$")


def parse_academic_year(text: str) -> int:
    """The year the academic year ends: '2016', '201516', '2015/16', '2015-16' -> 2016."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        year = int(t)
    else:
        m = _YEAR_PAIR.match(t)
        if not m:
            raise CellError(f"'{t}' is not a year (2016, 201516 or 2015/16).")
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year != start + 1:
            raise CellError(f"'{t}' is not an academic year (the second year must follow).")
        year = end_year
    if not 2000 <= year <= 2100:
        raise CellError(f"{year} is not a plausible academic year.")
    return year


# --- Shared caches and the writer ---------------------------------------------------------------


class Catalogue:
    def __init__(self) -> None:
        self.by_code = {m.code: m for m in Measure.objects.all()}
        self.by_id = {m.pk: m for m in self.by_code.values()}


class Areas:
    """Look-ups of schools by URN and LAs by code; unknown LAs are created as met."""

    def __init__(self) -> None:
        self._schools: dict[int, int] | None = None
        self.las = dict(LocalAuthority.objects.values_list("code", "pk"))
        self.las_created = 0

    def school_id(self, urn: int) -> int | None:
        if self._schools is None:
            self._schools = dict(School.objects.values_list("urn", "pk"))
        return self._schools.get(urn)

    def la_id(self, code: int, name: str, *, region: str = "", gss_code: str = "") -> int:
        pk = self.las.get(code)
        if pk is None:
            la, created = local_authority_ensure(
                code=code, name=name, region=region, gss_code=gss_code
            )
            self.las[code] = pk = la.pk
            self.las_created += int(created)
        return pk


@dataclass
class Writer:
    """Buffers results and writes them in batches, unless errors were found."""

    source: str
    errors: ErrorCollector
    counts: Counter = field(default_factory=Counter)
    buffer: list[ResultData] = field(default_factory=list)
    seen: dict[tuple, int] | None = None  # result key -> line, where duplicates are per result

    def add(self, row: ResultData, line: int, describe: Callable[[], str] | None = None) -> None:
        if self.seen is not None:
            first = self.seen.get(row.key)
            if first is not None:
                what = describe() if describe else "this result"
                self.errors.add(f"{what} is already given on row {first}.", row=line)
                return
            if len(self.seen) < MAX_DUPLICATE_KEYS:
                self.seen[row.key] = line
        self.buffer.append(row)

    def flush(self) -> None:
        if self.errors:
            self.buffer.clear()  # the file will be rejected: stop writing, keep checking
            return
        if self.buffer:
            self.counts.update(results_write_batch(rows=self.buffer, source=self.source))
            self.buffer.clear()

    def summary(self, rows: int, areas: Areas, **extra) -> dict:
        out = {
            "rows": rows,
            "results created": self.counts["created"],
            "results updated (previous values kept in history)": self.counts["updated"],
            "results unchanged": self.counts["unchanged"],
            "local authorities added": areas.las_created,
        }
        out.update({k: v for k, v in extra.items() if v not in (None, "", 0, [])})
        return out


def _source_name(path: str, layout: str, source_name: str | None) -> str:
    return f"{layout}: {source_name or Path(path).name}"[:255]


def _status(status: str | None) -> str:
    status = (status or ResultStatus.PROVISIONAL).strip().lower()
    if status not in ResultStatus.values:
        raise ImportRejected.single(
            f"'{status}' is not a result status: use {', '.join(ResultStatus.values)}."
        )
    return status


def _pad(fields: list[str], width: int, line: int, errors: ErrorCollector) -> list[str] | None:
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


def _reject_duplicated_columns(header: list[str]) -> None:
    dups = duplicated_columns(header)
    if dups:
        raise ImportRejected.single(
            "The header names these columns more than once: " + ", ".join(sorted(set(dups))) + ".",
            row=1,
        )


# --- DfE performance tables -------------------------------------------------------------------


def _year_from_options(year, path: str, source_name: str | None, what: str) -> int:
    if year not in (None, ""):
        try:
            return parse_academic_year(str(year))
        except CellError as exc:
            raise ImportRejected.single(f"The year option: {exc}") from None
    name = source_name or Path(path).name
    found = re.findall(r"(20\d\d)(?:[-_/]?(\d\d))?", name)
    years = set()
    for start, end in found:
        years.add(int(start) + 1 if end and int(end) == (int(start) + 1) % 100 else int(start))
    if len(years) == 1:
        return years.pop()
    raise ImportRejected.single(
        f"{what} do not say which academic year they are for. Give the year (2016 for "
        "2015/16) with the upload, or put it in the file name (e.g. 2016_ks2.csv)."
    )


class _CellMemo(dict):
    """Parsed cells by text: a table of 3 million cells holds a few thousand distinct texts.

    ``memo[text]`` is the index of the parsed cell in the arrays ``values`` (the number, NaN
    for none), ``codes`` (BLANK, NUMBER, ERROR, or MARKER + the marker's index in
    ``suppressions``), ``bands`` (the text as a published band: stripped, "" for a blank or a
    marker) and ``messages`` (the error message of a bad cell). Parsing is the one per-cell
    function used everywhere (``parse_cell``/``parse_count``), so every message stays the same.
    """

    BLANK, NUMBER, ERROR, MARKER = 0, 1, -1, 2
    LIMIT = 200_000  # distinct texts kept, to bound memory on a file of unique values

    def __init__(self, markers: dict[str, str], *, count: bool = False) -> None:
        super().__init__()
        self.markers = markers
        self.count = count
        self.suppressions = sorted(set(markers.values()))
        self._supp_index = {s: i for i, s in enumerate(self.suppressions)}
        self._values: list[float] = []
        self._codes: list[int] = []
        self._bands: list[str] = []
        self.messages: list[str] = []
        self._arrays: tuple | None = None

    def __missing__(self, text: str) -> int:
        value, code, message = math.nan, self.BLANK, ""
        try:
            if self.count:
                number = parse_count(text, self.markers)
                if number is not None:
                    value, code = float(number), self.NUMBER
            else:
                parsed = parse_cell(text, self.markers)
                if parsed is not None:
                    number, suppression = parsed
                    if number is None:
                        code = self.MARKER + self._supp_index[suppression]
                    else:
                        value, code = number, self.NUMBER
        except CellError as exc:
            code, message = self.ERROR, str(exc)
        band = text.strip()
        if band.upper() in self.markers:
            band = ""
        index = self[text] = len(self._values)
        self._values.append(value)
        self._codes.append(code)
        self._bands.append(band[:60])
        self.messages.append(message)
        self._arrays = None
        return index

    def ids(self, texts: list[str]) -> np.ndarray:
        return np.array([self[t] for t in texts], dtype=np.intp)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(values, codes, bands), indexed by what ``ids`` returns."""
        if self._arrays is None:
            self._arrays = (
                np.array(self._values, dtype=float),
                np.array(self._codes, dtype=np.int32),
                np.array(self._bands, dtype=object),
            )
        return self._arrays

    def trim(self) -> None:
        """Forget everything when too many texts are kept (between batches only)."""
        if len(self) > self.LIMIT:
            self.clear()
            self._values, self._codes, self._bands, self.messages = [], [], [], []
            self._arrays = None


class _BatchErrors:
    """A batch's errors, added to the file's collector in the order the old row loop found
    them: by row, then row problems, cohorts, cells in header order, CI checks."""

    ROW, COHORT, CELL, CI = 0, 1, 2, 3

    def __init__(self) -> None:
        self.found: list[tuple[int, int, int, str, str | None]] = []

    def add(self, message: str, *, row: int, column: str | None = None, stage=0, pos=0) -> None:
        self.found.append((row, stage, pos, message, column))

    def __bool__(self) -> bool:
        return bool(self.found)

    def move_to(self, errors: ErrorCollector) -> None:
        for row, _, _, message, column in sorted(self.found, key=lambda e: e[:3]):
            errors.add(message, row=row, column=column)
        self.found.clear()


@dataclass
class _Slot:
    """One result per row: a measure and pupil group, and the columns that give its fields."""

    measure_id: int
    group: str
    code: str
    value: int | None = None  # column indexes
    ci_lower: int | None = None
    ci_upper: int | None = None
    band: int | None = None


PT_BATCH = 2000  # file rows per batch: parsed column by column, written in one go


def import_performance_table(
    layout: PerformanceTableLayout,
    path: str,
    *,
    progress: ProgressCallback = _noop,
    year=None,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    """Rows are checked one by one for their area (RECTYPE, URN, LA); cells are parsed column by
    column over a batch of rows, through a memo of distinct cell texts, and each batch becomes
    one results frame for ``results_write_frame``."""
    header, rows = read_csv_rows(path)
    _reject_duplicated_columns(header)
    require_columns(header, ["RECTYPE", "LEA", "URN", *layout.signature], layout=layout.label)
    academic_year = _year_from_options(year, path, source_name, "Performance tables")
    status = _status(status)
    catalogue = Catalogue()
    col = {name: i for i, name in enumerate(header)}

    plan: list[tuple[int, str, int, str, str]] = []  # index, column, measure id, group, field
    missing_measures = set()
    for i, name in enumerate(header):
        resolved = layout.resolve(name)
        if resolved is None:
            continue
        code, group, fld = resolved
        measure = catalogue.by_code.get(code)
        if measure is None:
            missing_measures.add(code)
            continue
        plan.append((i, name, measure.pk, group, fld))
    if missing_measures:
        raise ImportRejected.single(
            "The measure catalogue has no measure(s) "
            + ", ".join(sorted(missing_measures))
            + " that this layout imports; restore them in the admin first."
        )
    if not any(p[4] == ResultField.VALUE for p in plan):
        raise ImportRejected.single(
            f"None of the columns of this file are measures the portal imports from {layout.label}.",
            row=1,
        )
    cohort_plan = [(col[c], c, g) for c, g in layout.cohort_columns.items() if c in col]
    name_cols = [col[c] for c in ("LANAME", "LA_NAME", "SCHNAME") if c in col]
    imported_columns = {p[1] for p in plan} | {c for _, c, _ in cohort_plan}
    slots: dict[tuple[int, str], _Slot] = {}
    for i, _, measure_id, group, fld in plan:
        slot = slots.setdefault(
            (measure_id, group), _Slot(measure_id, group, catalogue.by_id[measure_id].code)
        )
        setattr(slot, "band" if fld == ResultField.BAND else fld, i)
    with_value = sorted((s for s in slots.values() if s.value is not None), key=lambda s: s.value)

    errors = ErrorCollector()
    areas = Areas()
    source = _source_name(path, layout.kind, source_name)
    counts: Counter = Counter()
    markers = layouts.PERFORMANCE_TABLE_MARKERS
    cells = _CellMemo(markers)
    counts_memo = _CellMemo(markers, count=True)
    seen_areas: dict[tuple, int] = {}
    width = len(header)
    n = unknown_urns = skipped = 0
    i_rectype, i_lea, i_urn = col["RECTYPE"], col["LEA"], col["URN"]
    known_rectypes = ", ".join(layout.rectypes)
    batch = _PerformanceBatch()
    found = _BatchErrors()

    def finish_batch() -> None:
        if batch.fields:
            frame = _batch_frame(
                batch, found, plan, cohort_plan, with_value, cells, counts_memo, academic_year
            )
            if found:
                found.move_to(errors)
            if not errors and frame is not None and len(frame):
                frame["status"] = status
                counts.update(results_write_frame(frame=frame, source=source))
        elif found:
            found.move_to(errors)
        batch.clear()
        cells.trim()
        counts_memo.trim()

    for line, raw in rows:
        n += 1
        progress(n)
        fields = _pad(raw, width, line, found)
        if fields is None:
            continue
        rectype = fields[i_rectype].strip()
        if rectype not in layout.rectypes:
            found.add(
                f"'{rectype}' is not a record type of {layout.label} (expected {known_rectypes}).",
                row=line,
                column="RECTYPE",
            )
            continue
        area_type = layout.rectypes[rectype]
        if area_type is None:
            skipped += 1
            continue
        school_id = la_id = None
        if area_type == AreaType.SCHOOL:
            try:
                urn = int(fields[i_urn].strip())
            except ValueError:
                found.add(f"'{fields[i_urn].strip()}' is not a URN.", row=line, column="URN")
                continue
            school_id = areas.school_id(urn)
            if school_id is None:
                unknown_urns += 1
                continue
            area_key: tuple = (area_type, school_id)
        elif area_type == AreaType.LA:
            code = la_code(fields[i_lea])
            if code is None:
                found.add(f"'{fields[i_lea].strip()}' is not an LA number.", row=line, column="LEA")
                continue
            name = next((fields[i].strip() for i in name_cols if fields[i].strip()), "")
            la_id = areas.la_id(code, name)
            area_key = (area_type, la_id)
        else:
            area_key = (area_type,)
        first = seen_areas.get(area_key)
        if first is not None:
            found.add(f"The same area is already on row {first}.", row=line)
            continue
        seen_areas[area_key] = line
        batch.add(line, str(area_type), school_id, la_id, fields)
        if len(batch.fields) >= PT_BATCH:
            finish_batch()
    finish_batch()
    errors.raise_if_any()
    summary = {
        "rows": n,
        "results created": counts["created"],
        "results updated (previous values kept in history)": counts["updated"],
        "results unchanged": counts["unchanged"],
        "local authorities added": areas.las_created,
    }
    extra = {
        "layout": layout.label,
        "academic year": academic_year,
        "schools not in the register (rows skipped; import the register first)": unknown_urns,
        "other rows skipped (e.g. England all-schools rows)": skipped,
        "columns not imported": len([h for h in header if h not in imported_columns]),
    }
    summary.update({k: v for k, v in extra.items() if v not in (None, "", 0, [])})
    return summary


@dataclass
class _PerformanceBatch:
    lines: list[int] = field(default_factory=list)
    area_types: list[str] = field(default_factory=list)
    school_ids: list[float] = field(default_factory=list)
    la_ids: list[float] = field(default_factory=list)
    fields: list[list[str]] = field(default_factory=list)

    def add(self, line, area_type, school_id, la_id, fields) -> None:
        self.lines.append(line)
        self.area_types.append(area_type)
        self.school_ids.append(math.nan if school_id is None else school_id)
        self.la_ids.append(math.nan if la_id is None else la_id)
        self.fields.append(fields)

    def clear(self) -> None:
        for part in (self.lines, self.area_types, self.school_ids, self.la_ids, self.fields):
            part.clear()


def _batch_frame(
    batch: _PerformanceBatch,
    found: _BatchErrors,
    plan: list[tuple[int, str, int, str, str]],
    cohort_plan: list[tuple[int, str, str]],
    with_value: list[_Slot],
    cells: _CellMemo,
    counts_memo: _CellMemo,
    academic_year: int,
) -> pd.DataFrame | None:
    """Parse a batch column by column; the results frame, or None when a cell was bad."""
    rows = batch.fields
    lines = batch.lines
    ids: dict[int, np.ndarray] = {}
    for i, *_ in plan:
        ids[i] = cells.ids([f[i] for f in rows])
    cohort_ids = {i: counts_memo.ids([f[i] for f in rows]) for i, _, _ in cohort_plan}
    values, codes, bands = cells.arrays()
    c_values, c_codes, _ = counts_memo.arrays()

    bad = False
    for pos, (i, name, _) in enumerate(cohort_plan):
        for r in np.flatnonzero(c_codes[cohort_ids[i]] == _CellMemo.ERROR):
            found.add(
                counts_memo.messages[cohort_ids[i][r]],
                row=lines[r],
                column=name,
                stage=_BatchErrors.COHORT,
                pos=pos,
            )
            bad = True
    for i, name, _, _, fld in plan:
        if fld == ResultField.BAND:
            continue  # any text is a band
        for r in np.flatnonzero(codes[ids[i]] == _CellMemo.ERROR):
            found.add(
                cells.messages[ids[i][r]],
                row=lines[r],
                column=name,
                stage=_BatchErrors.CELL,
                pos=i,
            )
            bad = True
    cohorts = {group: c_values[cohort_ids[i]] for i, _, group in cohort_plan}

    n = len(rows)
    nothing = np.full(n, np.nan)
    supp_names = np.array(["", *cells.suppressions], dtype=object)
    pieces = []
    for order, slot in enumerate(with_value):
        v_codes = codes[ids[slot.value]]
        is_number = v_codes == _CellMemo.NUMBER
        keep = v_codes > 0  # a number or a marker (blank: no figure; bad: an error above)
        if not keep.any():
            continue
        lo = nothing if slot.ci_lower is None else _ci(ids[slot.ci_lower], values, codes, is_number)
        hi = nothing if slot.ci_upper is None else _ci(ids[slot.ci_upper], values, codes, is_number)
        with np.errstate(invalid="ignore"):
            reversed_ci = lo > hi  # False wherever either is NaN
        for r in np.flatnonzero(reversed_ci):
            found.add(
                f"The confidence interval of {slot.code} has its lower bound "
                f"({float(lo[r])}) above its upper ({float(hi[r])}).",
                row=lines[r],
                stage=_BatchErrors.CI,
                pos=order,
            )
            bad = True
        keep &= ~reversed_ci
        rows_kept = np.flatnonzero(keep)
        value_ids = ids[slot.value][rows_kept]
        marker = np.maximum(v_codes[rows_kept] - _CellMemo.MARKER + 1, 0)
        pieces.append(
            {
                "row": rows_kept,
                "order": np.full(len(rows_kept), order),
                "measure_id": np.full(len(rows_kept), slot.measure_id, dtype=np.int64),
                "pupil_group": np.full(len(rows_kept), str(slot.group), dtype=object),
                "value": values[value_ids],
                "suppression": supp_names[marker],
                "cohort": cohorts.get(slot.group, nothing)[rows_kept],
                "ci_lower": lo[rows_kept],
                "ci_upper": hi[rows_kept],
                "published_band": (
                    bands[ids[slot.band][rows_kept]]
                    if slot.band is not None
                    else np.full(len(rows_kept), "", dtype=object)
                ),
            }
        )
    if bad or not pieces:
        return None
    joined = {k: np.concatenate([p[k] for p in pieces]) for k in pieces[0]}
    order = np.lexsort((joined.pop("order"), joined["row"]))  # file order: row, then column
    row = joined.pop("row")[order]
    area_types = np.array(batch.area_types, dtype=object)
    return pd.DataFrame(
        {
            "measure_id": joined["measure_id"][order],
            "area_type": area_types[row],
            "school_id": np.array(batch.school_ids, dtype=float)[row],
            "la_id": np.array(batch.la_ids, dtype=float)[row],
            "region": np.full(len(row), "", dtype=object),
            "academic_year": np.full(len(row), academic_year, dtype=np.int64),
            "pupil_group": joined["pupil_group"][order],
            "value": joined["value"][order],
            "suppression": joined["suppression"][order],
            "cohort": joined["cohort"][order],
            "ci_lower": joined["ci_lower"][order],
            "ci_upper": joined["ci_upper"][order],
            "published_band": joined["published_band"][order],
        }
    )


def _ci(cell_ids: np.ndarray, values, codes, is_number: np.ndarray) -> np.ndarray:
    """A CI bound where both it and its score are numbers; NaN otherwise (a suppressed score
    has no CI, a marker in a CI cell is no bound)."""
    return np.where(is_number & (codes[cell_ids] == _CellMemo.NUMBER), values[cell_ids], np.nan)


def _result(results, measure_id, group, area_type, year, status, school_id, la_id) -> ResultData:
    key = (measure_id, group)
    result = results.get(key)
    if result is None:
        result = results[key] = ResultData(
            measure_id=measure_id,
            area_type=area_type,
            academic_year=year,
            pupil_group=group,
            school_id=school_id,
            la_id=la_id,
            status=status,
        )
    return result


@register_importer(layouts.KS2.kind, layouts.KS2.label)
def import_ks2_performance_tables(path: str, *, progress: ProgressCallback = _noop, **options):
    return import_performance_table(layouts.KS2, path, progress=progress, **options)


@register_importer(layouts.KS4.kind, layouts.KS4.label)
def import_ks4_performance_tables(path: str, *, progress: ProgressCallback = _noop, **options):
    return import_performance_table(layouts.KS4, path, progress=progress, **options)


# --- EES tidy CSV -------------------------------------------------------------------------------


@dataclass
class EesScan:
    """What an EES file holds: its indicator columns and its filter columns' values."""

    header: list[str]
    indicators: list[str]
    filters: dict[str, list[str]]
    rows: int
    mapped: list[str]
    unmapped: list[str]


MAX_FILTER_VALUES = 60


def ees_scan(path: str) -> EesScan:
    """Read an EES file once: classify columns and list each filter column's values."""
    header, rows = read_csv_rows(path)
    _reject_duplicated_columns(header)
    require_columns(header, list(layouts.EES_SIGNATURE), layout="an EES tidy CSV")
    mappings = list(IndicatorMapping.objects.filter(source=MappingSource.EES))
    known_indicators = {m.indicator for m in mappings}
    known_filters = {k for m in mappings for k in m.filters}
    candidates = [
        (i, h) for i, h in enumerate(header) if h and h not in layouts.EES_STANDARD_COLUMNS
    ]
    numeric = {h: True for _, h in candidates}
    values: dict[str, set[str]] = {h: set() for _, h in candidates}
    n = 0
    for _, fields in rows:
        n += 1
        for i, h in candidates:
            text = fields[i].strip() if i < len(fields) else ""
            if not text:
                continue
            if numeric[h] and text.lower() not in layouts.EES_MARKERS:
                try:
                    parse_number(text)
                except CellError:
                    numeric[h] = False
            if len(values[h]) < MAX_FILTER_VALUES:
                values[h].add(text)
    indicators = [
        h for _, h in candidates if h in known_indicators or (numeric[h] and h not in known_filters)
    ]
    filters = {h: sorted(values[h]) for _, h in candidates if h not in indicators}
    mapped = [h for h in indicators if h in known_indicators]
    unmapped = [h for h in indicators if h not in known_indicators]
    return EesScan(header, indicators, filters, n, mapped, unmapped)


def _ees_matches(mapping: IndicatorMapping, row: dict[str, str], filter_cols: list[str]) -> bool:
    for col in filter_cols:
        value = row.get(col, "").strip()
        wanted = mapping.filters.get(col)
        if wanted is None:
            if value.lower() not in layouts.EES_TOTAL_WORDS:
                return False
        elif value.lower() != wanted.strip().lower():
            return False
    # A mapping naming a filter column the file lacks does not apply to this file.
    return all(c in row for c in mapping.filters)


@register_importer("ees", "Explore Education Statistics tidy CSV (LA and national)")
def import_ees(
    path: str,
    *,
    progress: ProgressCallback = _noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    scan = ees_scan(path)
    status = _status(status)
    if not scan.mapped:
        raise ImportRejected.single(
            "None of this file's indicators is mapped to a measure yet ("
            + ", ".join(scan.unmapped[:20])
            + "). Map them on the results upload page (or in the admin) and import again.",
            row=1,
        )
    catalogue = Catalogue()
    by_indicator: dict[str, list[IndicatorMapping]] = {}
    for m in IndicatorMapping.objects.filter(source=MappingSource.EES, indicator__in=scan.mapped):
        by_indicator.setdefault(m.indicator, []).append(m)
    filter_cols = list(scan.filters)
    header, rows = read_csv_rows(path)
    col = {h: i for i, h in enumerate(header)}
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=_source_name(path, "ees", source_name), errors=errors, seen={})
    skipped_levels: Counter = Counter()
    unknown_urns = n = 0
    width = len(header)
    for line, raw in rows:
        n += 1
        progress(n)
        fields = _pad(raw, width, line, errors)
        if fields is None:
            continue
        row = dict(zip(header, fields, strict=True))
        level = row["geographic_level"].strip()
        area_type = layouts.EES_LEVELS.get(level.lower())
        if area_type is None:
            skipped_levels[level] += 1
            continue
        try:
            year = parse_academic_year(row["time_period"])
        except CellError as exc:
            errors.add(str(exc), row=line, column="time_period")
            continue
        school_id = la_id = None
        region = ""
        if area_type == AreaType.LA:
            code_text = row.get("old_la_code", "").strip()
            if la_code(code_text) is None:
                errors.add(
                    f"'{code_text}' is not an LA number (a Local authority row needs one).",
                    row=line,
                    column="old_la_code",
                )
                continue
            la_id = areas.la_id(
                la_code(code_text),
                row.get("la_name", ""),
                region=row.get("region_name", "").strip(),
                gss_code=row.get("new_la_code", "").strip()[:9],
            )
        elif area_type == AreaType.REGION:
            region = (row.get("region_name") or row.get("region_code") or "").strip()
            if not region:
                errors.add("A Regional row needs a region name.", row=line, column="region_name")
                continue
        elif area_type == AreaType.SCHOOL:
            urn_col = "school_urn" if "school_urn" in col else "urn"
            try:
                urn = int(row.get(urn_col, "").strip())
            except ValueError:
                errors.add("A School row needs a URN.", row=line, column=urn_col)
                continue
            school_id = areas.school_id(urn)
            if school_id is None:
                unknown_urns += 1
                continue
        results: dict[tuple[int, str], ResultData] = {}
        for indicator, mappings in by_indicator.items():
            for mapping in mappings:
                if not _ees_matches(mapping, row, filter_cols):
                    continue
                try:
                    parsed = parse_cell(row[indicator], layouts.EES_MARKERS)
                except CellError as exc:
                    errors.add(str(exc), row=line, column=indicator)
                    continue
                if parsed is None:
                    continue
                result = _result(
                    results,
                    mapping.measure_id,
                    mapping.pupil_group,
                    area_type,
                    year,
                    status,
                    school_id,
                    la_id,
                )
                result.region = region
                _apply(result, mapping.field, parsed, row[indicator])
        for result in results.values():
            if result.has_value:
                measure = catalogue.by_id[result.measure_id]
                writer.add(
                    result,
                    line,
                    lambda m=measure, r=result: (
                        f"{m.code} ({r.pupil_group}, {r.academic_year}) for this area"
                    ),
                )
        if n % ROW_BATCH == 0:
            writer.flush()
    writer.flush()
    errors.raise_if_any()
    return writer.summary(
        n,
        areas,
        layout="Explore Education Statistics tidy CSV",
        **{
            "indicators imported": ", ".join(scan.mapped),
            "indicators not mapped (not imported)": ", ".join(scan.unmapped),
            "rows at other geographic levels (skipped)": sum(skipped_levels.values()),
            "schools not in the register (rows skipped)": unknown_urns,
        },
    )


def _apply(result: ResultData, fld: str, parsed: tuple[float | None, str], raw: str) -> None:
    value, suppression = parsed
    if fld == ResultField.VALUE:
        result.value, result.suppression = value, suppression
        result.has_value = True
    elif fld == ResultField.COHORT:
        result.cohort = int(value) if value is not None else None
    elif fld == ResultField.BAND:
        result.published_band = raw.strip()[:60]
    else:
        setattr(result, fld, value)


# --- LAIT long format ---------------------------------------------------------------------------


@register_importer("lait", "LAIT long format (every LA, region and England)")
def import_lait(
    path: str,
    *,
    progress: ProgressCallback = _noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    header, rows = read_csv_rows(path)
    _reject_duplicated_columns(header)
    require_columns(header, list(layouts.LAIT_COLUMNS), layout="a LAIT long-format extract")
    status = _status(status)
    mappings = {
        m.indicator.strip().lower(): m
        for m in IndicatorMapping.objects.filter(source=MappingSource.LAIT)
    }
    col = {h: i for i, h in enumerate(header)}
    i_code, i_years, i_area, i_values, i_lanum = (
        col["Short Desc"],
        col["Years"],
        col["LA and Regions"],
        col["Values"],
        col["LA Number"],
    )
    i_region = col.get("Region")
    i_item = col["Data item"]
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=_source_name(path, "lait", source_name), errors=errors, seen={})
    unmapped: dict[str, str] = {}
    n = 0
    width = len(header)
    for line, raw in rows:
        n += 1
        progress(n)
        fields = _pad(raw, width, line, errors)
        if fields is None:
            continue
        code = fields[i_code].strip()
        mapping = mappings.get(code.lower())
        if mapping is None:
            if len(unmapped) < 200:
                unmapped.setdefault(code, fields[i_item].strip())
            continue
        try:
            year = parse_academic_year(fields[i_years])
        except CellError as exc:
            errors.add(str(exc), row=line, column="Years")
            continue
        name = fields[i_area].strip()
        la_text = fields[i_lanum].strip()
        region_name = fields[i_region].strip() if i_region is not None else ""
        la_id = None
        region = ""
        if name.lower() in layouts.ENGLAND_NAMES:
            area_type = AreaType.NATIONAL
        elif la_text:
            if la_code(la_text) is None:
                errors.add(f"'{la_text}' is not an LA number.", row=line, column="LA Number")
                continue
            area_type = AreaType.LA
            la_id = areas.la_id(la_code(la_text), name, region=region_name)
        elif name:
            area_type, region = AreaType.REGION, name
        else:
            errors.add("The row names no LA, region or England.", row=line, column="LA and Regions")
            continue
        try:
            parsed = parse_cell(fields[i_values], layouts.LAIT_MARKERS)
        except CellError as exc:
            errors.add(str(exc), row=line, column="Values")
            continue
        if parsed is None:
            parsed = (None, "not_available")  # LAIT leaves some cells blank for "no figure"
        result = ResultData(
            measure_id=mapping.measure_id,
            area_type=area_type,
            academic_year=year,
            pupil_group=mapping.pupil_group,
            la_id=la_id,
            region=region,
            status=status,
        )
        _apply(result, mapping.field, parsed, fields[i_values])
        if mapping.field != ResultField.VALUE:
            continue  # LAIT rows carry one value each; CI/cohort rows are not combined
        writer.add(
            result,
            line,
            lambda c=code, y=year, a=name: f"{c} for {a} in {y}",
        )
        if n % (ROW_BATCH * 20) == 0:
            writer.flush()
    writer.flush()
    errors.raise_if_any()
    shown = "; ".join(f"{c} ({d})" if d else c for c, d in list(unmapped.items())[:20])
    return writer.summary(
        n,
        areas,
        layout="LAIT long format",
        **{"Short Desc codes not in the catalogue (not imported)": shown},
    )


# --- The portal template (CSV or XLSX) ------------------------------------------------------------


def _is_xlsx(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def read_rows_any(path: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """CSV (via the shared reader) or XLSX (first sheet, streamed) as text rows."""
    if not _is_xlsx(path):
        return read_csv_rows(path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportRejected.single("This .xlsx file cannot be opened as a workbook.") from None
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        head = next(it)
    except StopIteration:
        wb.close()
        raise ImportRejected.single("The file is empty.") from None
    header = [_xl_text(v).strip() for v in head]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(it, start=2):
                fields = [_xl_text(v) for v in values]
                if all(not f.strip() for f in fields):
                    continue
                yield line, fields
        finally:
            wb.close()

    return header, rows()


def _xl_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@register_importer("template", "PEP Portal results template (CSV or XLSX)")
def import_template(
    path: str,
    *,
    progress: ProgressCallback = _noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    header, rows = read_rows_any(path)
    header = [h.strip().lower() for h in header]
    _reject_duplicated_columns(header)
    require_columns(header, list(layouts.TEMPLATE_REQUIRED), layout="the PEP Portal template")
    default_status = _status(status)
    catalogue = Catalogue()
    col = {h: i for i, h in enumerate(header)}
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=_source_name(path, "template", source_name), errors=errors, seen={})
    markers = layouts.TEMPLATE_MARKERS
    n = 0
    width = len(header)

    def cell(fields, name: str) -> str:
        i = col.get(name)
        # A leading apostrophe is how spreadsheets keep text such as '-1.6 as text.
        return fields[i].strip().removeprefix("'") if i is not None else ""

    for line, raw in rows:
        n += 1
        progress(n)
        fields = _pad(raw, width, line, errors)
        if fields is None:
            continue
        bad = False
        code = cell(fields, "measure_code").strip()
        measure = catalogue.by_code.get(code)
        if measure is None:
            errors.add(
                f"'{code}' is not a measure code in the catalogue.", row=line, column="measure_code"
            )
            bad = True
        area_type = cell(fields, "area_type").strip().lower()
        if area_type not in AreaType.values:
            errors.add(
                f"'{area_type}' is not an area type: use {', '.join(AreaType.values)}.",
                row=line,
                column="area_type",
            )
            bad = True
        group = cell(fields, "pupil_group").strip().lower() or PupilGroup.ALL
        if group not in PupilGroup.values:
            errors.add(
                f"'{group}' is not a pupil group: use {', '.join(PupilGroup.values)}.",
                row=line,
                column="pupil_group",
            )
            bad = True
        row_status = cell(fields, "status").strip().lower() or default_status
        if row_status not in ResultStatus.values:
            errors.add(
                f"'{row_status}' is not a status: use {', '.join(ResultStatus.values)}.",
                row=line,
                column="status",
            )
            bad = True
        try:
            year = parse_academic_year(cell(fields, "academic_year"))
        except CellError as exc:
            errors.add(str(exc), row=line, column="academic_year")
            bad = True
        parsed = None
        try:
            parsed = parse_cell(cell(fields, "value"), markers)
            if parsed is None:
                errors.add(
                    "The value is blank: give a number or a marker such as SUPP.",
                    row=line,
                    column="value",
                )
                bad = True
        except CellError as exc:
            errors.add(str(exc), row=line, column="value")
            bad = True
        extras = {}
        for name in ("ci_lower", "ci_upper"):
            try:
                got = parse_cell(cell(fields, name), markers)
                extras[name] = got[0] if got else None
            except CellError as exc:
                errors.add(str(exc), row=line, column=name)
                bad = True
        try:
            cohort = parse_count(cell(fields, "cohort"), markers)
        except CellError as exc:
            errors.add(str(exc), row=line, column="cohort")
            bad = True
        if bad:
            continue
        area_code = cell(fields, "area_code").strip()
        school_id = la_id = None
        region = ""
        if area_type == AreaType.SCHOOL:
            urn = ascii_int(area_code)
            school_id = areas.school_id(urn) if urn is not None else None
            if school_id is None:
                errors.add(
                    f"'{area_code}' is not the URN of a school in the register.",
                    row=line,
                    column="area_code",
                )
                continue
        elif area_type == AreaType.LA:
            la_number = ascii_int(area_code)
            la_id = areas.las.get(la_number) if la_number is not None else None
            if la_id is None:
                errors.add(
                    f"'{area_code}' is not the number of an LA in the register.",
                    row=line,
                    column="area_code",
                )
                continue
        elif area_type == AreaType.REGION:
            region = area_code
            if not region:
                errors.add("A region result needs the region's name.", row=line, column="area_code")
                continue
        value, suppression = parsed
        lo, hi = extras["ci_lower"], extras["ci_upper"]
        if value is None:
            lo = hi = None
        if lo is not None and hi is not None and lo > hi:
            errors.add("The CI lower bound is above the upper bound.", row=line, column="ci_lower")
            continue
        writer.add(
            ResultData(
                measure_id=measure.pk,
                area_type=area_type,
                academic_year=year,
                pupil_group=group,
                school_id=school_id,
                la_id=la_id,
                region=region,
                value=value,
                suppression=suppression,
                cohort=cohort,
                ci_lower=lo,
                ci_upper=hi,
                status=row_status,
            ),
            line,
            lambda c=code, t=area_type, a=area_code, y=year, g=group: (
                f"{c} for {t} {a} in {y} ({g})"
            ),
        )
        if n % (ROW_BATCH * 20) == 0:
            writer.flush()
    writer.flush()
    errors.raise_if_any()
    return writer.summary(n, areas, layout="PEP Portal template")


# --- Layout detection -----------------------------------------------------------------------------


def detect_layout(header: list[str]) -> str:
    """The importer kind for a header, or ImportRejected naming the layouts it knows."""
    cols = {h.strip() for h in header}
    lower = {h.lower() for h in cols}
    for layout in layouts.PERFORMANCE_TABLE_LAYOUTS.values():
        if set(layout.signature) <= cols:
            return layout.kind
    if set(layouts.EES_SIGNATURE) <= lower:
        return "ees"
    if set(layouts.LAIT_SIGNATURE) <= cols:
        return "lait"
    if set(layouts.TEMPLATE_REQUIRED) <= lower:
        return "template"
    if set(layouts.NEIGHBOURS_SIGNATURE) <= cols:
        return "statistical_neighbours"
    raise ImportRejected.single(
        "The layout of this file is not one the portal knows. Its header should be that of "
        "DfE performance tables (KS2: RECTYPE, URN, TELIG...; KS4: RECTYPE, URN, TPUP...), "
        "an Explore Education Statistics CSV (time_period, geographic_level...), a LAIT "
        "long-format extract (Short Desc, Years, LA and Regions, Values...), or the PEP "
        "Portal template (measure_code, area_type, area_code, academic_year, value...). "
        f"This file starts with: {', '.join(list(header)[:8])}.",
        row=1,
    )


RESULT_LAYOUTS = {
    layouts.KS2.kind: layouts.KS2.label,
    layouts.KS4.kind: layouts.KS4.label,
    "ees": "Explore Education Statistics tidy CSV",
    "lait": "LAIT long format",
    "template": "PEP Portal template (CSV or XLSX)",
}


@register_importer("results", "Results (layout detected from the header)")
def import_results(path: str, *, progress: ProgressCallback = _noop, layout=None, **options):
    if layout:
        if layout not in RESULT_LAYOUTS:
            raise ImportRejected.single(
                f"'{layout}' is not a results layout: use {', '.join(RESULT_LAYOUTS)}."
            )
        kind = layout
    else:
        header, rows = read_rows_any(path)
        next(rows, None)  # start the reader so that closing it closes the file
        rows.close()
        kind = detect_layout(header)
        if kind not in RESULT_LAYOUTS:
            raise ImportRejected.single(
                "This is a statistical neighbours table, not results: import it with "
                "import_neighbours (or the statistical neighbours upload).",
                row=1,
            )
    return RESULT_IMPORTERS[kind](path, progress=progress, **options)


RESULT_IMPORTERS = {
    layouts.KS2.kind: import_ks2_performance_tables,
    layouts.KS4.kind: import_ks4_performance_tables,
    "ees": import_ees,
    "lait": import_lait,
    "template": import_template,
}


# --- DfE statistical neighbours -------------------------------------------------------------------


@register_importer("statistical_neighbours", "DfE statistical neighbours table")
def import_statistical_neighbours(
    path: str, *, progress: ProgressCallback = _noop, **_options
) -> dict:
    header, rows = read_csv_rows(path)
    require_columns(header, list(layouts.NEIGHBOURS_SIGNATURE), layout="DfE statistical neighbours")
    col_num, col_name = header.index("LA num"), header.index("LA Name")
    col_region = header.index("GOReg") if "GOReg" in header else None
    # SN1..SN10 and the closeness column that follows each (named SNP or SNP<n>).
    positions: list[tuple[int, int, int | None, str]] = []
    for pos in range(1, 11):
        name = f"SN{pos}"
        if name not in header:
            continue
        i = header.index(name)
        closeness = None
        if f"SNP{pos}" in header:
            closeness = header.index(f"SNP{pos}")
        elif i + 1 < len(header) and header[i + 1].upper().startswith("SNP"):
            closeness = i + 1
        positions.append((pos, i, closeness, name))
    errors = ErrorCollector()
    table: list[tuple[int, int, list[tuple[int, str, str, str]]]] = []
    names: dict[str, int] = {
        la_name.lower(): code
        for code, la_name in LocalAuthority.objects.values_list("code", "name")
    }
    areas = Areas()
    n = 0
    width = len(header)
    for line, raw in rows:
        n += 1
        progress(n)
        fields = _pad(raw, width, line, errors)
        if fields is None:
            continue
        num = fields[col_num].strip()
        if la_code(num) is None:
            errors.add(f"'{num}' is not an LA number.", row=line, column="LA num")
            continue
        num = str(la_code(num))
        name = fields[col_name].strip()
        region = fields[col_region].strip() if col_region is not None else ""
        areas.la_id(int(num), name, region=region)
        names.setdefault(name.lower(), int(num))
        links = []
        for pos, i, ci, column in positions:
            ref = fields[i].strip()
            if not ref:
                continue
            closeness = fields[ci].strip() if ci is not None else ""
            links.append((pos, ref, closeness, column))
        table.append((line, int(num), links))
    errors.raise_if_any()

    created = removed = unchanged_las = changed_las = 0
    for line, code, links in table:
        la_id = areas.las[code]
        wanted: list[tuple[int, int, str]] = []
        for pos, ref, closeness_text, column in links:
            target = ascii_int(ref)
            if target is None:
                target = names.get(ref.lower())
            if target is None or target not in areas.las:
                errors.add(
                    f"'{ref}' is not an LA in this table or the register.", row=line, column=column
                )
                continue
            closeness = ""
            if closeness_text:
                closeness = layouts.NEIGHBOUR_CLOSENESS.get(closeness_text.lower())
                if closeness is None:
                    errors.add(
                        f"'{closeness_text}' is not a closeness ("
                        + ", ".join(k.capitalize() for k in layouts.NEIGHBOUR_CLOSENESS)
                        + ").",
                        row=line,
                        column=column.replace("SN", "SNP"),
                    )
                    continue
            if areas.las[target] == la_id:
                errors.add("An LA cannot be its own neighbour.", row=line, column=column)
                continue
            wanted.append((pos, areas.las[target], closeness))
        if errors:
            continue
        current = sorted(
            StatisticalNeighbour.objects.filter(la_id=la_id).values_list(
                "position", "neighbour_id", "closeness"
            )
        )
        if current == sorted(wanted):
            unchanged_las += 1
            continue
        removed += StatisticalNeighbour.objects.filter(la_id=la_id).delete()[0]
        objs = [
            StatisticalNeighbour(la_id=la_id, neighbour_id=nb, position=pos, closeness=cl)
            for pos, nb, cl in wanted
        ]
        for obj in objs:
            obj.full_clean(validate_unique=False)
        StatisticalNeighbour.objects.bulk_create(objs)
        created += len(objs)
        changed_las += 1
    errors.raise_if_any()
    return {
        "rows": n,
        "local authorities added": areas.las_created,
        "LAs whose neighbours changed": changed_las,
        "LAs whose neighbours were unchanged": unchanged_las,
        "neighbour links written": created,
        "old neighbour links replaced": removed,
    }


def mapping_needed(path: str, layout: str | None = None) -> EesScan | None:
    """For an upload: the EES scan when the file has indicators no mapping covers, else None.

    Files that cannot be read or detected return None: the import job reports why.
    """
    if layout and layout != "ees":
        return None
    try:
        if not layout:
            header, rows = read_rows_any(path)
            next(rows, None)
            rows.close()
            if detect_layout(header) != "ees":
                return None
        scan = ees_scan(path)
    except ImportRejected:
        return None
    return scan if scan.unmapped else None
