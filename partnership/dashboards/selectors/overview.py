"""The city overview: the block the nightly run wrote for the partnership's LA."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from outcomes.calculations import formatting as fmt
from outcomes.figures import national_decimals, rank_text, value_text
from outcomes.models import DashboardFigure, Measure
from partnership.categorisation.models import Concern
from partnership.categorisation.selectors import latest_categorisations

from .. import charts
from .common import PAGE_OF_KEY_STAGE, RAG_WORDS, SnapshotInfo, trend_words

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
        spark_text = ", ".join(f"{y}: {value_text(v, m.decimal_places)}" for y, v, _ in series)
        rows.append(
            OverviewRow(
                measure=m,
                year=h["year"],
                value_text=value_text(h["value"], m.decimal_places, h.get("suppression", "")),
                national_text=value_text(h["national"], national_decimals(m)),
                gap_text=fmt.format_gap(h["gap"], m.decimal_places),
                rank_text=rank_text(h["rank"], h["rank_n"], joint=bool(h["rank_joint"])),
                quartile=h.get("quartile") or "",
                trend=trend_words(h.get("trend_direction")),
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
