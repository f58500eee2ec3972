"""Similar schools (on the school page): the nearest open schools of the same phase."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery

from outcomes import figures as figures_of
from outcomes.figures import HeadlineFigure, SchoolFigureRow, value_text
from outcomes.models import AreaType, Measure, PupilGroup, Result
from schools.models import LocalAuthority, Phase, School

from ...calculations import similar_schools as similar_calc
from .common import OPEN, SnapshotInfo

# --- Similar schools (on the school page) --------------------------------------------------

# The cohort's prior attainment, by phase: the published average points score of the tested
# cohort (KS1 for a KS2 cohort, KS2 for a KS4 cohort); context measures, not outcomes.
PRIOR_ATTAINMENT = {
    Phase.PRIMARY: "ks2_prior_ks1_aps",
    Phase.MIDDLE_PRIMARY: "ks2_prior_ks1_aps",
    Phase.SECONDARY: "ks4_prior_ks2_aps",
    Phase.MIDDLE_SECONDARY: "ks4_prior_ks2_aps",
    Phase.ALL_THROUGH: "ks4_prior_ks2_aps",
}


class PoolSchool(NamedTuple):
    """A school of the pool, as the similar-schools table and the distance use it."""

    pk: int
    urn: int
    name: str
    percent_fsm: Decimal | None
    pupils_on_roll: int | None


@dataclass
class SimilarRow:
    school: School | PoolSchool
    distance_text: str
    fsm_text: str
    prior_text: str
    size_text: str
    figures: list[str]  # one per SimilarSchools.measures
    is_self: bool = False


@dataclass
class SimilarSchools:
    result: similar_calc.Similar
    rows: list[SimilarRow]  # the school first, then the nearest
    measures: list[Measure]
    pool_size: int
    phase_label: str

    @property
    def uses_prior(self) -> bool:
        return any(s.name == "prior" for s in self.result.used)


def _fmt(value, places: int = 1) -> str:
    return "not recorded" if value is None else f"{float(value):.{places}f}"


@dataclass
class Nearest:
    """The school's pool of comparable schools and the nearest of them (before figures)."""

    school: School
    result: similar_calc.Similar
    pool: list[PoolSchool]
    prior: dict[int, float]  # each school's latest prior attainment, where it has one

    @property
    def nearest_ids(self) -> list[int]:
        return [n.candidate.key for n in self.result.nearest]


def nearest_schools(*, school: School) -> Nearest:
    """The nearest open schools of the same phase in the partnership by disadvantage (FSM %),
    prior attainment and size (partnership/calculations/similar_schools.py), in one query.

    The pool names its LAs by a subquery (the partnership's and the school's own), so
    PostgreSQL reads the schools by their (LA, phase) index: with an OR of the LA's flag and
    the school's LA across the join it scanned all 20,000 schools (~9 ms at England scale).
    The school itself is read in the same query for its own prior attainment: it is of its
    own LA and phase, so "open, or this school" is a filter on the rows that index finds (a
    union of the two, each part with its own subquery, cost ~1 ms more to build per request).
    Only the columns the page shows are read. Each school's prior attainment is its latest
    published figure, a subquery (the measure named by its code) probing the unique index of
    school results."""
    las = LocalAuthority.objects.filter(Q(in_partnership=True) | Q(pk=school.la_id)).values("pk")
    rows = School.objects.filter(
        Q(status__in=OPEN) | Q(pk=school.pk), la_id__in=las, phase=school.phase
    )
    code = PRIOR_ATTAINMENT.get(school.phase)
    if code:
        latest = Result.objects.filter(
            measure__code=code,
            area_type=AreaType.SCHOOL,
            pupil_group=PupilGroup.ALL,
            school_id=OuterRef("pk"),
            value__isnull=False,
        ).order_by("-academic_year")
        rows = rows.annotate(prior=Subquery(latest.values("value")[:1]))
    pool = []
    prior: dict[int, float] = {}
    # Rows of values, not model instances (~40 at England scale, on every request).
    width = len(PoolSchool._fields)
    columns = [*PoolSchool._fields, "prior"] if code else PoolSchool._fields
    for row in rows.values_list(*columns).order_by("name"):
        s = PoolSchool._make(row[:width])
        if code and row[width] is not None:
            prior[s.pk] = row[width]
        if s.pk != school.pk:
            pool.append(s)
    result = similar_calc.similar_schools(
        _candidate(school, prior), [_candidate(s, prior) for s in pool]
    )
    return Nearest(school=school, result=result, pool=pool, prior=prior)


def _candidate(s: School | PoolSchool, prior: dict[int, float]) -> similar_calc.Candidate:
    return similar_calc.Candidate(
        key=s.pk,
        name=s.name,
        fsm=float(s.percent_fsm) if s.percent_fsm is not None else None,
        prior=prior.get(s.pk),
        size=float(s.pupils_on_roll) if s.pupils_on_roll is not None else None,
    )


def similar_schools(
    *,
    info: SnapshotInfo,
    school: School,
    nearest: Nearest | None = None,
    own: list[SchoolFigureRow] | None = None,
    others: list[HeadlineFigure] | None = None,
) -> SimilarSchools:
    """The nearest schools (:func:`nearest_schools`) with their headline figures from the
    snapshot: the active headline measures the school has a figure for, in catalogue order
    (2 queries). The school page passes what it has read already: the nearest schools, the
    school's own figures (``own``) and the nearest schools' headline figures (``others``),
    read in one query with the school's (``outcomes.figures.school_figures``): no query."""
    if nearest is None:
        nearest = nearest_schools(school=school)
    if own is None and info.run is not None:
        own, others, _ = figures_of.school_figures_and_headlines(
            school_id=school.pk, others=nearest.nearest_ids, run_id=info.run.pk
        )
    result = nearest.result
    by_pk = {s.pk: s for s in nearest.pool}
    chosen = [school] + [by_pk[key] for key in nearest.nearest_ids]
    figures: dict[tuple[int, int], str] = {}
    measures: list[Measure] = []
    if info.run is not None:
        # The school's own active headline measures, in catalogue order.
        for f in own or []:
            if f.measure.is_headline and f.measure.is_active:
                measures.append(f.measure)
                figures[(school.pk, f.measure.pk)] = f.value_text
        places = {m.pk: m.decimal_places for m in measures}
        for o in others or []:
            if o.measure_id in places:
                figures[(o.school_id, o.measure_id)] = value_text(
                    o.value, places[o.measure_id], o.suppression
                )
    distance = {n.candidate.key: n.distance for n in result.nearest}
    out = []
    for s in chosen:
        c = _candidate(s, nearest.prior)
        out.append(
            SimilarRow(
                school=s,
                distance_text="" if s.pk == school.pk else f"{distance[s.pk]:.2f}",
                fsm_text=_fmt(c.fsm),
                prior_text=_fmt(c.prior),
                size_text=_fmt(c.size, 0),
                figures=[figures.get((s.pk, m.pk), "no figure") for m in measures],
                is_self=s.pk == school.pk,
            )
        )
    return SimilarSchools(
        result=result,
        rows=out,
        measures=measures,
        pool_size=len(nearest.pool),
        phase_label=school.get_phase_display().lower(),
    )
