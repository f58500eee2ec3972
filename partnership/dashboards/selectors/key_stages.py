"""The key stage pages: trends, group gaps and the ranked distribution per measure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from outcomes.calculations import formatting as fmt
from outcomes.calculations import groups as group_calc
from outcomes.calculations import rag as rag_calc
from outcomes.figures import national_decimals, rank_text, value_text
from outcomes.models import IndicatorFigure, Measure, PupilGroup
from schools.models import StatisticalNeighbour

from .. import charts
from .common import KEY_STAGE_PAGES, UNIT_LABELS, SnapshotInfo

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
        "rag_code",
        "rag_tolerance",
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
            "value": value_text(r["value"], p, r["suppression"]),
            "national": value_text(r["national"], national_decimals(m)),
            "neighbours": value_text(r["neighbours_average"], p),
            "gap": fmt.format_gap(r["gap"], p),
            "rank": rank_text(r["rank"], r["rank_n"], joint=r["rank_joint"]),
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
                    "value": value_text(mine.value, p),
                    "comparator": value_text(mine.comparator, p),
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
                "value": value_text(v, p),
                "mine": n == la_name,
            }
            for n, v, rank in everyone
        ]
        values_sorted = sorted(v for _, v, _ in everyone)
        ranked = latest_all is not None and latest_all["rank"] is not None
        where = (
            rank_text(latest_all["rank"], latest_all["rank_n"], joint=latest_all["rank_joint"])
            if latest_all
            else "no rank"
        )
        ranked_summary = (
            (f"{la_name} is {where} local authorities" if ranked else f"{la_name}: {where},")
            + f" in {year} "
            f"({value_text(latest_all['value'] if latest_all else None, p, latest_all['suppression'] if latest_all else '')}). "
            f"Local authorities range from {value_text(values_sorted[0], p)} to "
            f"{value_text(values_sorted[-1], p)}"
            + (
                f"; England is {value_text(latest_all['national'], national_decimals(m))}."
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
                "rag_reason": rag_calc.figure_reason(
                    words=latest_all["rag_reason"],
                    code=latest_all["rag_code"],
                    value=latest_all["value"],
                    national=latest_all["national"],
                    tolerance=latest_all["rag_tolerance"],
                    higher_is_better=m.higher_is_better,
                    precision=p,
                ),
                "quartile": latest_all["quartile"],
                "value": value_text(latest_all["value"], p, latest_all["suppression"]),
            }
            if latest_all
            else None
        ),
    )
