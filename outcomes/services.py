"""Writes for outcomes: results (in batches, keeping history), mappings, targets, LAs.

Batch writes (``results_write_batch``) are what the importers call for hundreds of thousands
of results: each value has already been parsed and checked cell by cell by the importer, and
the database constraints (one result per measure/area/year/group, value null iff suppressed,
area matching its type, CI ordered) hold the invariants, so rows are not ``full_clean``-ed one
by one (that would cost a query per row). Single-object services call ``full_clean()``.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from pep_portal.accounts.models import ImportJob
from pep_portal.imports.services import import_job_create
from pep_portal.nightly.writer import write_frame
from schools.models import LocalAuthority, School

from .models import (
    AreaType,
    IndicatorMapping,
    MappingSource,
    Measure,
    Result,
    ResultStatus,
    Target,
)

BATCH_SIZE = 2000
COMPARED_FIELDS = (
    "value",
    "suppression",
    "cohort",
    "ci_lower",
    "ci_upper",
    "published_band",
    "status",
)


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
    def key(self) -> tuple:
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
def results_write_batch(*, rows: list[ResultData], source: str) -> Counter:
    """Create new results, update changed ones (keeping the old state), skip unchanged.

    Returns a Counter with 'created', 'updated' and 'unchanged'. Keys within ``rows`` must be
    unique (the importers check duplicates before writing).
    """
    if not rows:
        return Counter()
    return results_write_frame(frame=results_frame(rows), source=source)


@transaction.atomic
def results_write_frame(*, frame: pd.DataFrame, source: str) -> Counter:
    """``results_write_batch`` for a results frame (columns ``FRAME_COLUMNS``).

    Reads the existing results of the frame's areas, measures and years once (plain tuples, no
    model instances), compares column by column, then writes with set-based SQL: new rows by
    COPY (PostgreSQL) or executemany INSERT (SQLite); the previous state of changed rows is
    copied into ``ResultRevision`` by INSERT ... SELECT, and the changed rows are updated by
    one UPDATE ... FROM unnest(...) (PostgreSQL) or executemany UPDATE by pk (SQLite).
    Keys within the frame must be unique.
    """
    counts: Counter = Counter()
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
        old = merged.loc[found]
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
    return counts


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
    records: list[tuple] = []
    with connection.cursor() as cursor:
        for area_type in frame["area_type"].unique():
            area_type = str(area_type)
            of_type = frame["area_type"] == area_type
            if area_type in (AreaType.SCHOOL, AreaType.LA):
                column = "school_id" if area_type == AreaType.SCHOOL else "la_id"
                extra = f" AND {column} IN ({{}})"
                values: list = sorted({int(i) for i in frame.loc[of_type, "area_id"]})
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
                args = [*years, area_type, *measure_args]
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


def _nullable(values: np.ndarray, *, integer: bool = False) -> list:
    """A float array as a list of Python values with None for NaN (ints where asked)."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    if integer:
        out = np.where(missing, 0, values).astype(np.int64).astype(object)
    else:
        out = values.astype(object)
    out[missing] = None
    return out.tolist()


def _text(series: pd.Series) -> list:
    return series.to_numpy(dtype=object).tolist()  # already str: the frame's contract


_INSERT_COLUMNS = (*FRAME_COLUMNS, "source", "created_at", "updated_at")


def _results_insert(new: pd.DataFrame, *, source: str, now) -> None:
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
        new["measure_id"].astype(np.int64).tolist(),
        _text(new["area_type"]),
        _nullable(new["school_id"], integer=True),
        _nullable(new["la_id"], integer=True),
        _text(new["region"]),
        new["academic_year"].astype(np.int64).tolist(),
        _text(new["pupil_group"]),
        _nullable(new["value"]),
        _text(new["suppression"]),
        _nullable(new["cohort"], integer=True),
        _nullable(new["ci_lower"]),
        _nullable(new["ci_upper"]),
        _text(new["published_band"]),
        _text(new["status"]),
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


def _results_update(changed: pd.DataFrame, *, source: str, now) -> None:
    """Keep each changed result's previous state as a revision, then write the new state."""
    ids = changed["id"].astype(np.int64).tolist()
    values = [
        _nullable(changed["value"]),
        _nullable(changed["cohort"], integer=True),
        _nullable(changed["ci_lower"]),
        _nullable(changed["ci_upper"]),
        _text(changed["suppression"]),
        _text(changed["published_band"]),
        _text(changed["status"]),
    ]
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


# --- Local authorities met in published files -----------------------------------------------


@transaction.atomic
def local_authority_ensure(
    *, code: int, name: str, region: str = "", gss_code: str = ""
) -> tuple[LocalAuthority, bool]:
    """The LA with this DfE code, created (named as the file names it) if the register lacks it.

    An existing LA is never renamed by a results file: the register import owns LA details.
    """
    la = LocalAuthority.objects.filter(code=code).first()
    if la is not None:
        return la, False
    la = LocalAuthority(
        code=code, name=(name or f"LA {code}").strip()[:120], region=region[:80], gss_code=gss_code
    )
    la.full_clean()
    la.save()
    return la, True


# --- Indicator mappings (EES / LAIT) ----------------------------------------------------------


@transaction.atomic
def indicator_mapping_save(
    *,
    source: str,
    indicator: str,
    filters: dict[str, str] | None,
    measure: Measure,
    pupil_group: str,
    field: str = "value",
    user=None,
) -> IndicatorMapping:
    """Create or replace the mapping of one indicator (+ filter values) to a measure and group."""
    filters = {str(k).strip(): str(v).strip() for k, v in (filters or {}).items()}
    if source == MappingSource.LAIT:
        filters = {}
    key = IndicatorMapping.make_filters_key(filters)
    mapping = IndicatorMapping.objects.filter(
        source=source, indicator=indicator.strip(), filters_key=key
    ).first() or IndicatorMapping(source=source, indicator=indicator.strip())
    mapping.filters = filters
    mapping.measure = measure
    mapping.pupil_group = pupil_group
    mapping.field = field
    if mapping.pk is None:
        mapping.created_by = user
    mapping.full_clean()
    mapping.save()
    return mapping


# --- Targets ----------------------------------------------------------------------------------


@transaction.atomic
def target_create(
    *,
    measure: Measure,
    kind: str,
    due_date,
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
    target.full_clean()
    target.save()
    return target


# --- Uploads waiting for an officer's EES mapping -----------------------------------------------

PENDING_DIR = "imports/pending"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def pending_upload_store(*, uploaded_file) -> str:
    """Keep an upload aside (under MEDIA_ROOT, never served) until it is queued; a token."""
    token = uuid.uuid4().hex
    default_storage.save(f"{PENDING_DIR}/{token}.upload", uploaded_file)
    return token


def pending_upload_path(token: str) -> str:
    if not _TOKEN.match(token or ""):
        raise ValueError("Not an upload token.")
    return default_storage.path(f"{PENDING_DIR}/{token}.upload")


def pending_upload_queue(
    *,
    token: str,
    original_name: str,
    user,
    kind: str = "results",
    options: dict | None = None,
    mappings: list[dict] | None = None,
) -> ImportJob:
    """Save any EES mappings the officer made, then queue the import of the kept upload."""
    path = pending_upload_path(token)
    with transaction.atomic():
        for m in mappings or []:
            indicator_mapping_save(source=MappingSource.EES, user=user, **m)
        with open(path, "rb") as fh:
            job = import_job_create(
                kind=kind,
                uploaded_file=File(fh, name=Path(original_name).name),
                user=user,
                options=options,
            )
    default_storage.delete(f"{PENDING_DIR}/{token}.upload")
    return job
