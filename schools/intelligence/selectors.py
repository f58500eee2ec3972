"""Reads for a school's own data, scoped by role and agreement (see access.py)."""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from pep_portal.accounts.roles import is_staff_officer
from pep_portal.nightly.selectors import current_run_id
from pep_portal.platform import disclosure
from pep_portal.platform.rag import COLOURS, RAG_SORT
from schools.models import (
    DataSharingAgreement,
    School,
    SoftIntelligence,
    SoftIntelligenceRag,
    Workforce,
)
from schools.selectors import partnership_schools

from . import distribution, soft_rag
from .access import agreement_school_ids, may_see_school_confidential, visible_school_ids

TERM_ORDER = {"autumn": 0, "spring": 1, "summer": 2}


def facts_for(record: SoftIntelligence, pupils: int | None) -> soft_rag.Facts:
    return soft_rag.Facts(
        pupils=pupils,
        **{
            name: getattr(record, name)
            for name in soft_rag.Facts.__dataclass_fields__
            if name != "pupils"
        },
    )


def latest_term_records(schools) -> dict[int, SoftIntelligence]:
    """Each school's latest term of soft intelligence."""
    latest: dict[int, SoftIntelligence] = {}
    for record in SoftIntelligence.objects.filter(school__in=schools).select_related("school"):
        key = (record.academic_year, TERM_ORDER[record.term])
        held = latest.get(record.school_id)
        if held is None or key > (held.academic_year, TERM_ORDER[held.term]):
            latest[record.school_id] = record
    return latest


def agreement_current(*, school: School) -> DataSharingAgreement | None:
    ids = agreement_school_ids([school])
    if school.pk not in ids:
        return None
    return school.agreements.filter(withdrawn_on__isnull=True).order_by("-signed_on").first() or (
        school.agreements.order_by("-signed_on").first()
    )


@dataclass
class SoftRow:
    record: SoftIntelligence
    rag: soft_rag.SoftRag


@dataclass
class SchoolIntelligence:
    school: School
    agreement: DataSharingAgreement | None
    agreements: list[DataSharingAgreement]
    soft: list[SoftRow]
    workforce: list[Workforce]


def school_intelligence(*, school: School, user) -> SchoolIntelligence | None:
    """A school's agreement, soft intelligence (with RAG) and workforce; None if not allowed."""
    if not may_see_school_confidential(user, school):
        return None
    records = sorted(
        school.soft_intelligence.all(),
        key=lambda r: (r.academic_year, TERM_ORDER[r.term]),
        reverse=True,
    )
    return SchoolIntelligence(
        school=school,
        agreement=agreement_current(school=school),
        agreements=list(school.agreements.all()),
        soft=[SoftRow(r, soft_rag.soft_rag(facts_for(r, school.pupils_on_roll))) for r in records],
        workforce=list(school.workforce.all()),
    )


@dataclass
class OverviewRow:
    school: School
    record: SoftIntelligence
    rag: soft_rag.SoftRag
    agreement: bool


@dataclass
class SoftOverview:
    rows: list[OverviewRow]
    aggregates_only: bool
    rag_counts: dict = field(default_factory=dict)
    aggregate_schools: int = 0
    suppressed: bool = False


def soft_intelligence_overview(*, user, schools: QuerySet[School] | None = None) -> SoftOverview:
    """Each visible school's latest term with its RAG; everyone also gets the count of
    schools by RAG across schools with an agreement (at least 3, else not shown)."""
    schools = schools if schools is not None else partnership_schools()
    visible = visible_school_ids(user=user, schools=schools)
    shared = agreement_school_ids(schools)
    latest = latest_term_records(schools.filter(pk__in=visible | shared))
    rows, counts = [], Counter()
    for school_id, record in latest.items():
        rag = soft_rag.soft_rag(facts_for(record, record.school.pupils_on_roll))
        if school_id in shared:
            counts[rag.rag] += 1
        if school_id in visible:
            rows.append(OverviewRow(record.school, record, rag, school_id in shared))
    rows.sort(key=lambda r: (RAG_SORT.get(r.rag.rag, 3), r.school.name))
    total = sum(counts.values())
    enough = disclosure.enough_schools(total)
    return SoftOverview(
        rows=rows,
        aggregates_only=not visible,
        rag_counts={k: counts.get(k, 0) for k in COLOURS} if enough else {},
        aggregate_schools=total if enough else 0,
        suppressed=not enough,
    )


# --- Workforce comparison ----------------------------------------------------------------

