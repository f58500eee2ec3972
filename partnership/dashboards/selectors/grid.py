"""The schools grid: every school the user may see with its headline figures as RAG cells,
and its CSV / XLSX table and trust aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Q

from outcomes.calculations import formatting as fmt
from outcomes.calculations import groups as group_calc
from outcomes.calculations import rag as rag_calc
from outcomes.figures import ci_text, value_text
from outcomes.models import (
    AreaType,
    Measure,
    PupilGroup,
    Result,
)
from outcomes.snapshot.dashboard_blocks import SCHOOL_YEARS
from partnership.categorisation.models import Concern
from pep_portal.accounts.roles import is_trust_user, sees_whole_partnership
from schools.models import Phase, School, Trust
from schools.selectors import OPEN_STATUSES

from . import grid_reads
from .common import CONCERN_SORT, CONCERN_WORDS, OFSTED_WORDS, RAG_SORT, RAG_WORDS, SnapshotInfo

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
    # Its <td> as the grid shows it (render.py), made once: a cell made from a stored
    # figure is remembered (_snapshot_cell) and shown by many requests.
    html: str = field(default="", compare=False, repr=False)

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
    chosen_year: int | None = None  # None: each school's latest year (the snapshot's)


SORT_KEYS = ("name", "phase", "trust", "ofsted", "rag", "suggestion", "decision")


def sort_options(columns: list[Measure]) -> list[str]:
    return [*SORT_KEYS, *(m.code for m in columns)]


def grid_schools(*, user, run_id: int, trust: Trust | None = None) -> list[grid_reads.GridSchool]:
    """The schools a grid may show the user, by name and URN, each with its trust, its
    summary in the run and its latest 3Ms decision: the partnership's open schools for
    whole-partnership users (as ``schools.selectors.partnership_schools``: open, in the
    partnership's LA); one trust's open schools for that trust's users (and for
    whole-partnership users on a trust page). Anyone else: none (1 query, none for no one)."""
    statuses = [str(s) for s in OPEN_STATUSES]
    if trust is not None:
        if sees_whole_partnership(user) or (is_trust_user(user) and user.trust_id == trust.pk):
            return grid_reads.grid_schools(run_id=run_id, statuses=statuses, trust_id=trust.pk)
        return []
    if sees_whole_partnership(user):
        return grid_reads.grid_schools(run_id=run_id, statuses=statuses, trust_id=None)
    return []


def _searched(found: list[grid_reads.GridSchool], text: str) -> list[grid_reads.GridSchool]:
    """The schools whose name contains ``text`` (the database's case-insensitive match, as
    everywhere in the portal) or, for digits, whose URN it is (1 query)."""
    match = Q(name__icontains=text)
    if text.isdigit():
        match |= Q(urn=int(text))
    ids = [f.school.pk for f in found]
    matching = set(School.objects.filter(match, pk__in=ids).values_list("pk", flat=True))
    return [f for f in found if f.school.pk in matching]


# The groups the grid reads (its figures by the index schoolfig_grid_cells, made for them).
GAP_GROUPS = (PupilGroup.ALL, PupilGroup.DISADVANTAGED)


# groups.py's comparison of disadvantaged pupils (with other pupils nationally) alone: a cell
# shows no other.
_DISADVANTAGED_COMPARISON = tuple(
    c for c in group_calc.COMPARISONS if c.group == group_calc.DISADVANTAGED
)


def _disadvantaged_gap(values: dict, national: dict) -> float | None:
    """The school's disadvantaged pupils against other pupils nationally (groups.py's
    comparison), from the stored unrounded values; None when either side is missing."""
    for g in group_calc.group_gaps(values, national, _DISADVANTAGED_COMPARISON):
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


def headline_measures() -> list[Measure]:
    """The grid's measures: active headline measures (1 query)."""
    return grid_reads.active_headline_measures()


