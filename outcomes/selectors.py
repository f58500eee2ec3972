"""Reads for the outcomes pages: a fixed handful of queries, then the pure calculations.

The LA outcomes page and a school's outcomes are computed here from ``Result`` rows with
``outcomes.calculations``; the nightly run will later store the same figures as snapshots,
and these selectors can read those instead without the views changing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Exists, OuterRef, Q

from schools.models import LocalAuthority, School, StatisticalNeighbour
from schools.selectors import partnership_schools

from . import layouts
from .calculations import formatting as fmt
from .calculations import gaps, groups, quartiles, ranking, significance, trends
from .models import AreaType, KeyStage, Measure, PeriodResult, PupilGroup, Result, Unit

# ---------------------------------------------------------------------------------------
# Layout: the sections of the LA outcomes page, in the order the source papers use.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    key_stages: tuple[str, ...]
    units: tuple[str, ...] | None = None  # None: every unit
    significance: bool = False  # show significance words (measures with a CI)


SECTIONS: tuple[Section, ...] = (
    Section(
        "Early years, phonics and key stage 1", (KeyStage.EYFSP, KeyStage.PHONICS, KeyStage.KS1)
    ),
    Section("Key stage 2: attainment", (KeyStage.KS2,), units=(Unit.PERCENT,)),
    Section("Key stage 2: progress", (KeyStage.KS2,), units=(Unit.PROGRESS,), significance=True),
    Section("Key stage 4", (KeyStage.KS4,), significance=True),
    Section("Attendance", (KeyStage.ATTENDANCE,)),
    Section("Ofsted", (KeyStage.OFSTED,)),
    Section("16 to 19", (KeyStage.POST16,)),
)

# National figures printed at the precision DfE publishes them where that differs from the
# measure's: KS2 national percentages are published as whole numbers (2016: writing 74,
# from an unrounded 74.3 - the gap is still taken from 74.3), and national progress is 0 by
# construction. Anything not listed uses the measure's own decimal places.
NATIONAL_DECIMALS: dict[tuple[str, str], int] = {
    (KeyStage.KS2, Unit.PERCENT): 0,
    (KeyStage.KS2, Unit.PROGRESS): 0,
}


def national_decimals(measure: Measure) -> int:
    return NATIONAL_DECIMALS.get((measure.key_stage, measure.unit), measure.decimal_places)


# ---------------------------------------------------------------------------------------
# LA outcomes
# ---------------------------------------------------------------------------------------


@dataclass
class LaOutcomeRow:
    measure: Measure
    value: float | None
    value_text: str
    national: float | None
    national_text: str
    gap: float | None
    gap_text: str
    rank: int | None
    n: int | None
    rank_text: str
    quartile: str | None
    quartile_text: str
    neighbours_text: str
    neighbours_gap_text: str
    previous_value_text: str
    previous_gap_text: str
    significance: str | None = None
    ci_text: str = ""
    comparison_name: str = ""
    comparison_gap_text: str = ""
    source_text: str = ""  # where the LA's figure came from (layout and file)


@dataclass
class LaOutcomeSection:
    title: str
    rows: list[LaOutcomeRow]
    significance: bool


@dataclass
class LaOutcomes:
    la: LocalAuthority
    year: int
    previous_year: int
    group: str
    group_label: str
    sections: list[LaOutcomeSection]
    comparison_name: str = ""  # e.g. "Disadvantaged vs other pupils nationally"
    neighbour_names: list[str] = field(default_factory=list)


def partnership_la() -> LocalAuthority | None:
    return LocalAuthority.objects.filter(in_partnership=True).order_by("code").first()


def la_outcome_las() -> list[LocalAuthority]:
    """LAs that have any LA-level result, for the LA selector.

    The test sits in the SELECT list so PostgreSQL probes the la_id index once per LA
    (~150 probes) instead of semi-joining all ~94,000 LA-level results (130 ms at England
    scale)."""
    has_results = Exists(Result.objects.filter(area_type=AreaType.LA, la=OuterRef("pk")))
    las = LocalAuthority.objects.annotate(has_results=has_results).order_by("name")
    return [la for la in las if la.has_results]


def la_outcome_years(*, la: LocalAuthority) -> list[int]:
    """Years with a result for the LA, latest first."""
    return sorted(
        set(
            Result.objects.filter(area_type=AreaType.LA, la=la)
            .order_by()
            .values_list("academic_year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def la_outcome_groups(*, la: LocalAuthority, year: int) -> list[tuple[str, str]]:
    """Pupil groups with a result for the LA in the year, in the catalogue's order."""
    present = set(
        Result.objects.filter(area_type=AreaType.LA, la=la, academic_year=year)
        .order_by()
        .values_list("pupil_group", flat=True)
        .distinct()
    )
    present.add(PupilGroup.ALL)
    return [(value, label) for value, label in PupilGroup.choices if value in present]