METRICS = (
    ("pupil_teacher_ratio", "Pupils per teacher (FTE)", 1, ""),
    ("average_salary", "Average teacher salary", 0, "£"),
    ("sickness_days", "Sickness days per teacher", 1, ""),
    ("vacancies", "Vacancies", 0, ""),
    ("turnover_percent", "Staff turnover", 1, "%"),
    ("teachers_fte", "Teachers (FTE)", 1, ""),
)


def _label(i: int) -> str:
    letters = string.ascii_uppercase
    return "School " + (letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26])


def _text(value, decimals: int, prefix_suffix: str) -> str:
    if value is None:
        return "Not recorded"
    number = f"{float(value):,.{decimals}f}"
    if prefix_suffix == "£":
        return "£" + number
    return number + prefix_suffix


@dataclass
class ComparisonEntry:
    label: str
    value_text: str
    is_self: bool
    named: bool


@dataclass
class ComparisonMetric:
    name: str
    own_text: str
    position: distribution.Position
    position_text: str
    median_text: str
    range_text: str
    entries: list[ComparisonEntry]


@dataclass
class WorkforceComparison:
    school: School
    year: int | None
    years: list[int]
    metrics: list[ComparisonMetric]
    schools_compared: int


def workforce_years(*, school: School) -> list[int]:
    """The years with workforce figures for the school, latest first: the comparison's years."""
    return sorted(
        set(Workforce.objects.filter(school=school).values_list("academic_year", flat=True)),
        reverse=True,
    )


def workforce_comparison(
    *, school: School, user, year: int | None = None
) -> WorkforceComparison | None:
    """The school against every other school in its LA with figures that year.

    Only schools whose data the user may see are named; every other school appears as
    "School A", "School B"... lettered in order of value, so a label says nothing about
    which school it is. Other schools' figures are included only where the school has a
    data sharing agreement in force (officers see all). The year is the latest with figures
    unless one of :func:`workforce_years` is given. None when not allowed.
    """
    if not may_see_school_confidential(user, school):
        return None
    peers = School.objects.filter(la_id=school.la_id)
    years = workforce_years(school=school)
    year = year if year in years else (years[0] if years else None)
    if year is None:
        return WorkforceComparison(school, None, [], [], 0)
    visible = visible_school_ids(user=user, schools=peers)
    included = (
        set(peers.values_list("pk", flat=True))
        if is_staff_officer(user)
        else (agreement_school_ids(peers) | visible)
    )
    records = list(
        Workforce.objects.filter(
            academic_year=year, school_id__in=included | {school.pk}
        ).select_related("school")
    )
    own = next((r for r in records if r.school_id == school.pk), None)
    metrics = []
    for attr, name, decimals, unit in METRICS:

        def get(r, attr=attr):
            v = getattr(r, attr)
            return None if v is None else float(v)

        others = [r for r in records if r.school_id != school.pk]
        pos = distribution.position(get(own) if own else None, [get(r) for r in others])
        ordered = sorted((r for r in records if get(r) is not None), key=lambda r: (-get(r), r.pk))
        # Others' figures (anonymised) and the spread only when enough schools make them.
        enough = disclosure.enough_schools(pos.n)
        entries, letter = [], 0
        for r in ordered:
            named = r.school_id in visible
            if not named and not enough:
                continue
            if named:
                label = r.school.name + (" (this school)" if r.school_id == school.pk else "")
            else:
                label = _label(letter)
                letter += 1
            entries.append(
                ComparisonEntry(
                    label, _text(get(r), decimals, unit), r.school_id == school.pk, named
                )
            )
        position_text = (
            f"{pos.rank} of {pos.n} (highest value first); quarter {pos.quartile} of 4"
            if pos.rank
            else "Not recorded"
        )
        metrics.append(
            ComparisonMetric(
                name=name,
                own_text=_text(get(own) if own else None, decimals, unit),
                position=pos,
                position_text=position_text,
                median_text=(
                    _text(pos.median, decimals, unit) if enough else disclosure.withheld_note()
                ),
                range_text=(
                    f"{_text(pos.minimum, decimals, unit)} to {_text(pos.maximum, decimals, unit)}"
                    if pos.minimum is not None and enough
                    else ""
                ),
                entries=entries,
            )
        )
    return WorkforceComparison(school, year, years, metrics, len(records))


def soft_intelligence_rag(*, school: School, user=None) -> SoftIntelligenceRag | None:
    """The nightly soft-intelligence RAG for a school (for dashboards), if visible."""
    if user is not None and not may_see_school_confidential(user, school):
        return None
    run_id = current_run_id()
    if run_id is None:
        return None
    return SoftIntelligenceRag.objects.filter(run_id=run_id, school=school).first()
