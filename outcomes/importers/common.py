"""What every results importer shares: the catalogue and area look-ups, the batch writer,
row padding, the status option and the spreadsheet reader (CSV or XLSX)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pep_portal.imports.framework import (
    ErrorCollector,
    ImportRejected,
    read_csv_rows,
)
from pep_portal.imports.workbooks import cell_text, is_blank, is_xlsx, sheet_rows
from schools.models import LocalAuthority, School

from ..importing import local_authority_ensure
from ..models import Measure, ResultField, ResultStatus
from ..result_merge import ResultsStage
from ..services import ResultData, results_frame

ROW_BATCH = 500  # file rows per write batch (a KS2 row holds ~50 results)
MAX_DUPLICATE_KEYS = 2_000_000


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
    """Buffers results and stages them in batches (``ResultsStage``: on PostgreSQL nothing
    reaches the results table before ``finish``), unless errors were found."""

    source: str
    errors: ErrorCollector
    counts: Counter = field(default_factory=Counter)
    buffer: list[ResultData] = field(default_factory=list)
    seen: dict[tuple, int] | None = None  # result key -> line, where duplicates are per result
    stage: ResultsStage = field(init=False)

    def __post_init__(self) -> None:
        self.stage = ResultsStage(source=self.source)

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
            self.stage.add(results_frame(self.buffer))
            self.buffer.clear()

    def finish(self) -> None:
        """The last batch, then (no errors found) the file's results merged in."""
        self.flush()
        if not self.errors:
            self.counts.update(self.stage.finish())

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


def source_label(path: str, layout: str, source_name: str | None) -> str:
    return f"{layout}: {source_name or Path(path).name}"[:255]


def result_status(status: str | None) -> str:
    status = (status or ResultStatus.PROVISIONAL).strip().lower()
    if status not in ResultStatus.values:
        raise ImportRejected.single(
            f"'{status}' is not a result status: use {', '.join(ResultStatus.values)}."
        )
    return status


def result_for(results, measure_id, group, area_type, year, status, school_id, la_id) -> ResultData:
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


def apply_cell(result: ResultData, fld: str, parsed: tuple[float | None, str], raw: str) -> None:
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


# --- Files as text rows: CSV, XLSX or parquet ------------------------------------------------


def is_parquet(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


PARQUET_BATCH = 50_000  # rows per record batch read from a parquet file


def parquet_text(values: list) -> list[str]:
    """A parquet column as cell text: None is blank, a whole float is an integer ('851.0' is
    LAIT's LA number 851), other values as written."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return out


def read_parquet_rows(
    path: str, *, keep: Callable | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A parquet file (pyarrow) as text rows, streamed a record batch at a time; row numbers
    count the header as row 1, as in a CSV written from it. ``keep(batch)`` may return a
    boolean mask of the rows worth turning into text (the others are counted, not read)."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception:
        raise ImportRejected.single("This parquet file cannot be read.") from None
    header = [str(name) for name in parquet.schema_arrow.names]

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = 2
        batches = parquet.iter_batches(batch_size=PARQUET_BATCH)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception:  # pyarrow's errors for a damaged file: no partial import
                raise ImportRejected.single(
                    f"This parquet file cannot be read past row {start - 1}: it is damaged."
                ) from None
            lines = range(start, start + batch.num_rows)
            start += batch.num_rows
            if keep is not None:
                mask = keep(batch)
                batch = batch.filter(mask)
                lines = [line for line, kept in zip(lines, mask.to_pylist(), strict=True) if kept]
            columns = [parquet_text(column.to_pylist()) for column in batch.columns]
            yield from zip(lines, (list(r) for r in zip(*columns, strict=True)), strict=True)

    return header, rows()


def read_rows_any(path: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """CSV (via the shared reader), XLSX (first sheet, streamed) or parquet as text rows."""
    if is_parquet(path):
        return read_parquet_rows(path)
    if not is_xlsx(path):
        return read_csv_rows(path)
    sheet = sheet_rows(path)
    try:
        _, head = next(sheet)
    except StopIteration:
        raise ImportRejected.single("The file is empty.") from None
    header = [cell_text(v).strip() for v in head]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, values in sheet:
            if not is_blank(values):
                yield line, [cell_text(v) for v in values]

    return header, rows()