def _comparison_for(group: str) -> groups.GroupComparison | None:
    return next((c for c in groups.COMPARISONS if c.group == group), None)


_RESULT_FIELDS = (
    "measure_id",
    "area_type",
    "la_id",
    "academic_year",
    "pupil_group",
    "value",
    "suppression",
    "ci_lower",
    "ci_upper",
    "source",
)


def la_outcomes(*, user, la: LocalAuthority, year: int, group: str = PupilGroup.ALL) -> LaOutcomes:
    """Every catalogue measure for one LA, year and pupil group, laid out by section.

    Four queries whatever the data size: measures, results (every LA and national, this
    year and last, the group and its comparator group), neighbours' links.
    """
    measures = list(Measure.objects.filter(is_active=True).order_by("sort_order", "code"))
    by_id = {m.pk: m for m in measures}
    comparison = _comparison_for(group)
    wanted_groups = {group} | ({comparison.comparator_group} if comparison else set())
    records = list(
        Result.objects.filter(
            measure__is_active=True,
            academic_year__in=(year - 1, year),
            pupil_group__in=wanted_groups,
            area_type__in=(AreaType.LA, AreaType.NATIONAL),
        )
        .order_by()
        .values_list(*_RESULT_FIELDS)
    )
    neighbour_links = list(
        StatisticalNeighbour.objects.filter(la=la)
        .order_by("position")
        .values_list("neighbour_id", "neighbour__name")
    )
    neighbour_ids = [pk for pk, _ in neighbour_links]

    frame = pd.DataFrame.from_records(records, columns=list(_RESULT_FIELDS))
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    # National and comparator figures by (measure, year, group).
    national: dict[tuple[int, int, str], float | None] = {}
    own: dict[tuple[int, int, str], dict] = {}
    for rec in frame[frame.area_type == AreaType.NATIONAL].itertuples(index=False):
        national[(rec.measure_id, rec.academic_year, rec.pupil_group)] = _nan_to_none(rec.value)

    las = frame[(frame.area_type == AreaType.LA) & (frame.pupil_group == group)].copy()
    las["higher_is_better"] = las["measure_id"].map(lambda pk: by_id[pk].higher_is_better)
    las["has_quartile"] = las["measure_id"].map(lambda pk: by_id[pk].has_quartile)
    keys = ("measure_id", "academic_year")
    if not las.empty:
        las = ranking.add_ranks(las, keys=keys)
        las = quartiles.add_quartile_bands(las, keys=keys)
    # Ranks and quartiles need every LA; only this LA's rows become dicts (England: 1 in 152).
    for rec in las[las.la_id == la.pk].to_dict("records"):
        own[(rec["measure_id"], rec["academic_year"], group)] = rec
    neighbour_values: dict[tuple[int, int], list[float | None]] = defaultdict(list)
    for rec in las[las.la_id.isin(neighbour_ids)].itertuples(index=False):
        neighbour_values[(rec.measure_id, rec.academic_year)].append(_nan_to_none(rec.value))
    own_comparator: dict[tuple[int, int], float | None] = {}
    if comparison and not comparison.comparator_national:
        mine = frame[
            (frame.area_type == AreaType.LA)
            & (frame.la_id == la.pk)
            & (frame.pupil_group == comparison.comparator_group)
        ]
        for rec in mine.itertuples(index=False):
            own_comparator[(rec.measure_id, rec.academic_year)] = _nan_to_none(rec.value)

    sections = []
    for section in SECTIONS:
        rows = []
        for measure in measures:
            if measure.key_stage not in section.key_stages:
                continue
            if section.units is not None and measure.unit not in section.units:
                continue
            if group not in (measure.groups or [PupilGroup.ALL]) and group != PupilGroup.ALL:
                continue
            rec = own.get((measure.pk, year, group))
            nat = national.get((measure.pk, year, group))
            if rec is None and nat is None:
                continue  # nothing published for this measure this year
            rows.append(
                _la_row(
                    measure,
                    rec=rec,
                    national=nat,
                    previous=own.get((measure.pk, year - 1, group)),
                    previous_national=national.get((measure.pk, year - 1, group)),
                    neighbours=neighbour_values.get((measure.pk, year), []),
                    comparison=comparison,
                    comparator=(
                        national.get((measure.pk, year, comparison.comparator_group))
                        if comparison and comparison.comparator_national
                        else own_comparator.get((measure.pk, year))
                    )
                    if comparison
                    else None,
                )
            )
        if rows:
            sections.append(LaOutcomeSection(section.title, rows, section.significance))
    return LaOutcomes(
        la=la,
        year=year,
        previous_year=year - 1,
        group=group,
        group_label=PupilGroup(group).label if group in PupilGroup.values else group,
        sections=sections,
        comparison_name=comparison.name if comparison else "",
        neighbour_names=[name for _, name in neighbour_links],
    )


