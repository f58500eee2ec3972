"""Reads for the board dashboards: published nightly snapshot rows only, a fixed number of
queries per page whatever the number of schools, scoped by the user who asks.

Nothing is computed here that the nightly run computes (ranks, gaps, RAG, trends, 3Ms
suggestions): the rows are read as the run wrote them and only arranged and worded for
display. Every page's context starts from :func:`snapshot_info` (which run, which LA, which
data years are provisional).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from outcomes.calculations import formatting as fmt
from outcomes.calculations import groups as group_calc
from outcomes.models import AreaType, KeyStage, Measure, PupilGroup, Result, ResultStatus, Unit
from outcomes.selectors import national_decimals, partnership_la
from partnership.categorisation.models import Concern
from partnership.categorisation.selectors import latest_categorisation, latest_categorisations
from pep_portal.accounts.models import (
    DashboardFigure,
    IndicatorFigure,
    NightlyRun,
    SchoolFigure,
    SchoolSummary,
)
from pep_portal.accounts.roles import is_trust_user, sees_whole_partnership
from pep_portal.nightly.selectors import current_run
from schools.models import LocalAuthority, OfstedGrade, Phase, School, StatisticalNeighbour, Trust

from ..calculations import similar_schools as similar
from . import charts, headlines

TREND = {
    "improving": ("\u25b2", "improving"),
    "declining": ("\u25bc", "declining"),
    "no change": ("\u25ba", "no change"),
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "No rating"}
RAG_SORT = {"red": 0, "amber": 1, "green": 2, "none": 3, "": 3}
CONCERN_WORDS = dict(Concern.choices)
CONCERN_SORT = {"maximum": 0, "moderate": 1, "minimum": 2, "": 3}
OFSTED_WORDS = dict(OfstedGrade.choices)
UNIT_LABELS = {
    Unit.PERCENT: "% of pupils",
    Unit.SCORE: "Average score",
    Unit.PROGRESS: "Progress score",
    Unit.COUNT: "Count",
}

# The key stage pages: URL slug -> (title, key stages shown).
KEY_STAGE_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "early-years": (
        "Early years, phonics and key stage 1",
        (KeyStage.EYFSP, KeyStage.PHONICS, KeyStage.KS1),
    ),
    "ks2": ("Key stage 2", (KeyStage.KS2,)),
    "ks4": ("Key stage 4", (KeyStage.KS4,)),
    "attendance": ("Attendance", (KeyStage.ATTENDANCE,)),
    "16-19": ("16 to 19", (KeyStage.POST16,)),
}
PAGE_OF_KEY_STAGE = {ks: slug for slug, (_, kss) in KEY_STAGE_PAGES.items() for ks in kss}

# The schools grid's indicator columns: the active headline measures (officers choose them
# in the measure catalogue), in catalogue order, where any school shown has a figure.


def year_label(year: int | None) -> str:
    """2016 -> "2015/16"."""
    return f"{year - 1}/{str(year)[-2:]}" if year else ""


# --- The snapshot every page states ------------------------------------------------------


@dataclass
class SnapshotInfo:
    run: NightlyRun | None
    la: LocalAuthority | None
    provisional_years: list[int] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.run is not None and self.la is not None


def snapshot_info() -> SnapshotInfo:
    """The published run, the partnership's LA and which of its data years are provisional
    (4 queries). Provisional is the status of the published source rows the run read."""
    run = current_run()
    la = partnership_la()
    provisional: list[int] = []
    if la is not None:
        provisional = sorted(
            Result.objects.filter(
                area_type=AreaType.LA, la_id=la.pk, status=ResultStatus.PROVISIONAL
            )
            .order_by()
            .values_list("academic_year", flat=True)
            .distinct()
        )
    return SnapshotInfo(run=run, la=la, provisional_years=provisional)


def _value_text(value, precision: int, suppression: str = "") -> str:
    return fmt.format_number(value, precision, state=suppression or None)


def _trend(direction: str | None) -> dict:
    arrow, word = TREND.get(direction or "", ("", "no trend (fewer than three years)"))
    return {"arrow": arrow, "word": word, "key": direction or "none"}


# --- City overview -----------------------------------------------------------------------


@dataclass
class OverviewRow:
    measure: Measure
    year: int
    value_text: str
    national_text: str
    gap_text: str
    rank_text: str
    quartile: str
    trend: dict
    sparkline: str
    sparkline_text: str
    rag: str
    rag_reason: str
    suppressed: bool
    provisional: bool
    page_slug: str | None


@dataclass
class Overview:
    info: SnapshotInfo
    rows: list[OverviewRow]
    year: int | None
    schools: dict
    concern_rows: list[dict]
    rag_rows: list[dict]
    charts: list[dict]
    suppressed: int
    without_grade: int


def overview(*, info: SnapshotInfo) -> Overview | None:
    """The overview block the nightly run wrote for the partnership's LA (3 queries)."""
    if not info.ready:
        return None
    block = (
        DashboardFigure.objects.filter(run_id=info.run.pk, key="overview", la_id=info.la.pk)
        .values_list("data", flat=True)
        .first()
    )
    if block is None:
        return None
    entries = block.get("headlines", [])
    measures = Measure.objects.in_bulk([h["measure"] for h in entries], field_name="code")
    rows = []
    for h in entries:
        m = measures.get(h["measure"])
        if m is None:
            continue
        series = h.get("series") or []
        values = [v for _, v, _ in series]
        spark_text = ", ".join(f"{y}: {_value_text(v, m.decimal_places)}" for y, v, _ in series)
        rows.append(
            OverviewRow(
                measure=m,
                year=h["year"],
                value_text=_value_text(h["value"], m.decimal_places, h.get("suppression", "")),
                national_text=_value_text(h["national"], national_decimals(m)),
                gap_text=fmt.format_gap(h["gap"], m.decimal_places),
                rank_text=fmt.rank_text(h["rank"], h["rank_n"], joint=bool(h["rank_joint"])),
                quartile=h.get("quartile") or "",
                trend=_trend(h.get("trend_direction")),
                sparkline=charts.sparkline_svg_points(values),
                sparkline_text=spark_text or "no figures",
                rag=h.get("rag") or "none",
                rag_reason=h.get("rag_reason") or "",
                suppressed=bool(h.get("suppression")),
                provisional=h["year"] in info.provisional_years,
                page_slug=PAGE_OF_KEY_STAGE.get(m.key_stage),
            )
        )
    year = max((r.year for r in rows), default=None)
    schools = block.get("schools", {})
    decided = defaultdict(int)
    for decision in latest_categorisations().values():
        decided[decision.category] += 1
    suggested = schools.get("by_concern", {})
    concern_rows = [
        {
            "key": key,
            "label": label,
            "suggested": suggested.get(key, 0),
            "decided": decided.get(key, 0),
        }
        for key, label in Concern.choices[::-1]
    ]
    by_rag = schools.get("by_rag", {})
    rag_rows = [
        {"key": key, "label": RAG_WORDS[key], "count": by_rag.get(key, 0)}
        for key in ("red", "amber", "green", "none")
    ]
    chart = charts.count_chart(
        "chart-concern",
        labels=[r["label"] for r in concern_rows],
        series={
            "Suggested by the data": [r["suggested"] for r in concern_rows],
            "Decided by the Operational Group": [r["decided"] for r in concern_rows],
        },
    )
    return Overview(
        info=info,
        rows=rows,
        year=year,
        schools=schools,
        concern_rows=concern_rows,
        rag_rows=rag_rows,
        charts=[chart],
        suppressed=sum(r.suppressed for r in rows),
        without_grade=schools.get("count", 0) - schools.get("with_grade", 0),
    )


