"""Results from a file into the results table: on PostgreSQL, COPY and one set-based merge.

An importer hands each parsed batch (a results frame, ``services.FRAME_COLUMNS``) to a
``ResultsStage`` and calls ``finish()`` once the whole file has been read without errors.

- PostgreSQL: each batch is COPYed into a temporary staging table; ``finish()`` merges the
  whole file in a handful of statements: the stored results the file names are found by
  one join per area type, the merge rule (``services._keep_richer``, written here in SQL)
  decides each one's new state, changed results get a ``ResultRevision`` naming both
  sources (INSERT ... SELECT) and are updated (UPDATE ... FROM), new ones are inserted
  (INSERT ... SELECT). The results of a measure and year with no stored result when the
  import first meets them (a year's first file) have nothing to merge with: they are
  COPYed straight into the results table as their batch is read, which spares staging
  them and copying them a second time. The caller's transaction makes the import
  all-or-nothing either way: a bad row found late in the file rolls back what was written.
- Any other database (SQLite: tests, the demo): each batch is written at once by
  ``services.results_write_frame``, as before.

Both paths give the same rows, revisions and counts (tests/outcomes/test_result_merge.py).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection, transaction
from django.utils import timezone

from .models import AreaType, Result, ResultRevision, ResultStatus, Suppression
from .services import FRAME_COLUMNS, results_write_frame, results_written

_STAGE_TYPES = {
    "measure_id": "integer",
    "area_type": "text",
    "school_id": "integer",
    "la_id": "integer",
    "region": "text",
    "academic_year": "integer",
    "pupil_group": "text",
    "value": "float8",
    "suppression": "text",
    "cohort": "integer",
    "ci_lower": "float8",
    "ci_upper": "float8",
    "published_band": "text",
    "status": "text",
}
_TEXT_COLUMNS = tuple(c for c, t in _STAGE_TYPES.items() if t == "text")
_KEEP_IF_MISSING = ("cohort", "ci_lower", "ci_upper")
_YEARS = 10_000  # academic years are below this (models: 2000-2100)

# How a stored result is found for each area type: equality on the columns of its partial
# unique index, so PostgreSQL can hash-join or probe the index.
_AREA_KEYS = {
    AreaType.SCHOOL: ("school_id",),
    AreaType.LA: ("la_id",),
    AreaType.REGION: ("region",),
    AreaType.NATIONAL: (),
}

# Decimal places of a float as written (``services._decimal_places``): PostgreSQL prints a
# float8 with the fewest digits that read back exactly, as Python's repr does.
_PLACES = (
    "CASE WHEN {x} IS NULL THEN -1 WHEN {x}::text ~ '[eE]' THEN 15 "
    "WHEN strpos({x}::text, '.') > 0 THEN length(rtrim(split_part({x}::text, '.', 2), '0')) "
    "ELSE 0 END"
)
# ``x`` rounded half away from zero to ``p`` places (``services._rounded``); NULL if p < 0.
_ROUNDED = (
    "CASE WHEN {x} IS NULL OR {p} < 0 THEN NULL "
    "ELSE (round((abs({x}) + 1e-12)::numeric, {p}) * sign({x}))::float8 END"
)
_STATUS_RANK = "CASE {s} WHEN '{final}' THEN 2 WHEN '{revised}' THEN 1 ELSE 0 END"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class ResultsStage:
    """The results of one file, written by ``finish()`` (see the module docstring)."""

    def __init__(self, *, source: str):
        self.source = source
        self.counts: Counter[str] = Counter()
        self.staged = 0
        self.written = 0  # results COPYed straight into the results table (nothing to merge)
        self._table: str | None = None
        # (measure id, academic year), as measure id * _YEARS + year -> True when no result
        # was stored for it when the import first met it
        self._fresh: dict[int, bool] = {}

    @property
    def set_based(self) -> bool:
        return connection.vendor == "postgresql"

    def add(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        if not self.set_based:
            self.counts.update(results_write_frame(frame=frame, source=self.source))
            return
        fresh = self._fresh_rows(frame)
        if fresh.any():
            self._write(frame[fresh] if not fresh.all() else frame)
        if not fresh.all():
            self._stage(frame[~fresh] if fresh.any() else frame)

    def _fresh_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows are of a measure and year that had no stored result when this import
        first met them: nothing stored can match them (the same result twice in one file
        is the importer's error), so they need no merge."""
        measures = frame["measure_id"].to_numpy(dtype=float).astype(np.int64)
        years = frame["academic_year"].to_numpy(dtype=float).astype(np.int64)
        pairs = measures * _YEARS + years  # one number per (measure, year)
        met = np.unique(pairs)
        new = [int(p) for p in met if int(p) not in self._fresh]
        if new:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT m, y FROM unnest(%s::integer[], %s::integer[]) AS v(m, y) "
                    f"WHERE EXISTS (SELECT 1 FROM {_q(Result._meta.db_table)} r "
                    "WHERE r.measure_id = v.m AND r.academic_year = v.y)",
                    [[p // _YEARS for p in new], [p % _YEARS for p in new]],
                )
                stored = {m * _YEARS + y for m, y in cursor.fetchall()}
            self._fresh.update((p, p not in stored) for p in new)
        return np.isin(pairs, [p for p in met.tolist() if self._fresh[p]])

    def _write(self, frame: pd.DataFrame) -> None:
        now = timezone.now().isoformat()
        extra = {"source": self.source, "created_at": now, "updated_at": now}
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {_q(Result._meta.db_table)} ({', '.join((*FRAME_COLUMNS, *extra))}) "
                f"FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(_TEXT_COLUMNS)}, "
                "source))",
                _csv(frame, extra=extra.values()),
            )
        self.written += len(frame)

    def _stage(self, frame: pd.DataFrame) -> None:
        if self._table is None:
            self._table = f"pep_result_stage_{uuid.uuid4().hex[:12]}"
            columns = ", ".join(f"{c} {t}" for c, t in _STAGE_TYPES.items())
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMPORARY TABLE {self._table} (seq bigserial, {columns})")
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {self._table} ({', '.join(FRAME_COLUMNS)}) FROM STDIN WITH (FORMAT csv, "
                f"FORCE_NOT_NULL ({', '.join(_TEXT_COLUMNS)}))",
                _csv(frame),
            )
        self.staged += len(frame)

    def finish(self) -> Counter[str]:
        """Merge what was staged (PostgreSQL); the counts of created, updated, unchanged."""
        counts: Counter[str] = Counter(created=self.written)
        if self._table is not None:
            with transaction.atomic():
                counts.update(_merge(self._table, source=self.source, now=timezone.now()))
            self._table = None
        if self.written or self.staged:
            results_written(self.source, counts)
        self.counts.update(counts)
        self.written = 0
        return self.counts