def _nan_to_none(value) -> float | None:
    return None if value is None or value != value else float(value)


def _la_row(
    measure: Measure,
    *,
    rec: dict | None,
    national: float | None,
    previous: dict | None,
    previous_national: float | None,
    neighbours: list[float | None],
    comparison: groups.GroupComparison | None,
    comparator: float | None,
) -> LaOutcomeRow:
    dp = measure.decimal_places
    value = _nan_to_none(rec["value"]) if rec else None
    state = (rec["suppression"] or None) if rec else None
    gap = gaps.gap(value, national)
    rank = int(rec["rank"]) if rec and not pd.isna(rec.get("rank")) else None
    n = int(rec["n"]) if rec and not pd.isna(rec.get("n")) else None
    quartile = rec.get("quartile") if rec else None
    quartile = quartile if isinstance(quartile, str) else None
    prev_value = _nan_to_none(previous["value"]) if previous else None
    prev_state = (previous["suppression"] or None) if previous else None
    neighbour_avg = gaps.neighbour_average(neighbours)
    row = LaOutcomeRow(
        measure=measure,
        value=value,
        value_text=fmt.format_number(value, dp, state=state),
        national=national,
        national_text=fmt.format_number(national, national_decimals(measure)),
        gap=gap,
        gap_text=fmt.format_gap(gap, dp),
        rank=rank,
        n=n,
        rank_text=fmt.rank_text(rank, n, joint=bool(rec and rec.get("joint"))),
        quartile=quartile,
        quartile_text=quartile or ("no quartile" if not measure.has_quartile else "none"),
        neighbours_text=fmt.format_number(neighbour_avg, dp),
        neighbours_gap_text=fmt.format_gap(gaps.gap(value, neighbour_avg), dp),
        previous_value_text=fmt.format_number(prev_value, dp, state=prev_state),
        previous_gap_text=fmt.format_gap(gaps.gap(prev_value, previous_national), dp),
    )
    if measure.has_confidence_interval and rec:
        words = significance.significance(
            rec.get("ci_lower"), rec.get("ci_upper"), national=national or 0.0
        )
        row.significance = words
        if words:
            row.ci_text = (
                f"{fmt.format_number(rec['ci_lower'], dp)} to "
                f"{fmt.format_number(rec['ci_upper'], dp)}"
            )
    if comparison:
        row.comparison_name = comparison.name
        row.comparison_gap_text = fmt.format_gap(gaps.gap(value, comparator), dp)
    if rec:
        row.source_text = source_text(rec.get("source") or "")
    return row


@dataclass
class PeriodRow:
    measure: Measure
    period: str
    value_text: str
    national_text: str
    source_text: str