def grid_years(*, measures: list[Measure] | None = None) -> list[int]:
    """The years of published school results for the headline measures, newest first, for
    the grid's year selector (1 query; 2 without ``measures``, the headline measures).

    The measures are named in the query (their ids), so that PostgreSQL answers it from the
    unique index of school results (measure, school, year, group) alone, one probe per
    partnership school: ~11,000 index entries at England scale, ~10 ms. Joined to the
    measures instead, it read each school's ~400 results from the table, ~20,000 pages
    spread through it: 0.1 s with them in memory, 1.2 s and more from disk. Both forms need
    the results table's planner statistics: without them PostgreSQL walks the headline
    measures' 4.4 million index entries (~1-2 s)."""
    if measures is None:
        measures = headline_measures()
    return list(
        Result.objects.filter(
            area_type=AreaType.SCHOOL,
            measure_id__in=[m.pk for m in measures],
            school__in=School.objects.filter(la__in_partnership=True),
        )
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def snapshot_grid_years(*, info: SnapshotInfo, measures: list[Measure]) -> list[int]:
    """:func:`grid_years` as of the published run: from the run's ``school_years`` block,
    the years of the partnership's schools' results by measure (1 query, one small row);
    read live (:func:`grid_years`) for a run published before runs wrote the block."""
    if info.run is None:
        return grid_years(measures=measures)
    block = grid_reads.run_block(run_id=info.run.pk, key=SCHOOL_YEARS)
    if block is None:
        return grid_years(measures=measures)
    by_measure = block["by_measure"]
    return sorted({year for m in measures for year in by_measure.get(str(m.pk), ())}, reverse=True)


def grid(
    *,
    user,
    info: SnapshotInfo,
    trust: Trust | None = None,
    filters: dict | None = None,
    sort: str = "name",
    headline: list[Measure] | None = None,
) -> Grid | None:
    """Every school the user may see with its key indicators as RAG cells (with cohort,
    confidence interval and the disadvantaged gap), Ofsted, trust, 3Ms suggestion and
    decision; searched by name or URN, filtered and sorted (4 queries whatever the number,
    3 given ``headline``, the headline measures; 2 more for a past year, 1 more for a
    search). ``filters["year"]`` picks a past year: the snapshot's figures where they are of
    that year, else that year's published figures (without RAG). The schools are read once
    for the user (:func:`grid_schools`) and filtered here by phase, trust and URN; a search
    asks the database (its case-insensitive match)."""
    if info.run is None:
        return None
    filters = filters or {}
    found = grid_schools(user=user, run_id=info.run.pk, trust=trust)
    if filters.get("phase"):
        found = [f for f in found if f.school.phase == filters["phase"]]
    if filters.get("trust"):
        found = [f for f in found if f.school.trust_id == filters["trust"]]
    if filters.get("urns"):
        urns = set(filters["urns"])
        found = [f for f in found if f.school.urn in urns]
    if filters.get("q") and found:
        found = _searched(found, filters["q"].strip())
    ids = [f.school.pk for f in found]
    measures = {m.pk: m for m in (headline_measures() if headline is None else headline)}
    chosen = filters.get("year")
    built = school_cells(run_id=info.run.pk, school_ids=ids, measures=measures, chosen=chosen)

    # The measures with a figure for at least one school shown.
    present = {measure_id for school_id in ids for measure_id in built[school_id]}
    columns = sorted(
        (m for m in measures.values() if m.pk in present),
        key=lambda m: (m.sort_order, m.code),
    )
    # Each column's measure id and its cell where a school has no figure, found once.
    column_keys = [(m.pk, _missing_cell(m.code)) for m in columns]
    rows = []
    suppressed = 0
    cell_years: set = set()  # the cells' years (a figure always has one)
    for school, summary, decision in found:
        by_measure = built[school.pk]
        cells = []
        for measure_id, missing in column_keys:
            known = by_measure.get(measure_id)
            if known is None:
                cells.append(missing)
                continue
            cell, is_suppressed = known
            cell_years.add(cell.year)
            suppressed += is_suppressed
            cells.append(cell)
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
                decision=decision[0] if decision else "",
                decision_text=(
                    f"{CONCERN_WORDS.get(decision[0], decision[0])} ({decision[1]:%d %b %Y})"
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
        chosen_year=chosen,
    )


def school_cells(
    *, run_id: int, school_ids: list[int], measures: dict[int, Measure], chosen: int | None = None
) -> dict[int, dict[int, tuple[GridCell, bool]]]:
    """Each school's cells by measure, each with whether its figure is suppressed (every
    school named gets an entry): 2 queries, 2 more for a past year. A cell for each measure
    the school has a figure for (all pupils): the snapshot's (latest year, or the chosen
    year when it is the snapshot's), else the chosen year's published one."""
    # By (school, measure, group): the row's year onwards.
    snap: dict[tuple, tuple] = {
        row[:3]: row[3:]
        for row in grid_reads.school_figure_rows(
            run_id=run_id, school_ids=school_ids, measure_ids=list(measures), groups=GAP_GROUPS
        )
    }
    published, published_national = ({}, {})
    if chosen is not None:
        published, published_national = _published_school_figures(
            school_ids=school_ids, measure_ids=list(measures), year=chosen
        )
    # England's non-disadvantaged pupils by measure and year: the disadvantaged gap's
    # comparator (1 query).
    other_pupils_nationally = grid_reads.other_pupils_nationally(measure_ids=list(measures))

    def published_figure(school_id: int, measure_id: int, group: str) -> dict | None:
        """The chosen year's published figure, where the snapshot has none of that year."""
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
            "significance": "",
        }

    def disadvantaged(school_id: int, measure_id: int) -> tuple | None:
        """The disadvantaged pupils' (year, value, suppression), found as the figure is."""
        row = snap.get((school_id, measure_id, PupilGroup.DISADVANTAGED))
        if row is not None and (chosen is None or row[0] == chosen):
            return row[:3]
        f = published_figure(school_id, measure_id, PupilGroup.DISADVANTAGED)
        return None if f is None else (f["year"], f["value"], f["suppression"])

    # Each measure's id, code, places and polarity, read once (not per school).
    shown = [(m.pk, m.code, m.decimal_places, m.higher_is_better) for m in measures.values()]
    all_pupils = PupilGroup.ALL
    out = {}
    for school_id in school_ids:
        cells: dict[int, tuple[GridCell, bool]] = {}
        for measure_id, code, places, higher_is_better in shown:
            row = snap.get((school_id, measure_id, all_pupils))
            if row is not None and (chosen is None or row[0] == chosen):
                # The snapshot's figure: the same stored row always makes the same cell.
                cells[measure_id] = _snapshot_cell(
                    code,
                    places,
                    higher_is_better,
                    row,
                    disadvantaged(school_id, measure_id),
                    other_pupils_nationally.get((measure_id, row[0])),
                )
                continue
            f = published_figure(school_id, measure_id, all_pupils)
            if f is not None:
                cells[measure_id] = _cell(
                    code,
                    places,
                    f,
                    disadvantaged(school_id, measure_id),
                    other_pupils_nationally.get((measure_id, chosen)),
                )
        out[school_id] = cells
    return out


