"""Similar schools (on the school page): the nearest open schools of the same phase."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from outcomes.figures import value_text
from outcomes.models import AreaType, Measure, PupilGroup, Result, SchoolFigure
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


@dataclass
class SimilarRow:
    school: School
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


def similar_schools(*, info: SnapshotInfo, school: School) -> SimilarSchools:
    """The nearest open schools of the same phase in the partnership by disadvantage (FSM %),
    prior attainment and size (partnership/calculations/similar_schools.py), with their
    headline figures from the snapshot (3 queries).

    The pool names its LAs by a subquery (the partnership's and the school's own), so
    PostgreSQL reads the schools by their (LA, phase) index: with an OR of the LA's flag and
    the school's LA across the join it scanned all 20,000 schools (~9 ms at England scale).
    Only the columns the page shows are read. The prior attainment measure is named by its
    code inside the results query."""
    las = LocalAuthority.objects.filter(Q(in_partnership=True) | Q(pk=school.la_id)).values("pk")
    pool = list(
        School.objects.filter(la_id__in=las, phase=school.phase, status__in=OPEN)
        .exclude(pk=school.pk)
        .only("pk", "urn", "name", "percent_fsm", "pupils_on_roll")
        .order_by("name")
    )
    code = PRIOR_ATTAINMENT.get(school.phase)
    prior: dict[int, float] = {}
    if code:
        # Each school's latest published figure (later years overwrite earlier ones).
        for school_id, value in (
            Result.objects.filter(
                measure__code=code,
                area_type=AreaType.SCHOOL,
                pupil_group=PupilGroup.ALL,
                school_id__in=[school.pk, *(s.pk for s in pool)],
                value__isnull=False,
            )
            .order_by("academic_year")
            .values_list("school_id", "value")
        ):
            prior[school_id] = value

    def candidate(s: School) -> similar_calc.Candidate:
        return similar_calc.Candidate(
            key=s.pk,
            name=s.name,
            fsm=float(s.percent_fsm) if s.percent_fsm is not None else None,
            prior=prior.get(s.pk),
            size=float(s.pupils_on_roll) if s.pupils_on_roll is not None else None,
        )

    result = similar_calc.similar_schools(candidate(school), [candidate(s) for s in pool])
    by_pk = {s.pk: s for s in pool}
    chosen = [school] + [by_pk[n.candidate.key] for n in result.nearest]
    figures: dict[tuple[int, int], str] = {}
    measures: list[Measure] = []
    if info.run is not None:
        rows = (
            SchoolFigure.objects.filter(
                run_id=info.run.pk,
                school_id__in=[s.pk for s in chosen],
                group=PupilGroup.ALL,
                measure__is_headline=True,
                measure__is_active=True,
            )
            .select_related("measure")
            .order_by("measure__sort_order", "measure__code")
        )
        seen: dict[int, Measure] = {}
        for f in rows:
            seen.setdefault(f.measure_id, f.measure)
            figures[(f.school_id, f.measure_id)] = value_text(
                f.value, f.measure.decimal_places, f.suppression
            )
        # The school's own measures, in catalogue order.
        measures = [m for m in seen.values() if (school.pk, m.pk) in figures]
    distance = {n.candidate.key: n.distance for n in result.nearest}
    out = []
    for s in chosen:
        c = candidate(s)
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
        pool_size=len(pool),
        phase_label=school.get_phase_display().lower(),
    )
