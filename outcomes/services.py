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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pep_portal.models import ImportJob
from pep_portal.services import import_job_create
from schools.models import LocalAuthority, School

from .models import (
    AreaType,
    IndicatorMapping,
    MappingSource,
    Measure,
    Result,
    ResultRevision,
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


def _key_of(result: Result) -> tuple:
    return (
        result.measure_id,
        result.area_type,
        result.school_id,
        result.la_id,
        result.region,
        result.academic_year,
        result.pupil_group,
    )


@transaction.atomic
def results_write_batch(*, rows: list[ResultData], source: str) -> Counter:
    """Create new results, update changed ones (keeping the old state), skip unchanged.

    Returns a Counter with 'created', 'updated' and 'unchanged'. Keys within ``rows`` must be
    unique (the importers check duplicates before writing).
    """
    counts: Counter = Counter()
    if not rows:
        return counts
    existing = _existing_results(rows)
    now = timezone.now()
    to_create: list[Result] = []
    to_update: list[Result] = []
    revisions: list[ResultRevision] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            to_create.append(
                Result(
                    measure_id=row.measure_id,
                    area_type=row.area_type,
                    school_id=row.school_id,
                    la_id=row.la_id,
                    region=row.region,
                    academic_year=row.academic_year,
                    pupil_group=row.pupil_group,
                    value=row.value,
                    suppression=row.suppression,
                    cohort=row.cohort,
                    ci_lower=row.ci_lower,
                    ci_upper=row.ci_upper,
                    published_band=row.published_band,
                    status=row.status,
                    source=source,
                    created_at=now,
                    updated_at=now,
                )
            )
            counts["created"] += 1
            continue
        if all(getattr(current, f) == getattr(row, f) for f in COMPARED_FIELDS):
            counts["unchanged"] += 1
            continue
        revisions.append(
            ResultRevision(
                result_id=current.pk,
                value=current.value,
                cohort=current.cohort,
                ci_lower=current.ci_lower,
                ci_upper=current.ci_upper,
                published_band=current.published_band,
                status=current.status,
                suppression=current.suppression,
                source=current.source,
                replaced_by_source=source,
                replaced_at=now,
            )
        )
        for f in COMPARED_FIELDS:
            setattr(current, f, getattr(row, f))
        current.source = source
        current.updated_at = now
        to_update.append(current)
        counts["updated"] += 1
    Result.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        Result.objects.bulk_update(
            to_update, [*COMPARED_FIELDS, "source", "updated_at"], batch_size=BATCH_SIZE
        )
        ResultRevision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    return counts


def _existing_results(rows: Iterable[ResultData]) -> dict[tuple, Result]:
    measures, years, schools, las, regions = set(), set(), set(), set(), set()
    national = False
    for row in rows:
        measures.add(row.measure_id)
        years.add(row.academic_year)
        if row.area_type == AreaType.SCHOOL:
            schools.add(row.school_id)
        elif row.area_type == AreaType.LA:
            las.add(row.la_id)
        elif row.area_type == AreaType.REGION:
            regions.add(row.region)
        else:
            national = True
    area = Q(pk__in=[])
    if schools:
        area |= Q(area_type=AreaType.SCHOOL, school_id__in=schools)
    if las:
        area |= Q(area_type=AreaType.LA, la_id__in=las)
    if regions:
        area |= Q(area_type=AreaType.REGION, region__in=regions)
    if national:
        area |= Q(area_type=AreaType.NATIONAL)
    qs = Result.objects.filter(area, measure_id__in=measures, academic_year__in=years).only(
        "pk",
        "measure_id",
        "area_type",
        "school_id",
        "la_id",
        "region",
        "academic_year",
        "pupil_group",
        "source",
        *COMPARED_FIELDS,
    )
    return {_key_of(r): r for r in qs.iterator(chunk_size=BATCH_SIZE)}


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