# Cells made from a stored figure, remembered by everything they are made of (a pure
# function: the measure's code, places and polarity, the stored row, the disadvantaged
# pupils' year, value and suppression, England's other pupils' value): a grid's 663 cells,
# ~40% of its CPU, are made once per process for as long as their figures do not change
# (across requests, viewers, sort orders and runs). Each entry is ~1 kB with its HTML.
CELL_MEMO = 20_000


@lru_cache(maxsize=CELL_MEMO)
def _snapshot_cell(
    code: str,
    places: int,
    higher_is_better: bool,
    row: tuple,
    dis: tuple | None,
    other_national: float | None,
) -> tuple[GridCell, bool]:
    year, value, suppression, colour, words, cohort, lo, hi, national, sig, rag_code, tol = row
    f = {
        "year": year,
        "value": value,
        "suppression": suppression,
        "rag": colour or "none",
        "reason": rag_calc.figure_reason(
            words=words,
            code=rag_code,
            value=value,
            national=national,
            tolerance=tol,
            higher_is_better=higher_is_better,
            precision=places,
        ),
        "cohort": cohort,
        "lo": lo,
        "hi": hi,
        "significance": sig,
    }
    return _cell(code, places, f, dis, other_national)


@lru_cache(maxsize=1_000)
def _missing_cell(code: str) -> GridCell:
    """A measure's cell where a school has no figure: one per measure, shown by every row
    and request (its HTML made once)."""
    return GridCell(code, "no figure", "none", "", None)


def _cell(
    code: str, places: int, f: dict, dis: tuple | None, other_national: float | None
) -> tuple[GridCell, bool]:
    """A figure's cell, with the disadvantaged gap where the disadvantaged pupils' figure
    (year, value, suppression) is of the same year and not suppressed; and whether the
    figure is suppressed."""
    gap = None
    if dis is not None and dis[0] == f["year"] and not dis[2]:
        gap = _disadvantaged_gap(
            {group_calc.DISADVANTAGED: dis[1]},
            {group_calc.NON_DISADVANTAGED: other_national},
        )
    cell = GridCell(
        code,
        value_text(f["value"], places, f["suppression"]),
        f["rag"],
        f["reason"],
        f["value"],
        year=f["year"],
        cohort=f["cohort"],
        ci_text="" if f["suppression"] else ci_text(f["lo"], f["hi"], places),
        disadvantaged_gap=gap,
        disadvantaged_gap_text=fmt.format_gap(gap, places) if gap is not None else "",
        significance=f["significance"],
    )
    return cell, bool(f["suppression"])


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
