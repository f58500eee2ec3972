"""Writes for outcomes: results (in batches, keeping history) and targets.

The LAs met in files, indicator mappings and uploads waiting for a mapping: importing.py.

Batch writes (``results_write_batch``) are what the importers call for hundreds of thousands
of results: each value has already been parsed and checked cell by cell by the importer, and
the database constraints (one result per measure/area/year/group, value null iff suppressed,
area matching its type, CI ordered) hold the invariants, so rows are not ``full_clean``-ed one
by one (that would cost a query per row). Single-object services call ``full_clean()``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from pep_portal.nightly.writer import write_frame
from pep_portal.platform.audit import audit_summary
from pep_portal.platform.validated import save_validated
from pep_portal.platform.versioned_cache import rows_changed
from schools.models import LocalAuthority, School

if TYPE_CHECKING:
    pass

from .models import (
    RESULT_READING_FIELDS,
    AreaType,
    Measure,
    PeriodResult,
    Result,
    ResultStatus,
    Suppression,
    Target,
)

BATCH_SIZE = 2000
COMPARED_FIELDS = (*RESULT_READING_FIELDS, "status")


@dataclass(slots=True)
class ResultData:
    """One result as read from a file, ready to write."""

    measure_id: int
    area_type: str
    academic_year: int
    pupil_group: str
    school_id: int | None = None
    la_id: int | None = None
    region: str = ""
    value: float | None = None
    suppression: str = ""
    cohort: int | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    published_band: str = ""
    status: str = ResultStatus.PROVISIONAL
    has_value: bool = False  # the file gave a value (or a marker) for this result

    @property
    def key(self) -> tuple[Any, ...]:
        return (
            self.measure_id,
            self.area_type,
            self.school_id,
            self.la_id,
            self.region,
            self.academic_year,
            self.pupil_group,
        )


# The columns of a results frame (``results_write_frame``): one row per result. Ids and cohort
# are floats with NaN for "none" (numpy has no nullable int), strings are "" for "none".
FRAME_KEY = (
    "measure_id",
    "area_type",
    "school_id",
    "la_id",
    "region",
    "academic_year",
    "pupil_group",
)
FRAME_COLUMNS = (*FRAME_KEY, *COMPARED_FIELDS)
_FLOAT_FIELDS = ("value", "cohort", "ci_lower", "ci_upper")
_TEXT_FIELDS = ("suppression", "published_band", "status")
ID_CHUNK = 900  # ids per IN (...) list: well under every backend's parameter limit


def results_frame(rows: list[ResultData]) -> pd.DataFrame:
    """A results frame from ``ResultData`` rows (the importers that build rows one by one)."""

    def floats(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in rows], dtype=float)  # None -> NaN

    return pd.DataFrame(
        {
            "measure_id": np.array([r.measure_id for r in rows], dtype=np.int64),
            "area_type": np.array([str(r.area_type) for r in rows], dtype=object),
            "school_id": floats("school_id"),
            "la_id": floats("la_id"),
            "region": np.array([r.region for r in rows], dtype=object),
            "academic_year": np.array([r.academic_year for r in rows], dtype=np.int64),
            "pupil_group": np.array([str(r.pupil_group) for r in rows], dtype=object),
            "value": floats("value"),
            "suppression": np.array([str(r.suppression) for r in rows], dtype=object),
            "cohort": floats("cohort"),
            "ci_lower": floats("ci_lower"),
            "ci_upper": floats("ci_upper"),
            "published_band": np.array([r.published_band for r in rows], dtype=object),
            "status": np.array([str(r.status) for r in rows], dtype=object),
        }
    )


@transaction.atomic
def results_write_batch(*, rows: list[ResultData], source: str) -> Counter[str]:
    """Create new results, update changed ones (keeping the old state), skip unchanged.

    Returns a Counter with 'created', 'updated' and 'unchanged'. Keys within ``rows`` must be
    unique (the importers check duplicates before writing).
    """
    if not rows:
        return Counter()
    return results_write_frame(frame=results_frame(rows), source=source)


@transaction.atomic
def results_write_frame(*, frame: pd.DataFrame, source: str) -> Counter[str]:
    """``results_write_batch`` for a results frame (columns ``FRAME_COLUMNS``).

    Reads the existing results of the frame's areas, measures and years once (plain tuples, no
    model instances), compares column by column, then writes with set-based SQL: new rows by
    COPY (PostgreSQL) or executemany INSERT (SQLite); the previous state of changed rows is
    copied into ``ResultRevision`` by INSERT ... SELECT, and the changed rows are updated by
    one UPDATE ... FROM unnest(...) (PostgreSQL) or executemany UPDATE by pk (SQLite).
    Keys within the frame must be unique.
    """
    counts: Counter[str] = Counter()
    if frame.empty:
        return counts
    frame = frame.reset_index(drop=True)
    frame["area_id"] = _area_id(frame["school_id"], frame["la_id"])
    existing = _existing_frame(frame)
    now = timezone.now()
    if existing.empty:
        new = frame
        changed = existing
    else:
        merged = frame.merge(
            existing,
            how="left",
            on=["measure_id", "area_type", "area_id", "region", "academic_year", "pupil_group"],
            suffixes=("", "_old"),
            sort=False,
            validate="one_to_one",
        )
        found = merged["id"].notna().to_numpy()
        new = merged.loc[~found, list(FRAME_COLUMNS)]
        old = _keep_richer(merged.loc[found].copy())
        same = np.ones(len(old), dtype=bool)
        for name in _FLOAT_FIELDS:
            a, b = old[name].to_numpy(dtype=float), old[name + "_old"].to_numpy(dtype=float)
            same &= (a == b) | (np.isnan(a) & np.isnan(b))
        for name in _TEXT_FIELDS:
            same &= old[name].to_numpy(dtype=object) == old[name + "_old"].to_numpy(dtype=object)
        counts["unchanged"] = int(same.sum())
        changed = old.loc[~same]
    if len(changed):
        _results_update(changed, source=source, now=now)
        counts["updated"] = len(changed)
    if len(new):
        _results_insert(new, source=source, now=now)
        counts["created"] = len(new)
    results_written(source, counts)
    return counts


def results_written(source: str, counts: Counter[str]) -> None:
    """After results were written in bulk (no model signals): one audit entry for them, how
    many were created and changed, and the cached pages that show results miss from now on
    (``versioned_cache.rows_changed``). Nothing when nothing changed."""
    if counts.get("created") or counts.get("updated"):
        rows_changed(Result)
        audit_summary(
            Result,
            description=f"Results from {source}: rows created and changed (each changed "
            "result's previous values are kept as a result revision)",
            counts={"created": counts["created"], "changed": counts["updated"]},
        )


# How settled a status is: a figure's status never goes back when its value is unchanged.
_STATUS_ORDER = {ResultStatus.PROVISIONAL: 0, ResultStatus.REVISED: 1, ResultStatus.FINAL: 2}


def _decimal_places(values: np.ndarray) -> np.ndarray:
    """Decimal places of each float as written (0.37 -> 2, 64.0 -> 0; NaN -> -1)."""

    def places(v: float) -> int:
        if v != v:
            return -1
        text = repr(float(v))
        if "e" in text or "E" in text:
            return 15
        return len(text.split(".")[1].rstrip("0")) if "." in text else 0

    return np.array([places(v) for v in values], dtype=np.int64)


def _rounded(values: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Each value rounded half away from zero to its own number of places (NaN stays NaN)."""
    out = np.full(len(values), np.nan)
    for i, (v, p) in enumerate(zip(values, places, strict=True)):
        if v == v and p >= 0:
            out[i] = float(f"{abs(v) + 1e-12:.{p}f}") * (1 if v >= 0 else -1)
    return out