# --- Headlines ---------------------------------------------------------------------------


@dataclass
class HeadlinesPage:
    info: SnapshotInfo
    year: int | None
    strengths: list[headlines.Headline]
    challenges: list[headlines.Headline]
    left_out: list[str]
    text: str
    page_of: dict[str, str | None]


def headline_facts(*, info: SnapshotInfo) -> list[headlines.IndicatorFacts]:
    """Each active measure's latest year for the LA (all pupils), with last year's gap and
    rank beside it (1 query)."""
    rows = (
        IndicatorFigure.objects.filter(
            run_id=info.run.pk,
            la_id=info.la.pk,
            group=PupilGroup.ALL,
            measure__is_active=True,
        )
        .select_related("measure")
        .order_by("measure__sort_order", "measure__code", "year")
    )
    by_measure: dict[int, list[IndicatorFigure]] = defaultdict(list)
    for row in rows:
        by_measure[row.measure_id].append(row)
    facts = []
    for figures in by_measure.values():
        latest = figures[-1]
        previous = next((f for f in figures if f.year == latest.year - 1), None)
        m = latest.measure
        facts.append(
            headlines.IndicatorFacts(
                code=m.code,
                name=m.short_name or m.name,
                unit=m.unit,
                precision=m.decimal_places,
                higher_is_better=m.higher_is_better,
                year=latest.year,
                value=latest.value,
                national=latest.national,
                gap=latest.gap,
                previous_gap=previous.gap if previous else None,
                rank=latest.rank,
                previous_rank=previous.rank if previous else None,
                rank_n=latest.rank_n,
                rag=latest.rag,
                suppression=latest.suppression,
            )
        )
    return facts


def headlines_page(*, info: SnapshotInfo) -> HeadlinesPage | None:
    if not info.ready:
        return None
    facts = headline_facts(info=info)
    strengths, challenges, left_out = headlines.headlines(facts)
    year = max((f.year for f in facts), default=None)
    text = headlines.copy_text(
        la_name=info.la.name,
        year_label=year_label(year),
        strengths=strengths,
        challenges=challenges,
    )
    page_of = {}
    return HeadlinesPage(info, year, strengths, challenges, left_out, text, page_of)


# --- Key stage pages ---------------------------------------------------------------------


@dataclass
class MeasureSection:
    measure: Measure
    year: int | None
    unit_label: str
    trend_rows: list[dict]
    trend_chart: dict | None
    gap_rows: list[dict]
    gap_chart: dict | None
    ranked_chart: dict | None
    ranked_summary: str
    ranked_rows: list[dict]
    latest: dict | None


@dataclass
class KeyStagePage:
    info: SnapshotInfo
    slug: str
    title: str
    sections: list[MeasureSection]
    neighbour_names: list[str]
    year: int | None
    suppressed: int

    @property
    def charts(self) -> list[dict]:
        out = []
        for s in self.sections:
            out += [c for c in (s.trend_chart, s.gap_chart, s.ranked_chart) if c]
        return out