@dataclass
class LaPeriods:
    years: list[int]  # years with a part-year figure for the LA, latest first
    rows: list  # PeriodResult rows of the LA and England, every year (few: in-year data)

    def for_year(self, year: int) -> list[PeriodRow]:
        """The LA's figures for the year, each beside England's for the same period."""
        national = {
            (r.measure_id, r.period): r
            for r in self.rows
            if r.area_key == "national" and r.academic_year == year
        }
        out = []
        for r in self.rows:
            if r.area_key == "national" or r.academic_year != year:
                continue
            dp = r.measure.decimal_places
            nat = national.get((r.measure_id, r.period))
            out.append(
                PeriodRow(
                    measure=r.measure,
                    period=r.period,
                    value_text=fmt.format_number(r.value, dp, state=r.suppression or None),
                    national_text=(
                        fmt.format_number(nat.value, dp, state=nat.suppression or None)
                        if nat
                        else "not available"
                    ),
                    source_text=source_text(r.source),
                )
            )
        return out


def la_periods(*, la: LocalAuthority) -> LaPeriods:
    """The LA's part-year figures (EES year to date, terms, weeks) with England's, in one
    query: shown labelled, never ranked or compared with a year."""
    rows = list(
        PeriodResult.objects.filter(
            area_key__in=[f"la:{la.pk}", "national"], pupil_group=PupilGroup.ALL
        )
        .select_related("measure")
        .order_by("measure__sort_order", "measure__code", "period")
    )
    years = sorted({r.academic_year for r in rows if r.area_key != "national"}, reverse=True)
    return LaPeriods(years=years, rows=rows)


def source_text(source: str) -> str:
    """'lait: bds_long.parquet' -> 'LAIT (bds_long.parquet)': a result's source for a page."""
    kind, _, name = source.partition(": ")
    label = layouts.SOURCE_LABELS.get(kind)
    if label is None:
        return source
    return f"{label} ({name})" if name else label


# ---------------------------------------------------------------------------------------
# A school's outcomes (embedded on the school page)
# ---------------------------------------------------------------------------------------

SCHOOL_YEARS = 3
# Percentages OF PUPILS, where a gap converts to a number of pupils (absence is a % of
# sessions, Ofsted a % of schools: no pupil figure for those).
PUPIL_PERCENT_KEY_STAGES = (
    KeyStage.EYFSP,
    KeyStage.PHONICS,
    KeyStage.KS1,
    KeyStage.KS2,
    KeyStage.KS4,
    KeyStage.POST16,
)


@dataclass
class SchoolOutcomeRow:
    measure: Measure
    years: list[int]
    values_text: list[str]  # the school's value for each year, oldest first
    value_text: str
    la_text: str
    national_text: str
    gap_text: str
    gap_pupils_text: str
    trend: str | None
    significance: str | None
    band: str | None


@dataclass
class SchoolOutcomes:
    school: School
    year: int | None
    years: list[int]
    rows: list[SchoolOutcomeRow]


def can_view_school_outcomes(user, school: School) -> bool:
    """The named permission for a school's results (outcomes/rules.py)."""
    return user.has_perm("outcomes.view_school_outcomes", school)