def _keep_richer(old: pd.DataFrame) -> pd.DataFrame:
    """Merge, don't overwrite: incoming results that match a stored one keep its richer fields.

    Where the incoming value is the stored value (same number, or the same figure at another
    precision: the more precise is kept; or the same suppression), each of
    cohort, CI and published band the incoming source lacks keeps the stored one (a
    performance table's CI, band and cohort survive a LAIT or EES import of the same figure),
    and the status never goes back (final stays final). "Not available" (LAIT's '-', EES's x)
    never replaces a figure. A different value is a real change: the incoming result replaces
    the stored one, whose state is kept as a revision naming its source.
    """
    value = old["value"].to_numpy(dtype=float)
    stored = old["value_old"].to_numpy(dtype=float)
    both_nan = np.isnan(value) & np.isnan(stored)
    with np.errstate(invalid="ignore"):
        equal = np.isclose(value, stored, rtol=1e-12, atol=0.0)
    same_supp = old["suppression"].to_numpy(dtype=object) == old["suppression_old"].to_numpy(
        dtype=object
    )
    no_figure = (
        np.isnan(value)
        & (old["suppression"].to_numpy(dtype=object) == Suppression.NOT_AVAILABLE)
        & ~np.isnan(stored)
    )
    # The same figure at another precision (LAIT's 0.37 is the table's 0.4): the stored one
    # stands when it is the more precise, the incoming one replaces it (fields kept) when it is.
    places = _decimal_places(value)
    places_stored = _decimal_places(stored)
    with np.errstate(invalid="ignore"):
        coarser = (places < places_stored) & (_rounded(stored, places) == value)
        finer = (places > places_stored) & (_rounded(value, places_stored) == stored)
    coarser &= same_supp
    finer &= same_supp
    if coarser.any():
        old.loc[coarser, "value"] = stored[coarser]
    equal = equal | coarser
    same = ((equal | both_nan | finer) & same_supp) | no_figure
    if no_figure.any():
        old.loc[no_figure, "value"] = stored[no_figure]
        old.loc[no_figure, "suppression"] = old.loc[no_figure, "suppression_old"]
    old.loc[same & equal, "value"] = stored[same & equal]  # no churn from float noise
    for name in ("cohort", "ci_lower", "ci_upper"):
        incoming = old[name].to_numpy(dtype=float)
        kept = old[name + "_old"].to_numpy(dtype=float)
        fill = same & np.isnan(incoming) & ~np.isnan(kept)
        if fill.any():
            old.loc[fill, name] = kept[fill]
    band = old["published_band"].to_numpy(dtype=object)
    band_old = old["published_band_old"].to_numpy(dtype=object)
    fill = same & (band == "") & (band_old != "")
    if fill.any():
        old.loc[fill, "published_band"] = band_old[fill]
    rank = old["status"].map(_STATUS_ORDER).fillna(0).to_numpy()
    rank_old = old["status_old"].map(_STATUS_ORDER).fillna(0).to_numpy()
    back = same & (rank_old > rank)
    if back.any():
        old.loc[back, "status"] = old.loc[back, "status_old"]
    return old


