"""Stage 30: one ``overview`` block per LA: headline indicators and its schools at a glance;
and one ``school_years`` block: the years of the partnership's schools' results, by measure
(the schools grid's year selector)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schools.models import School

from ..calculations import rag
from ..models import AreaType, IndicatorFigure, Measure, PupilGroup, Result, SchoolSummary
from .models import LA_STANDING_FIELDS

HEADLINE_FIELDS = (
    "year",
    "value",
    *LA_STANDING_FIELDS,
    "trend_direction",
    "rag",
    "rag_reason",
    "suppression",
)
FIGURE_COLUMNS = ["la_id", "measure_id", *HEADLINE_FIELDS, "rag_code", "rag_tolerance"]


def dashboard_blocks(*, run_id: int) -> pd.DataFrame:
    measures = {m.pk: m for m in Measure.objects.filter(is_active=True, is_headline=True)}
    figures = pd.DataFrame.from_records(
        list(
            IndicatorFigure.objects.filter(
                run_id=run_id, group=PupilGroup.ALL, measure_id__in=list(measures)
            ).values_list(*FIGURE_COLUMNS)
        ),
        columns=FIGURE_COLUMNS,
    )
    summaries = pd.DataFrame.from_records(
        list(
            SchoolSummary.objects.filter(run_id=run_id).values_list(
                "la_id", "rag", "concern", "ofsted_grade", "school__pupils_on_roll"
            )
        ),
        columns=["la_id", "rag", "concern", "ofsted_grade", "pupils"],
    )
    la_ids = sorted(set(figures["la_id"]) | set(summaries["la_id"]))
    blocks = []
    fig_by_la = dict(tuple(figures.groupby("la_id"))) if not figures.empty else {}
    sum_by_la = dict(tuple(summaries.groupby("la_id"))) if not summaries.empty else {}
    for la in la_ids:
        blocks.append(
            {
                "run": run_id,
                "key": "overview",
                "la": la,
                "data": _overview(fig_by_la.get(la), sum_by_la.get(la), measures),
            }
        )
    blocks.append(
        {"run": run_id, "key": SCHOOL_YEARS, "la": None, "data": {"by_measure": school_years()}}
    )
    return pd.DataFrame.from_records(blocks, columns=["run", "key", "la", "data"])


SCHOOL_YEARS = "school_years"


def school_years() -> dict[str, list[int]]:
    """The years of published school results of the partnership's schools (in any of its
    LAs), newest first, by measure id (as text: a JSON key). The schools grid offers the
    years of its headline measures: read from here, one small row, instead of probing the
    results index once per school and measure on each request (~11,000 index entries at
    England scale)."""
    years: dict[str, list[int]] = {}
    # As the grid's own query (grid_years): the measures named by id and the schools by a
    # subquery, so PostgreSQL probes the unique index of school results (measure, school,
    # year, group) alone, index-only: ~0.2 s with the pages on disk, where joining the
    # schools read ~20,000 pages of the table (0.3-2 s).
    measure_ids = list(Measure.objects.values_list("pk", flat=True))
    for measure_id, year in (
        Result.objects.filter(
            area_type=AreaType.SCHOOL,
            measure_id__in=measure_ids,
            school__in=School.objects.filter(la__in_partnership=True),
        )
        .order_by("measure_id", "-academic_year")
        .values_list("measure_id", "academic_year")
        .distinct()
    ):
        years.setdefault(str(measure_id), []).append(year)
    return years


def _clean(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _reason(figure: pd.Series, measure: Measure) -> str:
    return rag.figure_reason(
        words=figure["rag_reason"],
        code=figure["rag_code"],
        value=_clean(figure["value"]),
        national=_clean(figure["national"]),
        tolerance=_clean(figure["rag_tolerance"]),
        higher_is_better=measure.higher_is_better,
        precision=measure.decimal_places,
    )


def _overview(figures, summaries, measures) -> dict:
    headlines = []
    if figures is not None:
        for measure_id, part in figures.sort_values("year").groupby("measure_id", sort=False):
            m = measures[measure_id]
            last = part.iloc[-1].copy()
            last["rag_reason"] = _reason(last, m)
            headlines.append(
                {
                    "measure": m.code,
                    "name": m.short_name or m.name,
                    "sort_order": m.sort_order,
                    **{k: _clean(last[k]) for k in HEADLINE_FIELDS},
                    "series": [
                        [int(y), _clean(v), _clean(n)]
                        for y, v, n in zip(
                            part["year"], part["value"], part["national"], strict=True
                        )
                    ][-3:],
                }
            )
        headlines.sort(key=lambda h: (h["sort_order"], h["measure"]))
    schools = {
        "count": 0,
        "by_rag": {},
        "by_concern": {},
        "good_or_better": 0,
        "with_grade": 0,
        "pupils_good_or_better_pct": None,
    }
    if summaries is not None:
        graded = summaries[summaries["ofsted_grade"].notna()]
        gob = graded[graded["ofsted_grade"] <= 2]
        pupils = graded["pupils"].fillna(0).sum()
        schools = {
            "count": int(len(summaries)),
            "by_rag": {k: int(v) for k, v in summaries["rag"].value_counts().items()},
            "by_concern": {k: int(v) for k, v in summaries["concern"].value_counts().items() if k},
            "good_or_better": int(len(gob)),
            "with_grade": int(len(graded)),
            "pupils_good_or_better_pct": (
                round(float(gob["pupils"].fillna(0).sum()) / float(pupils) * 100, 1)
                if pupils
                else None
            ),
        }
    return {"headlines": headlines, "schools": schools}