def key_stage_page(*, info: SnapshotInfo, slug: str) -> KeyStagePage | None:
    """Trends, group gaps and the ranked distribution for every measure of the key stages
    (4 queries whatever the number of LAs, years or groups)."""
    if slug not in KEY_STAGE_PAGES or not info.ready:
        return None
    title, key_stages = KEY_STAGE_PAGES[slug]
    measures = list(Measure.objects.filter(key_stage__in=key_stages, is_active=True))
    ids = [m.pk for m in measures]
    cols = [
        "measure_id",
        "year",
        "group",
        "value",
        "suppression",
        "national",
        "gap",
        "neighbours_average",
        "rank",
        "rank_n",
        "rank_joint",
        "quartile",
        "rag",
        "rag_reason",
    ]
    own: dict[int, list[dict]] = defaultdict(list)
    for row in (
        IndicatorFigure.objects.filter(run_id=info.run.pk, la_id=info.la.pk, measure_id__in=ids)
        .order_by("year")
        .values(*cols)
    ):
        own[row["measure_id"]].append(row)
    latest_year = {
        mid: max(r["year"] for r in rows if r["group"] == PupilGroup.ALL)
        for mid, rows in own.items()
        if any(r["group"] == PupilGroup.ALL for r in rows)
    }
    everyone: dict[int, list[tuple]] = defaultdict(list)
    if latest_year:
        for mid, year, name, value, rank in (
            IndicatorFigure.objects.filter(
                run_id=info.run.pk,
                measure_id__in=list(latest_year),
                year__in=set(latest_year.values()),
                group=PupilGroup.ALL,
                value__isnull=False,
            )
            .order_by("rank", "la__name")
            .values_list("measure_id", "year", "la__name", "value", "rank")
        ):
            if latest_year.get(mid) == year:
                everyone[mid].append((name, value, rank))
    neighbour_names = list(
        StatisticalNeighbour.objects.filter(la_id=info.la.pk)
        .order_by("position", "neighbour__name")
        .values_list("neighbour__name", flat=True)
    )
    sections = []
    suppressed = 0
    for m in measures:
        rows = own.get(m.pk)
        if not rows:
            continue
        section = _measure_section(m, rows, everyone.get(m.pk, []), info, latest_year.get(m.pk))
        suppressed += sum(1 for r in rows if r["suppression"])
        sections.append(section)
    return KeyStagePage(
        info=info,
        slug=slug,
        title=title,
        sections=sections,
        neighbour_names=neighbour_names,
        year=max(latest_year.values(), default=None),
        suppressed=suppressed,
    )


def _measure_section(m: Measure, rows, everyone, info: SnapshotInfo, year) -> MeasureSection:
    p = m.decimal_places
    unit_label = UNIT_LABELS.get(m.unit, "")
    la_name = info.la.name
    allp = [r for r in rows if r["group"] == PupilGroup.ALL]
    years = [r["year"] for r in allp]
    trend_rows = [
        {
            "year": r["year"],
            "provisional": r["year"] in info.provisional_years,
            "value": _value_text(r["value"], p, r["suppression"]),
            "national": _value_text(r["national"], national_decimals(m)),
            "neighbours": _value_text(r["neighbours_average"], p),
            "gap": fmt.format_gap(r["gap"], p),
            "rank": fmt.rank_text(r["rank"], r["rank_n"], joint=r["rank_joint"]),
        }
        for r in allp
    ]
    trend_chart = None
    if allp:
        trend_chart = charts.trend_chart(
            f"trend-{m.code}",
            years=years,
            series=[
                (la_name, [r["value"] for r in allp]),
                ("England", [r["national"] for r in allp]),
                ("Statistical neighbours", [r["neighbours_average"] for r in allp]),
            ],
            unit_label=unit_label,
        )
    # Group gaps in the latest year: the LA's and England's, by the boards' comparisons.
    gap_rows, gap_chart = [], None
    if year is not None:
        latest = [r for r in rows if r["year"] == year]
        values = {r["group"]: r["value"] for r in latest}
        national = {r["group"]: r["national"] for r in latest}
        la_gaps = group_calc.group_gaps(values, national)
        nat_gaps = group_calc.group_gaps(national, national)
        for mine, nat in zip(la_gaps, nat_gaps, strict=True):
            if mine.value is None and mine.comparator is None:
                continue
            gap_rows.append(
                {
                    "name": mine.comparison.name,
                    "value": _value_text(mine.value, p),
                    "comparator": _value_text(mine.comparator, p),
                    "gap": fmt.format_gap(mine.gap, p),
                    "national_gap": fmt.format_gap(nat.gap, p),
                    "la_gap_raw": mine.gap,
                    "national_gap_raw": nat.gap,
                }
            )
        if any(r["la_gap_raw"] is not None for r in gap_rows):
            gap_chart = charts.gap_chart(
                f"gaps-{m.code}",
                labels=[r["name"] for r in gap_rows],
                la_name=la_name,
                la=[r["la_gap_raw"] for r in gap_rows],
                national=[r["national_gap_raw"] for r in gap_rows],
            )
    latest_all = next((r for r in allp if r["year"] == year), None)
    ranked_chart, ranked_summary, ranked_rows = None, "", []
    if everyone:
        names = [n for n, _, _ in everyone]
        ranked_chart = charts.ranked_chart(
            f"ranked-{m.code}",
            names=names,
            values=[v for _, v, _ in everyone],
            highlight=la_name,
            national=latest_all["national"] if latest_all else None,
            unit_label=unit_label,
        )
        ranked_rows = [
            {
                "rank": rank,
                "name": n,
                "value": _value_text(v, p),
                "mine": n == la_name,
            }
            for n, v, rank in everyone
        ]
        values_sorted = sorted(v for _, v, _ in everyone)
        where = (
            fmt.rank_text(latest_all["rank"], latest_all["rank_n"], joint=latest_all["rank_joint"])
            if latest_all
            else "no rank"
        )
        ranked_summary = (
            f"{la_name} is {where} local authorities in {year} "
            f"({_value_text(latest_all['value'] if latest_all else None, p, latest_all['suppression'] if latest_all else '')}). "
            f"Local authorities range from {_value_text(values_sorted[0], p)} to "
            f"{_value_text(values_sorted[-1], p)}"
            + (
                f"; England is {_value_text(latest_all['national'], national_decimals(m))}."
                if latest_all and latest_all["national"] is not None
                else "."
            )
            + (" Lower is better." if not m.higher_is_better else "")
        )
    return MeasureSection(
        measure=m,
        year=year,
        unit_label=unit_label,
        trend_rows=trend_rows,
        trend_chart=trend_chart,
        gap_rows=gap_rows,
        gap_chart=gap_chart,
        ranked_chart=ranked_chart,
        ranked_summary=ranked_summary,
        ranked_rows=ranked_rows,
        latest=(
            {
                "rag": latest_all["rag"],
                "rag_reason": latest_all["rag_reason"],
                "quartile": latest_all["quartile"],
                "value": _value_text(latest_all["value"], p, latest_all["suppression"]),
            }
            if latest_all
            else None
        ),
    )