def _area_id(school_id: pd.Series, la_id: pd.Series) -> np.ndarray:
    s = school_id.to_numpy(dtype=float)
    la = la_id.to_numpy(dtype=float)
    return np.where(np.isnan(s), np.where(np.isnan(la), 0, la), s).astype(np.int64)


# School and LA results are found by area (the (school|la, academic_year) indexes) and the
# measures filtered here: asking the database for "measure IN (...)" as well lets SQLite
# choose the measure index, which scans every area's results once per batch.
_EXISTING_SQL = (
    "SELECT id, measure_id, area_type, COALESCE(school_id, la_id, 0), region, academic_year, "
    "pupil_group, value, cohort, ci_lower, ci_upper, suppression, published_band, status "
    "FROM outcomes_result WHERE academic_year IN ({years}) AND area_type = %s"
)
_EXISTING_COLUMNS = [
    "id",
    "measure_id",
    "area_type",
    "area_id",
    "region",
    "academic_year",
    "pupil_group",
    *(f + "_old" for f in _FLOAT_FIELDS),
    *(f + "_old" for f in _TEXT_FIELDS),
]


def _existing_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The stored results sharing the frame's measures, years and areas, as a frame."""
    measures = sorted({int(m) for m in frame["measure_id"].unique()})
    years = sorted({int(y) for y in frame["academic_year"].unique()})
    base = _EXISTING_SQL.format(years=", ".join(["%s"] * len(years)))
    by_measure = " AND measure_id IN ({})".format(", ".join(["%s"] * len(measures)))
    records: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for area_type in frame["area_type"].unique():
            area_type = str(area_type)
            of_type = frame["area_type"] == area_type
            if area_type in (AreaType.SCHOOL, AreaType.LA):
                column = "school_id" if area_type == AreaType.SCHOOL else "la_id"
                extra = f" AND {column} IN ({{}})"
                values: list[Any] = sorted({int(i) for i in frame.loc[of_type, "area_id"]})
                measure_sql, measure_args = "", []
            else:
                if area_type == AreaType.REGION:
                    extra = " AND region IN ({})"
                    values = sorted(set(frame.loc[of_type, "region"]))
                else:
                    extra, values = "", [None]
                measure_sql, measure_args = by_measure, measures
            for start in range(0, len(values), ID_CHUNK):
                part = values[start : start + ID_CHUNK]
                sql = base + measure_sql
                args: list[Any] = [*years, area_type, *measure_args]
                if extra:
                    sql += extra.format(", ".join(["%s"] * len(part)))
                    args += part
                cursor.execute(sql, args)
                records.extend(cursor.fetchall())
    existing = pd.DataFrame.from_records(records, columns=_EXISTING_COLUMNS)
    if existing.empty:
        return existing
    for name in ("measure_id", "area_id", "academic_year", "id"):
        existing[name] = existing[name].astype(np.int64)
    existing = existing.loc[existing["measure_id"].isin(measures)]
    for name in _FLOAT_FIELDS:
        existing[name + "_old"] = existing[name + "_old"].astype(float)
    for name in ("area_type", "region", "pupil_group", *(f + "_old" for f in _TEXT_FIELDS)):
        existing[name] = existing[name].astype(object)
    return existing


