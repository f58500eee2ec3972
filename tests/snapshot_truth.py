"""What the snapshot says, read once, for the reconciliation test (tests/test_reconciliation.py):
the counts of the partnership's schools and the figures of three measures for the partnership
and three sample schools, formatted as the portal prints them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from outcomes.calculations.formatting import format_gap, format_number, rank_text
from outcomes.models import IndicatorFigure, Measure, SchoolFigure, SchoolSummary
from outcomes.selectors import national_decimals, partnership_la
from pep_portal.nightly.selectors import current_run_id
from pep_portal.platform.rag import Rag
from schools.models import School
from schools.selectors import partnership_schools, with_latest_ofsted

MEASURES = ("ks2_rwm_exp", "ks4_p8", "eyfsp_gld")  # KS2 attainment, Progress 8, EYFSP


@dataclass
class Figure:
    """A figure as the portal prints it."""

    value: str
    national: str
    gap: str
    rag: str  # "Red", "Amber", "Green", "No rating"
    significance: str = ""
    trend: str = ""  # "improving", "declining", "no change"; "" for no trend
    rank: str = ""
    quartile: str = ""
    year: int | None = None


@dataclass
class Truth:
    schools: int
    ungraded: int
    rag: Counter
    suggestions: Counter
    la_name: str
    measures: dict[str, Measure]
    la: dict[str, Figure]
    samples: dict[str, School]
    school: dict[tuple[int, str], Figure]
    summaries: dict[int, SchoolSummary]


def _figure(row, measure: Measure, **extra) -> Figure:
    places = measure.decimal_places
    return Figure(
        value=format_number(row.value, places, state=row.suppression or None),
        national=format_number(row.national, national_decimals(measure)),
        gap=format_gap(row.gap, places),
        rag=Rag(row.rag).label,
        significance=row.significance,
        trend=row.trend_direction,
        **extra,
    )


def _sample(schools, measures: dict[str, Measure], codes, **filters) -> School:
    """The first school (by URN) of those matching with an unsuppressed figure for each code."""
    run = current_run_id()
    for school in schools.filter(**filters).order_by("urn"):
        have = set(
            SchoolFigure.objects.filter(
                run_id=run, school=school, group="all", value__isnull=False
            ).values_list("measure__code", flat=True)
        )
        if set(codes) <= have:
            return school
    raise AssertionError(f"the demo has no school {filters} with {codes}")


def read_truth() -> Truth:
    run = current_run_id()
    la = partnership_la()
    schools = partnership_schools()
    summaries = {
        s.school.urn: s
        for s in SchoolSummary.objects.filter(run_id=run, school__in=schools).select_related(
            "school"
        )
    }
    measures = {m.code: m for m in Measure.objects.filter(code__in=MEASURES)}
    la_figures = {}
    for code, m in measures.items():
        row = (
            IndicatorFigure.objects.filter(run_id=run, la=la, measure=m, group="all")
            .exclude(value=None)
            .latest("year")
        )
        la_figures[code] = _figure(
            row,
            m,
            rank=rank_text(row.rank, row.rank_n, joint=row.rank_joint),
            quartile=row.quartile,
            year=row.year,
        )
    samples = {
        "primary": _sample(
            schools,
            measures,
            ("ks2_rwm_exp", "eyfsp_gld"),
            phase="primary",
            statutory_low_age=4,
            statutory_high_age=11,
        ),
        "secondary": _sample(schools, measures, ("ks4_p8",), phase="secondary"),
        "infant": _sample(schools, measures, ("eyfsp_gld",), statutory_high_age=7),
    }
    school_figures = {
        (f.school.urn, f.measure.code): _figure(f, measures[f.measure.code], year=f.year)
        for f in SchoolFigure.objects.filter(
            run_id=run, school__in=samples.values(), measure__in=measures.values(), group="all"
        ).select_related("school", "measure")
    }
    return Truth(
        schools=schools.count(),
        ungraded=with_latest_ofsted(schools).filter(latest_ofsted_grade__isnull=True).count(),
        rag=Counter(Rag(s.rag).label for s in summaries.values()),
        suggestions=Counter(s.concern for s in summaries.values() if s.concern),
        la_name=la.name,
        measures=measures,
        la=la_figures,
        samples=samples,
        school=school_figures,
        summaries=summaries,
    )