# --- Schools grid ------------------------------------------------------------------------


@dataclass
class GridCell:
    code: str
    text: str
    rag: str
    reason: str
    value: float | None
    year: int | None = None
    cohort: int | None = None
    ci_text: str = ""
    disadvantaged_gap: float | None = None
    disadvantaged_gap_text: str = ""
    significance: str = ""

    @property
    def extra_lines(self) -> list[str]:
        """The cell's small print: cohort, confidence interval, disadvantaged gap."""
        lines = []
        if self.cohort is not None:
            lines.append(f"cohort {self.cohort}")
        if self.ci_text:
            lines.append(f"CI {self.ci_text}")
        if self.disadvantaged_gap_text:
            lines.append(f"disadv. gap {self.disadvantaged_gap_text}")
        return lines


@dataclass
class GridRow:
    school: School
    ofsted_grade: int | None
    ofsted_text: str
    rag: str
    rag_reason: str
    suggestion: str
    suggestion_text: str
    suggestion_reasons: list[str]
    decision: str
    decision_text: str
    cells: list[GridCell]
    in_snapshot: bool

    @property
    def trust_name(self) -> str:
        return self.school.trust.name if self.school.trust_id else "None (not in a trust)"


@dataclass
class Grid:
    info: SnapshotInfo
    columns: list[Measure]
    rows: list[GridRow]
    total: int
    year: int | None
    sort: str
    suppressed: int
    years: list[int] = field(default_factory=list)  # the years the year selector offers
    chosen_year: int | None = None  # None: each school's latest year (the snapshot's)


SORT_KEYS = ("name", "phase", "trust", "ofsted", "rag", "suggestion", "decision")


def sort_options(columns: list[Measure]) -> list[str]:
    return [*SORT_KEYS, *(m.code for m in columns)]


def grid_schools(*, user, trust: Trust | None = None) -> QuerySet[School]:
    """The schools a grid may show the user: the partnership's open schools for
    whole-partnership users; one trust's schools for that trust's users (and for
    whole-partnership users on a trust page). Anyone else: none."""
    qs = School.objects.select_related("trust").exclude(status=School.Status.CLOSED)
    if trust is not None:
        if sees_whole_partnership(user) or (is_trust_user(user) and user.trust_id == trust.pk):
            return qs.filter(trust_id=trust.pk)
        return qs.none()
    if sees_whole_partnership(user):
        return qs.filter(la__in_partnership=True)
    return qs.none()


GAP_GROUPS = (PupilGroup.ALL, PupilGroup.DISADVANTAGED)


def _ci_text(lower, upper, precision: int) -> str:
    if lower is None or upper is None:
        return ""
    return f"{_value_text(lower, precision)} to {_value_text(upper, precision)}"


def _disadvantaged_gap(values: dict, national: dict) -> float | None:
    """The school's disadvantaged pupils against other pupils nationally (groups.py's
    comparison), from the stored unrounded values; None when either side is missing."""
    for g in group_calc.group_gaps(values, national):
        if g.comparison.group == group_calc.DISADVANTAGED:
            return g.gap
    return None