def school_outcomes(*, school: School, user, year: int | None = None) -> SchoolOutcomes | None:
    """The school's own value, its LA's, national and three years, for each measure.

    None when the user may not see the school's results. Three queries: the school's
    results, the LA and national results for the same measures and years, the measures.
    """
    if not can_view_school_outcomes(user, school):
        return None
    own = list(
        Result.objects.filter(
            school=school, area_type=AreaType.SCHOOL, pupil_group=PupilGroup.ALL
        ).values_list(
            "measure_id",
            "academic_year",
            "value",
            "suppression",
            "cohort",
            "ci_lower",
            "ci_upper",
            "published_band",
        )
    )
    if not own:
        return SchoolOutcomes(school=school, year=year, years=[], rows=[])
    latest = year or max(r[1] for r in own)
    years = list(range(latest - SCHOOL_YEARS + 1, latest + 1))
    measure_ids = {r[0] for r in own if r[1] in years}
    measures = list(Measure.objects.filter(pk__in=measure_ids).order_by("sort_order", "code"))
    comparators = Result.objects.filter(
        Q(area_type=AreaType.LA, la_id=school.la_id) | Q(area_type=AreaType.NATIONAL),
        measure_id__in=measure_ids,
        academic_year=latest,
        pupil_group=PupilGroup.ALL,
    ).values_list("measure_id", "area_type", "value", "suppression")
    la_values: dict[int, tuple] = {}
    national_values: dict[int, tuple] = {}
    for measure_id, area_type, value, state in comparators:
        target = la_values if area_type == AreaType.LA else national_values
        target[measure_id] = (value, state or None)
    by_key = {(r[0], r[1]): r for r in own}
    rows = []
    for measure in measures:
        dp = measure.decimal_places
        history = [by_key.get((measure.pk, y)) for y in years]
        current = history[-1]
        value = current[2] if current else None
        state = (current[3] or None) if current else None
        national, national_state = national_values.get(measure.pk, (None, None))
        la_value, la_state = la_values.get(measure.pk, (None, None))
        gap = gaps.gap(value, national)
        in_pupils = measure.unit == Unit.PERCENT and measure.key_stage in PUPIL_PERCENT_KEY_STAGES
        pupils = gaps.gap_in_pupils(gap, current[4]) if current and in_pupils else None
        words = band = None
        if measure.has_confidence_interval and current:
            words = significance.significance(current[5], current[6], national=national or 0.0)
            band = significance.progress_band(
                value, current[5], current[6], published=current[7] or None
            )
        trend = trends.three_year_trend(
            {y: (h[2] if h else None) for y, h in zip(years, history, strict=True)},
            latest,
            higher_is_better=measure.higher_is_better,
        )
        rows.append(
            SchoolOutcomeRow(
                measure=measure,
                years=years,
                values_text=[
                    fmt.format_number(h[2] if h else None, dp, state=(h[3] or None) if h else None)
                    for h in history
                ],
                value_text=fmt.format_number(value, dp, state=state),
                la_text=fmt.format_number(la_value, dp, state=la_state),
                national_text=fmt.format_number(
                    national, national_decimals(measure), state=national_state
                ),
                gap_text=fmt.format_gap(gap, dp),
                gap_pupils_text=(
                    f"{fmt.pupils_text(pupils)} {'below' if pupils < 0 else 'above'}"
                    if pupils
                    else ""
                ),
                trend=trend.direction,
                significance=words,
                band=band,
            )
        )
    return SchoolOutcomes(school=school, year=latest, years=years, rows=rows)


# --- The portal's own import template ------------------------------------------------------


def template_example_rows() -> list[list]:
    """The downloadable template's example rows, in layouts.TEMPLATE_COLUMNS order, on real
    areas of this register so the template uploaded unchanged is accepted: the partnership's
    LA and one of its open schools (a school with a confidence interval where there is one).
    Where that area already has the example's result, the row carries the stored figures
    (value or suppression marker, cohort, CI, status), so the round trip changes nothing;
    otherwise the layout's example figures (2 + one query per example)."""
    from . import layouts

    la = partnership_la()
    schools = partnership_schools()
    with_ci = [r[0] for r in layouts.TEMPLATE_EXAMPLE_ROWS if r[1] == "school" and r[7]]
    school = (
        schools.filter(results__measure__code__in=with_ci, results__ci_lower__isnull=False)
        .order_by("urn")
        .first()
        or schools.order_by("urn").first()
    )
    rows = []
    for example in layouts.TEMPLATE_EXAMPLE_ROWS:
        code, area_type, area_code, year, group, *figures = example
        lookup = {"measure__code": code, "area_type": area_type, "pupil_group": group}
        if area_type == AreaType.LA and la is not None:
            area_code = la.code
            lookup["la_id"] = la.pk
        elif area_type == AreaType.SCHOOL and school is not None:
            area_code = school.urn
            lookup["school_id"] = school.pk
        elif area_type != AreaType.NATIONAL:
            rows.append(list(example))
            continue
        stored = Result.objects.filter(**lookup).order_by("-academic_year").first()
        if stored is None:
            rows.append([code, area_type, area_code, year, group, *figures])
            continue
        value = stored.value if stored.value is not None else stored.suppression.upper()
        rows.append(
            [
                code,
                area_type,
                area_code,
                stored.academic_year,
                group,
                value,
                stored.cohort,
                stored.ci_lower,
                stored.ci_upper,
                stored.status,
            ]
        )
    return rows
