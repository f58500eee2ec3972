"""Stage 20, summaries: one per open school: counts of its headline colours, its overall RAG
(``school_rag``: Ofsted, progress significance and band, attainment) and its 3Ms
suggestion, each with the rules that applied."""

from __future__ import annotations

import pandas as pd
from django.db.models import OuterRef, Subquery

from pep_portal.platform.rag import Rag
from schools.models import OfstedInspection

from ..calculations import concern, school_rag, significance
from ..models import Measure, PupilGroup
from .indicators import nan_to_none

# Which measure says how a school is doing overall, by phase of its results (first found).
HEADLINE_ATTAINMENT = ("ks2_rwm_exp", "ks4_att8", "ks4_basics_94", "ks1_rwm_exp", "eyfsp_gld")
HEADLINE_PROGRESS = ("ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog", "ks4_p8")
OVERALL_ABSENCE = "abs_overall_pct"
FACT_MEASURES = {*HEADLINE_ATTAINMENT, *HEADLINE_PROGRESS, OVERALL_ABSENCE}
BAND_ORDER = (
    significance.WELL_BELOW,
    significance.BELOW,
    significance.AVERAGE,
    significance.ABOVE,
    significance.WELL_ABOVE,
)
FACT_COLUMNS = [
    "school",
    "measure",
    "value",
    "rag",
    "direction_3y",
    "significance",
    "progress_band",
    "gap_national",
]


def school_summaries(
    latest: pd.DataFrame, schools: pd.DataFrame, measures: dict[int, Measure], *, run_id: int
) -> pd.DataFrame:
    """``latest``: the schools' latest figures; ``schools``: the open schools (school, la)."""
    code_of = {pk: m.code for pk, m in measures.items()}
    headline = {pk for pk, m in measures.items() if m.is_headline}
    allp = latest[latest["group"] == PupilGroup.ALL]
    inspections = _latest_inspections(schools["school"].tolist())
    counted = _colour_counts(allp, headline)
    fact_ids = {pk for pk, code in code_of.items() if code in FACT_MEASURES}
    fact_rows: dict[int, dict] = {}
    for row in allp[allp["measure"].isin(fact_ids)][FACT_COLUMNS].to_dict("records"):
        fact_rows.setdefault(row["school"], {})[code_of[row["measure"]]] = row
    records = []
    for school, la in schools.itertuples(index=False):
        grade, date, ungraded = inspections.get(school, (None, None, False))
        year, reds, ambers, greens = counted.get(school, (None, 0, 0, 0))
        if year is None:
            facts = concern.SchoolFacts(ofsted_grade=grade, ofsted_ungraded=ungraded)
        else:
            facts = _facts(fact_rows.get(school, {}), grade, ungraded)
        overall = school_rag.school_rag(facts)
        suggestion = concern.suggest_concern(facts)
        records.append(
            {
                "run": run_id,
                "school": school,
                "la": la,
                "year": year,
                "rag": overall.colour,
                "rag_reason": " ".join(overall.reasons)[:255],  # deciding rule first
                "reds": reds,
                "ambers": ambers,
                "greens": greens,
                "ofsted_grade": grade,
                "ofsted_date": date,
                "concern": suggestion.level,
                "concern_reasons": [*suggestion.reasons, *suggestion.notes],
            }
        )
    return pd.DataFrame.from_records(records)


def _colour_counts(allp: pd.DataFrame, headline: set[int]) -> dict[int, tuple[int, int, int, int]]:
    """Per school with figures: its latest year and its reds, ambers and greens, counted over
    its headline measures (over all its measures when it has no headline figure). For whole
    columns at once, not a frame per school."""
    if allp.empty:
        return {}
    school = allp["school"].to_numpy(dtype="int64")
    is_head = allp["measure"].isin(headline).to_numpy()
    has_head = pd.Series(is_head).groupby(school).transform("any").to_numpy(dtype=bool)
    counted = is_head | ~has_head
    colour = allp["rag"].to_numpy(dtype=object)
    sums = (
        pd.DataFrame(
            {
                "year": allp["year"].to_numpy(dtype="int64"),
                "reds": counted & (colour == Rag.RED),
                "ambers": counted & (colour == Rag.AMBER),
                "greens": counted & (colour == Rag.GREEN),
            }
        )
        .groupby(school)
        .agg({"year": "max", "reds": "sum", "ambers": "sum", "greens": "sum"})
    )
    return {
        school: (year, reds, ambers, greens)
        for school, year, reds, ambers, greens in zip(
            sums.index.tolist(),
            sums["year"].tolist(),
            sums["reds"].tolist(),
            sums["ambers"].tolist(),
            sums["greens"].tolist(),
            strict=True,
        )
    }


def _facts(by_code: dict[str, dict], grade, ungraded) -> concern.SchoolFacts:
    attainment = next(
        (
            by_code[c]
            for c in HEADLINE_ATTAINMENT
            if c in by_code and not pd.isna(by_code[c]["value"])
        ),
        None,
    )
    progress = [by_code[c]["significance"] for c in HEADLINE_PROGRESS if c in by_code]
    worst_progress = next(
        (
            s
            for s in (
                significance.SIGNIFICANTLY_BELOW,
                significance.NOT_SIGNIFICANT,
                significance.SIGNIFICANTLY_ABOVE,
            )
            if s in progress
        ),
        None,
    )
    bands = [by_code[c]["progress_band"] for c in HEADLINE_PROGRESS if c in by_code]
    worst_band = next((b for b in BAND_ORDER if b in bands), None)
    absence = by_code.get(OVERALL_ABSENCE)
    return concern.SchoolFacts(
        ofsted_grade=grade,
        ofsted_ungraded=ungraded,
        attainment_rag=attainment["rag"] if attainment else None,
        attainment_trend=(attainment["direction_3y"] or None) if attainment else None,
        progress_significance=worst_progress,
        progress_band=worst_band,
        below_floor=None,
        absence_gap=nan_to_none(absence["gap_national"]) if absence else None,
    )


def _latest_inspections(school_ids: list[int]) -> dict[int, tuple]:
    latest = OfstedInspection.objects.filter(school_id=OuterRef("school_id")).order_by(
        "-inspection_date", "-pk"
    )
    rows = (
        OfstedInspection.objects.filter(school_id__in=school_ids)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .values_list("school_id", "overall_effectiveness", "inspection_date", "framework")
    )
    return {
        school: (grade, date, framework != OfstedInspection.Framework.GRADED)
        for school, grade, date, framework in rows
    }
