"""Compare chosen schools side by side: the grid's figures, a chart per measure."""

from __future__ import annotations

from dataclasses import dataclass, field

from outcomes.figures import national_decimals, value_text
from outcomes.models import Measure, PupilGroup, SchoolFigure

from .. import charts
from .common import UNIT_LABELS, SnapshotInfo
from .grid import Grid, GridCell, GridRow, grid

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
                national_text=value_text(nat, national_decimals(m))
                if g.chosen_year is None
                else "",
                chart=chart,
            )
        )
    return Comparison(
        grid=g, rows=rows, measures=measures, not_found=[u for u in urns if u not in by_urn]
    )