def _csv(frame: pd.DataFrame, *, extra: Iterable[str] = ()) -> io.BytesIO:
    """The frame as CSV for COPY, written by Arrow's CSV writer (in C++; the csv module from
    plain lists took twice the time, pandas' to_csv more): floats in their shortest exact
    form, as Python's repr; NaN as an empty (NULL) field; every text quoted, so an empty
    text stays text. ``extra``: texts the same on every row, as last columns."""
    columns = []
    for name in FRAME_COLUMNS:
        kind = _STAGE_TYPES[name]
        if kind == "text":
            columns.append(pa.array(frame[name]))  # pandas' str columns are Arrow's already
            continue
        values = frame[name].to_numpy(dtype=float)
        missing = np.isnan(values)
        if kind != "float8":
            values = np.where(missing, 0, values).astype(np.int64)
        columns.append(pa.array(values, mask=missing))
    columns.extend(pa.repeat(value, len(frame)) for value in extra)
    buf = io.BytesIO()
    table = pa.Table.from_arrays(columns, names=[f"c{n}" for n in range(len(columns))])
    pa_csv.write_csv(table, buf, pa_csv.WriteOptions(include_header=False))
    buf.seek(0)
    return buf


def _pairs_sql(stage: str, result: str) -> str:
    """(staged row, stored result) for every staged row that names a stored result."""
    parts = []
    for area_type, keys in _AREA_KEYS.items():
        on = " AND ".join(
            [
                "r.measure_id = s.measure_id",
                "r.academic_year = s.academic_year",
                "r.pupil_group = s.pupil_group",
                *(f"r.{k} = s.{k}" for k in keys),
            ]
        )
        parts.append(
            f"SELECT s.seq, r.id FROM {stage} s JOIN {result} r ON {on} "
            f"AND r.area_type = '{area_type}' WHERE s.area_type = '{area_type}'"
        )
    return " UNION ALL ".join(parts)


