"""The outcomes steps of the nightly run (registered with pep_portal.nightly).

Stage 10, ``outcomes_las`` (one part per measure): every LA x group x year of the measure:
value, national, gap, statistical neighbours' average, rank of N, quartile, significance,
change and three-year trend, gap closing, target progress and the indicator RAG.

Stage 20, ``outcomes_schools`` (one part per LA, so more workers finish sooner): for every
school its latest figure per measure and group with the indicator RAG, an overall school
RAG, and the 3Ms concern suggestion with its reasons.

Stage 30, ``outcomes_dashboards`` (one part): the blocks each dashboard page reads.

Rows are read once per part with ``values_list`` into DataFrames; every rule comes from
``outcomes.calculations`` (vectorised where it offers it); rows are written in bulk
(PostgreSQL COPY) tagged with the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import OuterRef, Subquery

from pep_portal.accounts.models import (
    RAG,
    DashboardFigure,
    IndicatorFigure,
    SchoolFigure,
    SchoolSummary,
)
from pep_portal.nightly import nightly_step
from pep_portal.nightly.writer import write_frame
from schools.models import OfstedInspection, School, StatisticalNeighbour
from schools.selectors import open_schools

from .calculations import (
    concern,
    gaps,
    quartiles,
    rag,
    rank_pool,
    ranking,
    school_rag,
    significance,
    targets,
    trends,
)
from .models import AreaType, KeyStage, Measure, PupilGroup, Result, Target, Unit

TARGET_KINDS = {
    Target.Kind.TOP_PERCENT_OF_LAS: targets.TOP_PERCENT,
    Target.Kind.HALVE_GAP: targets.HALVE_GAP,
    Target.Kind.BETTER_THAN_NATIONAL: targets.BETTER_THAN_NATIONAL,
    Target.Kind.AT_LEAST_VALUE: targets.AT_LEAST,
}
RESULT_COLUMNS = [
    "area_type",
    "la_id",
    "academic_year",
    "pupil_group",
    "value",
    "suppression",
    "cohort",
    "ci_lower",
    "ci_upper",
    "published_band",
]
# Percentages OF PUPILS, where a school's gap converts to a number of pupils (absence is a %
# of sessions, Ofsted a % of schools: no pupil figure for those).
PUPIL_PERCENT_KEY_STAGES = (
    KeyStage.EYFSP,
    KeyStage.PHONICS,
    KeyStage.KS1,
    KeyStage.KS2,
    KeyStage.KS4,
    KeyStage.POST16,
)
# Which measure says how a school is doing overall, by phase of its results (first found).
HEADLINE_ATTAINMENT = ("ks2_rwm_exp", "ks4_att8", "ks4_basics_94", "ks1_rwm_exp", "eyfsp_gld")
HEADLINE_PROGRESS = ("ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog", "ks4_p8")
OVERALL_ABSENCE = "abs_overall_pct"
FACT_MEASURES = {*HEADLINE_ATTAINMENT, *HEADLINE_PROGRESS, OVERALL_ABSENCE}


def _measure_rules(measure: Measure) -> dict:
    return {
        "higher_is_better": measure.higher_is_better,
        "has_quartile": measure.has_quartile,
        "tolerance": float(measure.rag_tolerance),
        "bottom_quartile_red": measure.rag_bottom_quartile_red,
        "improving_closing_amber": True,
        "trend_tolerance": trends.tolerance_for(measure.unit),
    }


def _improving(frame: pd.DataFrame) -> pd.Series:
    """Better than the previous year (respecting polarity); False where unknown."""
    sign = np.where(frame["higher_is_better"].astype(bool), 1.0, -1.0)
    return pd.Series((frame["change"].to_numpy(dtype=float) * sign) > 0, index=frame.index)


def _reasons(frame: pd.DataFrame, precision: int) -> list[str]:
    return [
        rag.reason_text(
            code, value=v, national=n, tolerance=t, higher_is_better=h, precision=precision
        )
        for code, v, n, t, h in zip(
            frame["rag_code"],
            frame["value"],
            frame["national"],
            frame["tolerance"],
            frame["higher_is_better"],
            strict=True,
        )
    ]


def _significance(frame: pd.DataFrame, measure: Measure) -> list[str]:
    """The CI against 0 (``significance``); blank for measures without a CI."""
    if not measure.has_confidence_interval:
        return [""] * len(frame)
    return [
        significance.significance(lo, hi) or ""
        for lo, hi in zip(frame["ci_lower"], frame["ci_upper"], strict=True)
    ]


def _bands(frame: pd.DataFrame, measure: Measure, *, computed: bool) -> list[str]:
    """DfE's progress band: the published one (READPROG_DESCR, P8_BANDING) where stored,
    else (``computed``: schools) DfE's rule with the measure's threshold."""
    if not measure.has_confidence_interval:
        return [""] * len(frame)
    threshold = significance.well_threshold_for(measure.code)
    out = []
    for v, lo, hi, pub in zip(
        frame["value"], frame["ci_lower"], frame["ci_upper"], frame["published_band"], strict=True
    ):
        band = significance.parse_published_band(pub or None)
        if band is None and computed:
            band = significance.progress_band(v, lo, hi, well_threshold=threshold)
        out.append(band or "")
    return out


# --- Stage 10: every LA, one part per measure ---------------------------------------------


def measure_chunks(run_id: int) -> list[list[int]]:
    ids = Measure.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return [[pk] for pk in ids]


@nightly_step(
    "outcomes_las",
    order=10,
    chunks=measure_chunks,
    snapshot_models=["pep_portal.IndicatorFigure"],
    label="LA figures, ranks and RAG",
)
def outcomes_las(*, run_id: int, chunk: list[int]) -> int:
    written = 0
    for measure in Measure.objects.filter(pk__in=chunk):
        written += write_frame(IndicatorFigure, la_figures(measure, run_id=run_id))
    return written


def la_figures(measure: Measure, *, run_id: int) -> pd.DataFrame:
    rows = (
        Result.objects.filter(measure=measure, area_type__in=(AreaType.LA, AreaType.NATIONAL))
        .order_by()
        .values_list(*RESULT_COLUMNS)
    )
    frame = pd.DataFrame.from_records(list(rows), columns=RESULT_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.rename(columns={"academic_year": "year", "pupil_group": "group", "la_id": "la"})
    frame["value"] = frame["value"].astype(float)
    national = (
        frame[frame.area_type == AreaType.NATIONAL]
        .set_index(["year", "group"])["value"]
        .rename("national")
    )
    las = frame[frame.area_type == AreaType.LA].drop(columns="area_type")
    if las.empty:
        return las
    las = las.join(national, on=["year", "group"])
    for key, value in _measure_rules(measure).items():
        las[key] = value
    las["measure"] = measure.pk
    keys = ("year", "group")
    las = ranking.add_ranks(las, keys=keys)
    las = quartiles.add_quartile_bands(las, keys=keys)
    las = rank_pool.apply_minimum(las)
    las = gaps.add_gaps(las, comparators=("national",))
    links = pd.DataFrame.from_records(
        list(StatisticalNeighbour.objects.values_list("la_id", "neighbour_id")),
        columns=["la", "neighbour"],
    )
    if not links.empty:
        averages = gaps.neighbour_averages(las, links, keys=keys, la="la")
        las = las.merge(averages[["year", "group", "la", "neighbour_average"]], how="left")
    else:
        las["neighbour_average"] = np.nan
    las["gap_neighbours"] = las["value"] - las["neighbour_average"]
    las = trends.add_trend(
        las, keys=("la", "group"), gap="gap_national", tolerance="trend_tolerance"
    )
    las["improving"] = _improving(las)
    las = _add_targets(las, measure)
    las["significance"] = _significance(las, measure)
    las["progress_band"] = _bands(las, measure, computed=False)
    las = rag.add_indicator_rag(las)
    las["rag_reason"] = _reasons(las, measure.decimal_places)
    return las.rename(
        columns={
            "gap_national": "gap",
            "rank": "rank",
            "n": "rank_n",
            "joint": "rank_joint",
            "previous_value": "previous_value",
            "previous_gap_national": "previous_gap",
            "change_3y": "trend_change",
            "direction_3y": "trend_direction",
            "neighbour_average": "neighbours_average",
        }
    ).assign(run=run_id, measure=measure.pk, quartile=lambda f: f["quartile"].fillna(""))


def _add_targets(las: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    las["target_met"] = False
    las["target_status"] = ""
    las["target_text"] = ""
    for target in Target.objects.filter(measure=measure, area_type=AreaType.LA):
        mine = las[(las["la"] == target.la_id) & (las["group"] == target.pupil_group)]
        by_year = mine.set_index("year")
        for idx, row in mine.iterrows():
            year = int(row["year"])
            kind = TARGET_KINDS[target.kind]
            previous = by_year.loc[year - 1] if year - 1 in by_year.index else None
            baseline = (
                by_year.loc[target.baseline_year] if target.baseline_year in by_year.index else None
            )
            figure = (
                "rank"
                if kind == targets.TOP_PERCENT
                else (
                    "gap_national"
                    if kind in (targets.HALVE_GAP, targets.BETTER_THAN_NATIONAL)
                    else "value"
                )
            )
            progress = targets.target_progress(
                kind=kind,
                year=year,
                due_year=target.due_date.year,
                higher_is_better=measure.higher_is_better,
                value=row["value"],
                national=row["national"],
                rank=None if pd.isna(row["rank"]) else int(row["rank"]),
                n=None if pd.isna(row["n"]) else int(row["n"]),
                threshold=target.value,
                baseline=None if baseline is None else _nan(baseline[figure]),
                baseline_year=target.baseline_year,
                previous=None if previous is None else _nan(previous[figure]),
            )
            las.loc[idx, "target_status"] = progress.status
            las.loc[idx, "target_text"] = progress.text[:255]
            las.loc[idx, "target_met"] = progress.status == targets.MET
    return las


def _nan(value):
    return None if value is None or pd.isna(value) else float(value)


# --- Stage 20: every school, one part per LA ----------------------------------------------


def la_chunks(run_id: int) -> list[list[int]]:
    ids = (
        School.objects.filter(results__isnull=False)
        .order_by("la_id")
        .values_list("la_id", flat=True)
        .distinct()
    )
    return [[pk] for pk in ids]


@nightly_step(
    "outcomes_schools",
    order=20,
    chunks=la_chunks,
    snapshot_models=["pep_portal.SchoolFigure", "pep_portal.SchoolSummary"],
    label="School figures, RAG and 3Ms suggestions",
)
def outcomes_schools(*, run_id: int, chunk: list[int]) -> int:
    figures, summaries = school_figures(la_ids=chunk, run_id=run_id)
    return write_frame(SchoolFigure, figures) + write_frame(SchoolSummary, summaries)


def school_figures(*, la_ids: list[int], run_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    measures = {m.pk: m for m in Measure.objects.filter(is_active=True)}
    # Summaries (counts, school RAG, 3Ms) for open schools only, as of this run; figures for
    # every school with results, so a closed school's history stays readable.
    schools = pd.DataFrame.from_records(
        list(open_schools().filter(la_id__in=la_ids).values_list("pk", "la_id")),
        columns=["school", "la"],
    )
    school_las = dict(School.objects.filter(la_id__in=la_ids).values_list("pk", "la_id"))
    columns = [
        "school_id",
        "measure_id",
        "academic_year",
        "pupil_group",
        "value",
        "suppression",
        "cohort",
        "ci_lower",
        "ci_upper",
        "published_band",
    ]
    rows = (
        Result.objects.filter(area_type=AreaType.SCHOOL, school__la_id__in=la_ids)
        .order_by()
        .values_list(*columns)
    )
    frame = pd.DataFrame.from_records(list(rows), columns=columns).rename(
        columns={
            "school_id": "school",
            "measure_id": "measure",
            "academic_year": "year",
            "pupil_group": "group",
        }
    )
    frame["value"] = frame["value"].astype(float)
    frame = frame[frame["measure"].isin(measures)]
    frame["la"] = frame["school"].map(school_las)
    comparators = pd.DataFrame.from_records(
        list(
            Result.objects.filter(area_type=AreaType.LA, la_id__in=la_ids)
            .filter(measure_id__in=list(measures))
            .order_by()
            .values_list(
                "area_type", "la_id", "measure_id", "academic_year", "pupil_group", "value"
            )
        )
        + list(
            Result.objects.filter(area_type=AreaType.NATIONAL, measure_id__in=list(measures))
            .order_by()
            .values_list(
                "area_type", "la_id", "measure_id", "academic_year", "pupil_group", "value"
            )
        ),
        columns=["area_type", "la", "measure", "year", "group", "value"],
    ).drop_duplicates()
    comparators["value"] = comparators["value"].astype(float)
    national = (
        comparators[comparators.area_type == AreaType.NATIONAL]
        .drop(columns=["area_type", "la"])
        .rename(columns={"value": "national"})
    )
    la_values = (
        comparators[comparators.area_type == AreaType.LA]
        .drop(columns="area_type")
        .rename(columns={"value": "la_value"})
    )
    frame = frame.merge(national, on=["measure", "year", "group"], how="left")
    frame = frame.merge(la_values, on=["la", "measure", "year", "group"], how="left")
    rules = pd.DataFrame.from_records(
        [{"measure": pk, **_measure_rules(m)} for pk, m in measures.items()]
    )
    frame = frame.merge(rules, on="measure", how="left")
    frame["bottom_quartile_red"] = False  # quartiles rank LAs, not schools
    frame = gaps.add_gaps(frame, comparators=("national", "la_value"))
    frame = trends.add_trend(
        frame,
        keys=("school", "measure", "group"),
        gap="gap_national",
        tolerance="trend_tolerance",
    )
    frame["improving"] = _improving(frame)
    # Latest year per school and measure, with the last three years' values beside it.
    latest_year = frame.groupby(["school", "measure"])["year"].transform("max")
    history = frame[frame["year"] > latest_year - 3]
    history_of: dict[tuple, dict] = {}
    for key, year, value in zip(
        zip(history["school"], history["measure"], history["group"], strict=True),
        history["year"],
        history["value"],
        strict=True,
    ):
        history_of.setdefault(key, {})[str(year)] = None if value != value else round(value, 6)
    latest = frame[frame["year"] == latest_year].copy()
    latest["history"] = [
        history_of.get(key, {})
        for key in zip(latest["school"], latest["measure"], latest["group"], strict=True)
    ]
    figures = []
    for measure_id, part in latest.groupby("measure", sort=False):
        measure = measures[measure_id]
        part = part.copy()
        part["significance"] = _significance(part, measure)
        part["progress_band"] = _bands(part, measure, computed=True)
        if measure.unit == Unit.PERCENT and measure.key_stage in PUPIL_PERCENT_KEY_STAGES:
            part["gap_pupils"] = [
                gaps.gap_in_pupils(_nan(g), None if pd.isna(c) else int(c))
                for g, c in zip(part["gap_national"], part["cohort"], strict=True)
            ]
        else:
            part["gap_pupils"] = None
        part = rag.add_indicator_rag(part)
        part["rag_reason"] = _reasons(part, measure.decimal_places)
        figures.append(part)
    latest = pd.concat(figures) if figures else latest
    out = latest.rename(
        columns={
            "gap_national": "gap",
            "gap_la_value": "gap_la",
            "change_3y": "trend_change",
            "direction_3y": "trend_direction",
        }
    ).assign(run=run_id)
    summaries = _school_summaries(latest, schools, measures, run_id=run_id)
    return out, summaries


def _school_summaries(latest, schools, measures, *, run_id: int) -> pd.DataFrame:
    """One summary per open school: counts of its headline colours, its overall RAG
    (``school_rag``: Ofsted, progress significance and band, attainment) and its 3Ms
    suggestion, each with the rules that applied."""
    code_of = {pk: m.code for pk, m in measures.items()}
    headline = {pk for pk, m in measures.items() if m.is_headline}
    allp = latest[latest["group"] == PupilGroup.ALL]
    inspections = _latest_inspections(schools["school"].tolist())
    by_school = {school: part for school, part in allp.groupby("school")}
    fact_ids = {pk for pk, code in code_of.items() if code in FACT_MEASURES}
    columns = [
        "school",
        "measure",
        "value",
        "rag",
        "direction_3y",
        "significance",
        "progress_band",
        "gap_national",
    ]
    fact_rows: dict[int, dict] = {}
    for row in allp[allp["measure"].isin(fact_ids)][columns].to_dict("records"):
        fact_rows.setdefault(row["school"], {})[code_of[row["measure"]]] = row
    records = []
    for school, la in schools.itertuples(index=False):
        part = by_school.get(school)
        grade, date, ungraded = inspections.get(school, (None, None, False))
        if part is None or part.empty:
            facts = concern.SchoolFacts(ofsted_grade=grade, ofsted_ungraded=ungraded)
            colours, year = [], None
        else:
            heads = part[part["measure"].isin(headline)]
            colours = (heads if not heads.empty else part)["rag"].tolist()
            year = int(part["year"].max())
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
                "reds": colours.count(RAG.RED),
                "ambers": colours.count(RAG.AMBER),
                "greens": colours.count(RAG.GREEN),
                "ofsted_grade": grade,
                "ofsted_date": date,
                "concern": suggestion.level,
                "concern_reasons": [*suggestion.reasons, *suggestion.notes],
            }
        )
    return pd.DataFrame.from_records(records)


BAND_ORDER = (
    significance.WELL_BELOW,
    significance.BELOW,
    significance.AVERAGE,
    significance.ABOVE,
    significance.WELL_ABOVE,
)


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
        absence_gap=_nan(absence["gap_national"]) if absence else None,
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


# --- Stage 30: the dashboard blocks -------------------------------------------------------


@nightly_step(
    "outcomes_dashboards",
    order=30,
    snapshot_models=["pep_portal.DashboardFigure"],
    label="Dashboard figures",
)
def outcomes_dashboards(*, run_id: int, chunk=None) -> int:
    return write_frame(DashboardFigure, dashboard_blocks(run_id=run_id))


def dashboard_blocks(*, run_id: int) -> pd.DataFrame:
    """One ``overview`` block per LA: headline indicators and its schools at a glance."""
    measures = {m.pk: m for m in Measure.objects.filter(is_active=True, is_headline=True)}
    cols = [
        "la_id",
        "measure_id",
        "year",
        "value",
        "national",
        "gap",
        "rank",
        "rank_n",
        "rank_joint",
        "quartile",
        "trend_direction",
        "rag",
        "rag_reason",
        "suppression",
    ]
    figures = pd.DataFrame.from_records(
        list(
            IndicatorFigure.objects.filter(
                run_id=run_id, group=PupilGroup.ALL, measure_id__in=list(measures)
            ).values_list(*cols)
        ),
        columns=cols,
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
    return pd.DataFrame.from_records(blocks, columns=["run", "key", "la", "data"])


def _clean(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _overview(figures, summaries, measures) -> dict:
    headlines = []
    if figures is not None:
        for measure_id, part in figures.sort_values("year").groupby("measure_id", sort=False):
            m = measures[measure_id]
            last = part.iloc[-1]
            headlines.append(
                {
                    "measure": m.code,
                    "name": m.short_name or m.name,
                    "sort_order": m.sort_order,
                    **{
                        k: _clean(last[k])
                        for k in (
                            "year",
                            "value",
                            "national",
                            "gap",
                            "rank",
                            "rank_n",
                            "rank_joint",
                            "quartile",
                            "trend_direction",
                            "rag",
                            "rag_reason",
                            "suppression",
                        )
                    },
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
