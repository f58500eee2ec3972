"""DfE performance tables (KS2, KS4): one row per school, LA and England, one column per
measure and pupil group; what each column means is in ``outcomes.layouts``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pep_portal.imports.framework import (
    DataRows,
    ErrorCollector,
    ImportRejected,
    ProgressCallback,
    check_header,
    noop,
    read_csv_rows,
    register_importer,
)

from .. import layouts
from ..layouts import PerformanceTableLayout
from ..models import AreaType, ResultField
from ..result_merge import ResultsStage
from .cells import CellError, la_code, parse_academic_year, parse_cell, parse_count
from .common import (
    Areas,
    Catalogue,
    result_status,
    source_label,
)


def _year_from_options(year, path: str, source_name: str | None, what: str) -> int:
    if year not in (None, ""):
        try:
            return parse_academic_year(str(year))
        except CellError as exc:
            raise ImportRejected.single(f"The year option: {exc}") from None
    name = source_name or Path(path).name
    years = set()
    for start, end in layouts.FILE_NAME_YEAR.findall(name):
        if end and int(end[-2:]) == (int(start) + 1) % 100:
            years.add(int(start) + 1)  # 2018-2019, 2018-19, 201819: the year it ends
        else:
            years.add(int(start))  # 2016: the academic year ending in 2016
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
    progress: ProgressCallback = noop,
    year=None,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    """Rows are checked one by one for their area (RECTYPE, URN, LA); cells are parsed column by
    column over a batch of rows, through a memo of distinct cell texts, and each batch becomes
    one results frame for ``results_write_frame``."""
    header, rows = read_csv_rows(path)
    check_header(header, ["RECTYPE", "LEA", "URN", *layout.signature], layout=layout.label)
    academic_year = _year_from_options(year, path, source_name, "Performance tables")
    status = result_status(status)
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
    source = source_label(path, layout.kind, source_name)
    stage = ResultsStage(source=source)
    markers = layouts.PERFORMANCE_TABLE_MARKERS
    cells = _CellMemo(markers)
    counts_memo = _CellMemo(markers, count=True)
    seen_areas: dict[tuple, int] = {}
    unknown_urns = skipped = 0
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
                stage.add(frame)
        elif found:
            found.move_to(errors)
        batch.clear()
        cells.trim()
        counts_memo.trim()

    data = DataRows(rows, width=len(header), errors=found, progress=progress)
    for line, fields in data:
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
    counts = stage.finish()
    summary = {
        "rows": data.count,
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


def _cell_errors(found, memo, codes, ids, lines, column: str, stage: int, pos: int) -> bool:
    """Each of one column's cells that ``memo`` could not parse (its code is ERROR) as an
    error on its row; whether there was any."""
    bad_rows = np.flatnonzero(codes[ids] == _CellMemo.ERROR)
    for r in bad_rows:
        found.add(memo.messages[ids[r]], row=lines[r], column=column, stage=stage, pos=pos)
    return len(bad_rows) > 0


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
        bad |= _cell_errors(
            found, counts_memo, c_codes, cohort_ids[i], lines, name, _BatchErrors.COHORT, pos
        )
    for i, name, _, _, fld in plan:
        if fld == ResultField.BAND:
            continue  # any text is a band
        bad |= _cell_errors(found, cells, codes, ids[i], lines, name, _BatchErrors.CELL, i)
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


@register_importer(layouts.KS2.kind, layouts.KS2.label)
def import_ks2_performance_tables(path: str, *, progress: ProgressCallback = noop, **options):
    return import_performance_table(layouts.KS2, path, progress=progress, **options)


@register_importer(layouts.KS4.kind, layouts.KS4.label)
def import_ks4_performance_tables(path: str, *, progress: ProgressCallback = noop, **options):
    return import_performance_table(layouts.KS4, path, progress=progress, **options)