def _merged_sql(stage: str, result: str) -> str:
    """Each matched result's new state by the merge rule, and whether it changed."""
    status_rank = {
        "final": ResultStatus.FINAL,
        "revised": ResultStatus.REVISED,
    }
    rank_new = _STATUS_RANK.format(s="status", **status_rank)
    rank_old = _STATUS_RANK.format(s="status_old", **status_rank)
    compared = (
        "value IS NOT DISTINCT FROM value_old AND cohort IS NOT DISTINCT FROM cohort_old "
        "AND ci_lower IS NOT DISTINCT FROM ci_lower_old "
        "AND ci_upper IS NOT DISTINCT FROM ci_upper_old AND suppression = suppression_old "
        "AND published_band = published_band_old AND status = status_old"
    )
    kept = ", ".join(
        f"CASE WHEN same AND {c} IS NULL THEN {c}_old ELSE {c} END AS {c}" for c in _KEEP_IF_MISSING
    )
    olds = ", ".join(f"{c}_old" for c in ("value", *_KEEP_IF_MISSING))
    return f"""
    SELECT seq, id, NOT ({compared}) AS changed, value, cohort, ci_lower, ci_upper,
           suppression, published_band, status
    FROM (
      SELECT seq, id,
        CASE WHEN no_figure OR (same AND (equal OR coarser)) THEN value_old ELSE v END AS value,
        CASE WHEN no_figure THEN suppression_old ELSE supp END AS suppression,
        {kept},
        CASE WHEN same AND band = '' THEN published_band_old ELSE band END AS published_band,
        CASE WHEN same AND {rank_old} > {rank_new} THEN status_old ELSE status END AS status,
        {olds}, suppression_old, published_band_old, status_old
      FROM (
        SELECT *, ((equal OR coarser OR both_null OR finer) AND same_supp) OR no_figure AS same
        FROM (
          SELECT *,
            same_supp AND places < places_old
              AND COALESCE({_ROUNDED.format(x="value_old", p="places")} = v, false) AS coarser,
            same_supp AND places > places_old
              AND COALESCE({_ROUNDED.format(x="v", p="places_old")} = value_old, false) AS finer
          FROM (
            SELECT p.seq, r.id, s.value AS v, s.suppression AS supp, s.cohort, s.ci_lower,
              s.ci_upper, s.published_band AS band, s.status,
              r.value AS value_old, r.cohort AS cohort_old, r.ci_lower AS ci_lower_old,
              r.ci_upper AS ci_upper_old, r.suppression AS suppression_old,
              r.published_band AS published_band_old, r.status AS status_old,
              s.value IS NULL AND r.value IS NULL AS both_null,
              COALESCE(abs(s.value - r.value) <= 1e-12 * abs(r.value), false) AS equal,
              s.suppression = r.suppression AS same_supp,
              s.value IS NULL AND s.suppression = '{Suppression.NOT_AVAILABLE}'
                AND r.value IS NOT NULL AS no_figure,
              {_PLACES.format(x="s.value")} AS places,
              {_PLACES.format(x="r.value")} AS places_old
            FROM ({_pairs_sql(stage, result)}) p
            JOIN {stage} s ON s.seq = p.seq JOIN {result} r ON r.id = p.id
          ) facts
        ) digits
      ) decided
    ) merged
    """


def _merge(stage: str, *, source: str, now: dt.datetime) -> Counter[str]:
    result = _q(Result._meta.db_table)
    revision = _q(ResultRevision._meta.db_table)
    merged = f"{stage}_merged"
    updated_columns = ("value", "cohort", "ci_lower", "ci_upper", "suppression")
    updated_columns += ("published_band", "status")
    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {merged} AS {_merged_sql(stage, result)}")
        cursor.execute(f"SELECT count(*) FILTER (WHERE changed), count(*) FROM {merged}")
        changed, matched = cursor.fetchone()
        counts["updated"], counts["unchanged"] = changed, matched - changed
        if changed:
            cursor.execute(
                f"INSERT INTO {revision} (result_id, value, cohort, ci_lower, ci_upper, "
                "published_band, status, suppression, source, replaced_by_source, replaced_at) "
                "SELECT r.id, r.value, r.cohort, r.ci_lower, r.ci_upper, r.published_band, "
                f"r.status, r.suppression, r.source, %s, %s FROM {result} r "
                f"JOIN {merged} m ON m.id = r.id WHERE m.changed",
                [source, now],
            )
            cursor.execute(
                f"UPDATE {result} r SET "
                + ", ".join(f"{c} = m.{c}" for c in updated_columns)
                + f", source = %s, updated_at = %s FROM {merged} m "
                "WHERE r.id = m.id AND m.changed",
                [source, now],
            )
        columns = ", ".join(FRAME_COLUMNS)
        cursor.execute(
            f"INSERT INTO {result} ({columns}, source, created_at, updated_at) "
            f"SELECT {', '.join('s.' + c for c in FRAME_COLUMNS)}, %s, %s, %s "
            f"FROM {stage} s WHERE NOT EXISTS (SELECT 1 FROM {merged} m WHERE m.seq = s.seq) "
            "ORDER BY s.seq",
            [source, now, now],
        )
        counts["created"] = cursor.rowcount
        cursor.execute(f"DROP TABLE {merged}")
        cursor.execute(f"DROP TABLE {stage}")
    return counts