def _published_school_figures(*, school_ids, measure_ids, year: int) -> tuple[dict, dict]:
    """A past year's published figures for the year selector (2 queries): the schools'
    value, suppression, cohort and confidence interval by (school, measure, group), and the
    national value by (measure, group). Nothing is worked out: no RAG for a past year."""
    own = {
        (school, measure, group): rest
        for school, measure, group, *rest in Result.objects.filter(
            area_type=AreaType.SCHOOL,
            school_id__in=school_ids,
            academic_year=year,
            pupil_group__in=GAP_GROUPS,
            measure_id__in=measure_ids,
        ).values_list(
            "school_id",
            "measure_id",
            "pupil_group",
            "value",
            "suppression",
            "cohort",
            "ci_lower",
            "ci_upper",
        )
    }
    national = {
        (measure, group): value
        for measure, group, value in Result.objects.filter(
            area_type=AreaType.NATIONAL,
            academic_year=year,
            pupil_group__in=GAP_GROUPS,
            measure_id__in=measure_ids,
        )
        .order_by("measure_id", "pupil_group", "status", "pk")
        .values_list("measure_id", "pupil_group", "value")
    }
    return own, national


def grid_years() -> list[int]:
    """The years of published school results for the headline measures, newest first, for
    the grid's year selector (1 query)."""
    return list(
        Result.objects.filter(
            area_type=AreaType.SCHOOL,
            school__la__in_partnership=True,
            measure__is_headline=True,
            measure__is_active=True,
        )
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def grid(
    *,
    user,
    info: SnapshotInfo,
    trust: Trust | None = None,
    filters: dict | None = None,
    sort: str = "name",
) -> Grid | None:
    """Every school the user may see with its key indicators as RAG cells (with cohort,
    confidence interval and the disadvantaged gap), Ofsted, trust, 3Ms suggestion and
    decision; searched by name or URN, filtered and sorted (6 queries whatever the number,
    2 more for a past year). ``filters["year"]`` picks a past year: the snapshot's figures
    where they are of that year, else that year's published figures (without RAG)."""
    if info.run is None:
        return None
    filters = filters or {}
    schools = grid_schools(user=user, trust=trust)
    if filters.get("phase"):
        schools = schools.filter(phase=filters["phase"])
    if filters.get("trust"):
        schools = schools.filter(trust_id=filters["trust"])
    if filters.get("urns"):
        schools = schools.filter(urn__in=filters["urns"])
    if filters.get("q"):
        text = filters["q"].strip()
        match = Q(name__icontains=text)
        if text.isdigit():
            match |= Q(urn=int(text))
        schools = schools.filter(match)
    schools = list(schools.order_by("name", "urn"))
    ids = [s.pk for s in schools]
    summaries = {
        s.school_id: s for s in SchoolSummary.objects.filter(run_id=info.run.pk, school_id__in=ids)
    }
    measures = {m.pk: m for m in Measure.objects.filter(is_headline=True, is_active=True)}
    snap: dict[tuple, tuple] = {}
    years: set[int] = set()
    for school_id, measure_id, group, *rest in SchoolFigure.objects.filter(
        run_id=info.run.pk,
        school_id__in=ids,
        group__in=GAP_GROUPS,
        measure_id__in=list(measures),
    ).values_list(
        "school_id",
        "measure_id",
        "group",
        "year",
        "value",
        "suppression",
        "rag",
        "rag_reason",
        "cohort",
        "ci_lower",
        "ci_upper",
        "national",
        "significance",
        "history",
    ):
        snap[(school_id, measure_id, group)] = rest
        if group == PupilGroup.ALL:
            years.add(rest[0])
            years.update(int(y) for y in (rest[-1] or {}))
    chosen = filters.get("year")
    published, published_national = ({}, {})
    if chosen is not None:
        published, published_national = _published_school_figures(
            school_ids=ids, measure_ids=list(measures), year=chosen
        )
    # England's non-disadvantaged pupils by measure and year: the disadvantaged gap's
    # comparator (1 query).
    other_pupils_nationally = {
        (measure, year): value
        for measure, year, value in Result.objects.filter(
            area_type=AreaType.NATIONAL,
            pupil_group=PupilGroup.NON_DISADVANTAGED,
            measure_id__in=list(measures),
        )
        .order_by("measure_id", "academic_year", "status", "pk")
        .values_list("measure_id", "academic_year", "value")
    }
    decisions = latest_categorisations(school_ids=ids)

    def figure(school_id: int, measure_id: int, group: str) -> dict | None:
        """One figure as the cell shows it: the snapshot's (latest year, or the chosen
        year when it is the snapshot's), else the chosen year's published one."""
        row = snap.get((school_id, measure_id, group))
        if row is not None and (chosen is None or row[0] == chosen):
            year, value, suppression, colour, reason, cohort, lo, hi, national, sig, _ = row
            return {
                "year": year,
                "value": value,
                "suppression": suppression,
                "rag": colour or "none",
                "reason": reason,
                "cohort": cohort,
                "lo": lo,
                "hi": hi,
                "national": national,
                "significance": sig,
            }
        row = published.get((school_id, measure_id, group))
        if chosen is None or row is None:
            return None
        value, suppression, cohort, lo, hi = row
        return {
            "year": chosen,
            "value": value,
            "suppression": suppression,
            "rag": "none",
            "reason": "RAG ratings are worked out for the latest year only.",
            "cohort": cohort,
            "lo": lo,
            "hi": hi,
            "national": published_national.get((measure_id, group)),
            "significance": "",
        }

    present = {
        measure_id
        for school_id in ids
        for measure_id in measures
        if figure(school_id, measure_id, PupilGroup.ALL) is not None
    }
    columns = sorted(
        (m for m in measures.values() if m.pk in present),
        key=lambda m: (m.sort_order, m.code),
    )
    rows = []
    suppressed = 0
    cell_years = set()
    for school in schools:
        summary = summaries.get(school.pk)
        decision = decisions.get(school.pk)
        cells = []
        for m in columns:
            f = figure(school.pk, m.pk, PupilGroup.ALL)
            if f is None:
                cells.append(GridCell(m.code, "no figure", "none", "", None))
                continue
            cell_years.add(f["year"])
            suppressed += bool(f["suppression"])
            p = m.decimal_places
            dis = figure(school.pk, m.pk, PupilGroup.DISADVANTAGED)
            gap = None
            if dis is not None and dis["year"] == f["year"] and not dis["suppression"]:
                gap = _disadvantaged_gap(
                    {group_calc.DISADVANTAGED: dis["value"]},
                    {group_calc.NON_DISADVANTAGED: other_pupils_nationally.get((m.pk, f["year"]))},
                )
            cells.append(
                GridCell(
                    m.code,
                    _value_text(f["value"], p, f["suppression"]),
                    f["rag"],
                    f["reason"],
                    f["value"],
                    year=f["year"],
                    cohort=f["cohort"],
                    ci_text="" if f["suppression"] else _ci_text(f["lo"], f["hi"], p),
                    disadvantaged_gap=gap,
                    disadvantaged_gap_text=fmt.format_gap(gap, p) if gap is not None else "",
                    significance=f["significance"],
                )
            )
        grade = summary.ofsted_grade if summary else None
        rows.append(
            GridRow(
                school=school,
                ofsted_grade=grade,
                ofsted_text=OFSTED_WORDS.get(grade, "No overall grade")
                + (f" ({summary.ofsted_date:%b %Y})" if summary and summary.ofsted_date else ""),
                rag=summary.rag if summary else "none",
                rag_reason=summary.rag_reason if summary else "Not in the snapshot.",
                suggestion=summary.concern if summary else "",
                suggestion_text=CONCERN_WORDS.get(summary.concern, "No suggestion")
                if summary
                else "No suggestion",
                suggestion_reasons=list(summary.concern_reasons) if summary else [],
                decision=decision.category if decision else "",
                decision_text=(
                    f"{decision.get_category_display()} ({decision.decided_on:%d %b %Y})"
                    if decision
                    else "No decision"
                ),
                cells=cells,
                in_snapshot=summary is not None,
            )
        )
    total = len(rows)
    rows = [r for r in rows if _keep(r, filters)]
    if sort.lstrip("-") not in sort_options(columns):
        sort = "name"
    rows = _sorted(rows, sort, columns)
    return Grid(
        info=info,
        columns=columns,
        rows=rows,
        total=total,
        year=chosen or max(cell_years, default=None),
        sort=sort,
        suppressed=suppressed,
        years=sorted(years, reverse=True),
        chosen_year=chosen,
    )


# --- Compare chosen schools side by side -------------------------------------------------

COMPARE_MAX = 5


@dataclass
class CompareMeasure:
    measure: Measure
    cells: list[GridCell]  # one per school, in the order chosen
    national_text: str
    chart: dict | None
    entries: list[tuple[GridRow, GridCell]] = field(default_factory=list)


@dataclass
class Comparison:
    grid: Grid
    rows: list[GridRow]  # the schools, in the order chosen
    measures: list[CompareMeasure]
    not_found: list[int]

    @property
    def charts(self) -> list[dict]:
        return [m.chart for m in self.measures if m.chart]


def compare(*, user, info: SnapshotInfo, urns: list[int], year: int | None = None):
    """Up to COMPARE_MAX schools the user may see, side by side: every headline measure
    with each school's figure, cohort, confidence interval, disadvantaged gap and RAG (the
    grid's figures, so the same snapshot), and a chart per measure (5 + 1 queries)."""
    urns = list(dict.fromkeys(urns))[:COMPARE_MAX]
    g = grid(user=user, info=info, filters={"urns": urns, "year": year})
    if g is None:
        return None
    by_urn = {r.school.urn: r for r in g.rows}
    rows = [by_urn[u] for u in urns if u in by_urn]
    national = {}
    if g.columns:
        national = dict(
            SchoolFigure.objects.filter(
                run_id=info.run.pk,
                group=PupilGroup.ALL,
                measure_id__in=[m.pk for m in g.columns],
                school_id__in=[r.school.pk for r in rows],
            )
            .order_by("measure_id", "year")  # the latest year's national wins
            .values_list("measure_id", "national")
        )
    measures = []
    for i, m in enumerate(g.columns):
        cells = [r.cells[i] for r in rows]
        nat = national.get(m.pk)
        chart = None
        if any(c.value is not None for c in cells):
            chart = charts.compare_chart(
                f"compare-{m.code}",
                names=[r.school.name for r in rows],
                values=[c.value for c in cells],
                national=nat if g.chosen_year is None else None,
                unit_label=UNIT_LABELS.get(m.unit, ""),
            )
        measures.append(
            CompareMeasure(
                measure=m,
                cells=cells,
                entries=list(zip(rows, cells, strict=True)),
                national_text=_value_text(nat, national_decimals(m))
                if g.chosen_year is None
                else "",
                chart=chart,
            )
        )
    return Comparison(
        grid=g, rows=rows, measures=measures, not_found=[u for u in urns if u not in by_urn]
    )


def _keep(row: GridRow, filters: dict) -> bool:
    category = filters.get("category")
    if category and (row.decision or "none") != category:
        return False
    suggestion = filters.get("suggestion")
    if suggestion and (row.suggestion or "none") != suggestion:
        return False
    rag = filters.get("rag")
    return not (rag and row.rag != rag)


def _sorted(rows: list[GridRow], sort: str, columns: list[Measure]) -> list[GridRow]:
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    phase_order = {p: i for i, p in enumerate(Phase.values)}
    if key == "name":
        fn = lambda r: (r.school.name.lower(), r.school.urn)  # noqa: E731
    elif key == "phase":
        fn = lambda r: (phase_order.get(r.school.phase, 99), r.school.name.lower())  # noqa: E731
    elif key == "trust":
        fn = lambda r: (  # noqa: E731
            r.school.trust is None,
            r.school.trust.name.lower() if r.school.trust else "",
            r.school.name.lower(),
        )
    elif key == "ofsted":
        fn = lambda r: (r.ofsted_grade or 9, r.school.name.lower())  # noqa: E731
    elif key == "rag":
        fn = lambda r: (RAG_SORT.get(r.rag, 3), r.school.name.lower())  # noqa: E731
    elif key == "suggestion":
        fn = lambda r: (CONCERN_SORT.get(r.suggestion, 3), r.school.name.lower())  # noqa: E731
    elif key == "decision":
        fn = lambda r: (CONCERN_SORT.get(r.decision, 3), r.school.name.lower())  # noqa: E731
    else:
        index = [m.code for m in columns].index(key)
        measure = columns[index]
        # Best first (respecting polarity); schools without a figure always last.
        sign = -1.0 if measure.higher_is_better else 1.0
        with_value = [r for r in rows if r.cells[index].value is not None]
        without = [r for r in rows if r.cells[index].value is None]
        with_value.sort(
            key=lambda r: (sign * r.cells[index].value, r.school.name.lower()), reverse=reverse
        )
        return with_value + sorted(without, key=lambda r: r.school.name.lower())
    return sorted(rows, key=fn, reverse=reverse)


def grid_table(g: Grid) -> tuple[list[str], list[list]]:
    """The grid as shown, as a header and rows of cells, for the CSV and XLSX exports."""
    header = ["URN", "School", "Phase", "Trust", "Ofsted", "Overall RAG"]
    for m in g.columns:
        header += [m.short_name or m.name, f"{m.short_name or m.name} RAG"]
    header += ["3Ms suggestion", "3Ms decision"]
    rows = []
    for r in g.rows:
        line = [
            r.school.urn,
            r.school.name,
            r.school.get_phase_display(),
            r.trust_name,
            r.ofsted_text,
            RAG_WORDS.get(r.rag, "No rating"),
        ]
        for c in r.cells:
            line += [_number_or_text(c.text), RAG_WORDS.get(c.rag, "No rating")]
        line += [r.suggestion_text, r.decision_text]
        rows.append(line)
    return header, rows


def _number_or_text(text: str):
    """The figure exactly as shown: a number stays a number in the spreadsheet."""
    try:
        return float(text)
    except ValueError:
        return text


def trust_aggregates(g: Grid) -> dict:
    """Trust-level figures from the rows shown: counts by RAG and 3Ms, good or better."""
    graded = [r for r in g.rows if r.ofsted_grade]
    good = [r for r in graded if r.ofsted_grade <= 2]
    pupils = sum(r.school.pupils_on_roll or 0 for r in graded)
    good_pupils = sum(r.school.pupils_on_roll or 0 for r in good)
    return {
        "schools": len(g.rows),
        "graded": len(graded),
        "good_or_better": len(good),
        "pupils_pct": round(100 * good_pupils / pupils, 1) if pupils else None,
        "by_rag": [
            {"key": k, "label": RAG_WORDS[k], "count": sum(r.rag == k for r in g.rows)}
            for k in ("red", "amber", "green", "none")
        ],
        "by_concern": [
            {
                "key": k,
                "label": label,
                "suggested": sum(r.suggestion == k for r in g.rows),
                "decided": sum(r.decision == k for r in g.rows),
            }
            for k, label in Concern.choices[::-1]
        ],
    }


# --- School on a page --------------------------------------------------------------------


@dataclass
class SchoolOutcomeRow:
    measure: Measure
    year: int
    value_text: str
    la_text: str
    national_text: str
    gap_text: str
    gap_la_text: str
    history: list[tuple[str, str]]
    history_text: str
    sparkline: str
    trend: dict
    significance: str
    rag: str
    rag_reason: str
    suppressed: bool
    cohort: int | None = None
    ci_text: str = ""


@dataclass
class SchoolPage:
    info: SnapshotInfo
    school: School
    summary: SchoolSummary | None
    sections: list[tuple[str, list[SchoolOutcomeRow]]]
    attendance: list[SchoolOutcomeRow]
    decision: object
    year: int | None
    ofsted_text: str
    suppressed: int
    suggestion_text: str = "No suggestion"

    @property
    def attendance_sections(self) -> list[tuple[str, list[SchoolOutcomeRow]]]:
        return [("Attendance", self.attendance)]


def school_for_page(*, urn: int) -> School | None:
    return School.objects.select_related("la", "trust").filter(urn=urn).first()


def school_page(*, info: SnapshotInfo, school: School) -> SchoolPage:
    """One school's snapshot figures (all pupils), its summary and 3Ms decision (3 queries)."""
    summary = None
    figures: list[SchoolFigure] = []
    if info.run is not None:
        summary = SchoolSummary.objects.filter(run_id=info.run.pk, school_id=school.pk).first()
        figures = list(
            SchoolFigure.objects.filter(
                run_id=info.run.pk, school_id=school.pk, group=PupilGroup.ALL
            )
            .select_related("measure")
            .order_by("measure__sort_order", "measure__code")
        )
    decision = latest_categorisation(school=school)
    by_section: dict[str, list[SchoolOutcomeRow]] = defaultdict(list)
    attendance = []
    for f in figures:
        m = f.measure
        p = m.decimal_places
        years = sorted(f.history or {}, key=int)
        history = [(y, _value_text(f.history[y], p)) for y in years]
        row = SchoolOutcomeRow(
            measure=m,
            year=f.year,
            value_text=_value_text(f.value, p, f.suppression),
            la_text=_value_text(f.la_value, p),
            national_text=_value_text(f.national, national_decimals(m)),
            gap_text=fmt.format_gap(f.gap, p),
            gap_la_text=fmt.format_gap(f.gap_la, p),
            history=history,
            history_text=", ".join(f"{y}: {v}" for y, v in history),
            sparkline=charts.sparkline_svg_points([f.history[y] for y in years]),
            trend=_trend(f.trend_direction),
            significance=f.significance,
            rag=f.rag or "none",
            rag_reason=f.rag_reason,
            suppressed=bool(f.suppression),
            cohort=f.cohort,
            ci_text="" if f.suppression else _ci_text(f.ci_lower, f.ci_upper, p),
        )
        if m.key_stage == KeyStage.ATTENDANCE:
            attendance.append(row)
        else:
            by_section[KEY_STAGE_TITLES.get(m.key_stage, m.key_stage)].append(row)
    grade = summary.ofsted_grade if summary else None
    ofsted_text = OFSTED_WORDS.get(grade, "No overall grade")
    if summary and summary.ofsted_date:
        ofsted_text += f", inspected {summary.ofsted_date:%d %B %Y}"
    elif summary and not grade:
        ofsted_text = "No overall grade (not inspected, or inspected without a single grade)"
    return SchoolPage(
        info=info,
        school=school,
        summary=summary,
        sections=list(by_section.items()),
        attendance=attendance,
        decision=decision,
        year=max((f.year for f in figures), default=None),
        ofsted_text=ofsted_text,
        suppressed=sum(bool(f.suppression) for f in figures),
        suggestion_text=CONCERN_WORDS.get(summary.concern, "No suggestion")
        if summary
        else "No suggestion",
    )


KEY_STAGE_TITLES = dict(KeyStage.choices)


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
    result: similar.Similar
    rows: list[SimilarRow]  # the school first, then the nearest
    measures: list[Measure]
    pool_size: int
    prior_measure: Measure | None
    phase_label: str

    @property
    def uses_prior(self) -> bool:
        return any(s.name == "prior" for s in self.result.used)


def _fmt(value, places: int = 1) -> str:
    return "not recorded" if value is None else f"{float(value):.{places}f}"


def similar_schools(*, info: SnapshotInfo, school: School) -> SimilarSchools:
    """The nearest open schools of the same phase in the partnership by disadvantage (FSM %),
    prior attainment and size (partnership/calculations/similar_schools.py), with their
    headline figures from the snapshot (4 queries)."""
    pool = list(
        School.objects.filter(Q(la__in_partnership=True) | Q(la_id=school.la_id))
        .filter(phase=school.phase, status__in=OPEN)
        .exclude(pk=school.pk)
        .order_by("name")
    )
    code = PRIOR_ATTAINMENT.get(school.phase)
    prior_measure = Measure.objects.filter(code=code).first() if code else None
    prior: dict[int, float] = {}
    if prior_measure is not None:
        # Each school's latest published figure (later years overwrite earlier ones).
        for school_id, value in (
            Result.objects.filter(
                measure_id=prior_measure.pk,
                area_type=AreaType.SCHOOL,
                pupil_group=PupilGroup.ALL,
                school_id__in=[school.pk, *(s.pk for s in pool)],
                value__isnull=False,
            )
            .order_by("academic_year")
            .values_list("school_id", "value")
        ):
            prior[school_id] = value

    def candidate(s: School) -> similar.Candidate:
        return similar.Candidate(
            key=s.pk,
            name=s.name,
            fsm=float(s.percent_fsm) if s.percent_fsm is not None else None,
            prior=prior.get(s.pk),
            size=float(s.pupils_on_roll) if s.pupils_on_roll is not None else None,
        )

    result = similar.similar_schools(candidate(school), [candidate(s) for s in pool])
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
            figures[(f.school_id, f.measure_id)] = _value_text(
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
        prior_measure=prior_measure,
        phase_label=school.get_phase_display().lower(),
    )


def trust_for_page(*, pk: int) -> Trust | None:
    return Trust.objects.filter(pk=pk).first()


OPEN = [School.Status.OPEN, School.Status.PROPOSED_TO_CLOSE, School.Status.PROPOSED_TO_OPEN]


def partnership_trust_choices() -> list[tuple[int, str]]:
    """Trusts with an open school in the partnership, for the grid's trust filter."""
    return list(
        Trust.objects.filter(schools__la__in_partnership=True, schools__status__in=OPEN)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