def _nullable(values: np.ndarray, *, integer: bool = False) -> list[Any]:
    """A float array as a list of Python values with None for NaN (ints where asked)."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    if integer:
        out = np.where(missing, 0, values).astype(np.int64).astype(object)
    else:
        out = values.astype(object)
    out[missing] = None
    result: list[Any] = out.tolist()
    return result


def _text(series: pd.Series) -> list[Any]:
    result: list[Any] = series.to_numpy(dtype=object).tolist()  # already str (the contract)
    return result


# How a frame column becomes database values: never-null ids and years as ints, nullable ids
# and cohorts as ints or None, figures as floats or None, the rest as text.
_NOT_NULL_INTS = frozenset({"measure_id", "academic_year"})
_NULLABLE_INTS = frozenset({"school_id", "la_id", "cohort"})
_NULLABLE_FLOATS = frozenset({"value", "ci_lower", "ci_upper"})


def _db_values(frame: pd.DataFrame, name: str) -> list[Any]:
    """One column of a results frame as the values written to ``outcomes_result``."""
    if name in _NOT_NULL_INTS:
        ints: list[Any] = frame[name].astype(np.int64).tolist()
        return ints
    if name in _NULLABLE_INTS or name in _NULLABLE_FLOATS:
        return _nullable(frame[name], integer=name in _NULLABLE_INTS)
    return _text(frame[name])


_INSERT_COLUMNS = (*FRAME_COLUMNS, "source", "created_at", "updated_at")


def _results_insert(new: pd.DataFrame, *, source: str, now: dt.datetime) -> None:
    if connection.vendor == "postgresql":
        rows = new.loc[:, list(FRAME_COLUMNS)].copy()
        rows["source"] = source
        rows["created_at"] = now
        rows["updated_at"] = now
        write_frame(Result, rows)  # COPY
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    n = len(new)
    columns = [
        *(_db_values(new, name) for name in FRAME_COLUMNS),
        [source] * n,
        [stamp] * n,
        [stamp] * n,
    ]
    sql = "INSERT INTO outcomes_result ({}) VALUES ({})".format(
        ", ".join(_INSERT_COLUMNS), ", ".join(["%s"] * len(_INSERT_COLUMNS))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*columns, strict=True)))


_REVISION_SQL = (
    "INSERT INTO outcomes_resultrevision (result_id, value, cohort, ci_lower, ci_upper, "
    "published_band, status, suppression, source, replaced_by_source, replaced_at) "
    "SELECT id, value, cohort, ci_lower, ci_upper, published_band, status, suppression, "
    "source, %s, %s FROM outcomes_result WHERE id IN ({})"
)
_UPDATE_SET = ("value", "cohort", "ci_lower", "ci_upper", "suppression", "published_band", "status")


def _results_update(changed: pd.DataFrame, *, source: str, now: dt.datetime) -> None:
    """Keep each changed result's previous state as a revision, then write the new state."""
    ids = changed["id"].astype(np.int64).tolist()
    values = [_db_values(changed, name) for name in _UPDATE_SET]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_CHUNK):
            part = ids[start : start + ID_CHUNK]
            cursor.execute(
                _REVISION_SQL.format(", ".join(["%s"] * len(part))), [source, now, *part]
            )
        if connection.vendor == "postgresql":
            types = ("float8", "int4", "float8", "float8", "text", "text", "text")
            cursor.execute(
                "UPDATE outcomes_result AS r SET "
                + ", ".join(f"{c} = t.{c}" for c in _UPDATE_SET)
                + ", source = %s, updated_at = %s FROM (SELECT unnest(%s::bigint[]) AS id, "
                + ", ".join(
                    f"unnest(%s::{t}[]) AS {c}" for c, t in zip(_UPDATE_SET, types, strict=True)
                )
                + ") AS t WHERE r.id = t.id",
                [source, now, ids, *values],
            )
            return
        stamp = connection.ops.adapt_datetimefield_value(now)
        n = len(ids)
        cursor.executemany(
            "UPDATE outcomes_result SET "
            + ", ".join(f"{c} = %s" for c in _UPDATE_SET)
            + ", source = %s, updated_at = %s WHERE id = %s",
            list(zip(*values, [source] * n, [stamp] * n, ids, strict=True)),
        )


