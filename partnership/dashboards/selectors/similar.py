"""Similar schools (on the school page): the nearest open schools of the same phase."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from outcomes import figures as figures_of
from outcomes.figures import HeadlineFigure, SchoolFigureRow, value_text
from outcomes.models import AreaType, Measure, PupilGroup, Result
from pep_portal.platform import sql_rows
from schools.models import Phase, School

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


_POOL_FIELDS = [
    School._meta.pk if name == "pk" else School._meta.get_field(name) for name in PoolSchool._fields
]
_PRIOR_FIELD = Result._meta.get_field("value")
# The pool as the ORM built it (see nearest_schools), written once as SQL in SQLite's and
# PostgreSQL's common dialect: building it cost the page ~1 ms of CPU per request.
_POOL_SQL = (
    "SELECT " + ", ".join(f's."{f.column}"' for f in _POOL_FIELDS) + "{prior} "
    'FROM "schools_school" s '
    'WHERE ((s."status" IN ({open}) OR s."id" = %s) '
    'AND s."la_id" IN (SELECT U0."id" FROM "schools_localauthority" U0 '
    'WHERE (U0."in_partnership" OR U0."id" = %s)) AND s."phase" = %s) '
    'ORDER BY s."name" ASC'
)
# A school's latest published prior attainment (the measure named by its code).
_PRIOR_SQL = (
    ', (SELECT U0."value" FROM "outcomes_result" U0 '
    'INNER JOIN "outcomes_measure" U1 ON (U0."measure_id" = U1."id") '
    'WHERE (U0."area_type" = %s AND U1."code" = %s AND U0."pupil_group" = %s '
    'AND U0."school_id" = (s."id") AND U0."value" IS NOT NULL) '
    'ORDER BY U0."academic_year" DESC LIMIT 1)'
)


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
    code = PRIOR_ATTAINMENT.get(school.phase)
    params: list = [AreaType.SCHOOL.value, code, PupilGroup.ALL.value] if code else []
    params += [*(str(status) for status in OPEN), school.pk, school.la_id, str(school.phase)]
    sql = _POOL_SQL.format(prior=_PRIOR_SQL if code else "", open=", ".join(["%s"] * len(OPEN)))
    fields = [*_POOL_FIELDS, _PRIOR_FIELD] if code else _POOL_FIELDS
    pool = []
    prior: dict[int, float] = {}
    # Rows of values, not model instances (~40 at England scale, on every request).
    width = len(PoolSchool._fields)
    for row in sql_rows.rows(School, sql, params, fields):
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
