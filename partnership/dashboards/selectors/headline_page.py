"""The headlines page: plain sentences from the snapshot's indicator figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from outcomes.models import IndicatorFigure, PupilGroup

from .. import headlines
from .common import SnapshotInfo, year_label

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
    """Each active measure's latest year for the LA (all pupils), with last year's value,
    gap (as the run stored them beside the latest year) and rank beside it (1 query)."""
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
                previous_value=latest.previous_value,
                previous_gap=latest.previous_gap,
                rank=latest.rank,
                previous_rank=previous.rank if previous else None,
                rank_n=latest.rank_n,
                previous_rank_n=previous.rank_n if previous else None,
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