# --- Part-year figures (EES year to date, terms, weeks) ----------------------------------


def _area_key(row: ResultData) -> str:
    if row.area_type == AreaType.SCHOOL:
        return f"school:{row.school_id}"
    if row.area_type == AreaType.LA:
        return f"la:{row.la_id}"
    if row.area_type == AreaType.REGION:
        return f"region:{row.region}"
    return "national"


@transaction.atomic
def period_results_write(*, rows: list[tuple[ResultData, str]], source: str) -> Counter[str]:
    """Create or update part-year figures (keys unique within ``rows``); a later file for the
    same period replaces the figure. Returns a Counter of 'created' / 'updated' / 'unchanged'."""
    counts: Counter[str] = Counter()
    if not rows:
        return counts
    years = {r.academic_year for r, _ in rows}
    existing = {
        (p.measure_id, p.area_key, p.academic_year, p.period, p.pupil_group): p
        for p in PeriodResult.objects.filter(academic_year__in=years)
    }
    new, changed = [], []
    for row, period in rows:
        key = (row.measure_id, _area_key(row), row.academic_year, period, str(row.pupil_group))
        values = {
            "value": row.value,
            "suppression": str(row.suppression),
            "status": str(row.status),
        }
        found = existing.get(key)
        if found is None:
            new.append(
                PeriodResult(
                    measure_id=row.measure_id,
                    area_type=str(row.area_type),
                    area_key=key[1],
                    school_id=row.school_id,
                    la_id=row.la_id,
                    region=row.region,
                    academic_year=row.academic_year,
                    period=period,
                    pupil_group=str(row.pupil_group),
                    source=source,
                    **values,
                )
            )
        elif any(getattr(found, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(found, k, v)
            found.source = source
            found.updated_at = timezone.now()
            changed.append(found)
        else:
            counts["unchanged"] += 1
    PeriodResult.objects.bulk_create(new, batch_size=BATCH_SIZE)
    PeriodResult.objects.bulk_update(
        changed, ["value", "suppression", "status", "source", "updated_at"], batch_size=500
    )
    if new or changed:
        rows_changed(PeriodResult)  # bulk writes send no signals
    counts["created"], counts["updated"] = len(new), len(changed)
    return counts


# --- Targets ----------------------------------------------------------------------------------


@transaction.atomic
def target_create(
    *,
    measure: Measure,
    kind: str,
    due_date: dt.date,
    pupil_group: str = "all",
    la: LocalAuthority | None = None,
    school: School | None = None,
    value: float | None = None,
    baseline_year: int | None = None,
    description: str = "",
) -> Target:
    target = Target(
        measure=measure,
        kind=kind,
        due_date=due_date,
        pupil_group=pupil_group,
        area_type=AreaType.SCHOOL if school is not None else AreaType.LA,
        la=la,
        school=school,
        value=value,
        baseline_year=baseline_year,
        description=description,
    )
    return save_validated(target)
