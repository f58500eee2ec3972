"""Reads for the outcomes pages: a fixed handful of queries.

The LA outcomes page and a school's outcomes read the comparative figures (gap, rank of N,
quartile, significance, progress band, trend) from the published nightly snapshot through
``outcomes.figures``, as the dashboards and the API do: nothing is recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from schools.models import LocalAuthority, School, StatisticalNeighbour
from schools.selectors import partnership_schools

from . import figures, layouts
from .calculations import formatting as fmt
from .calculations import groups
from .figures import national_decimals
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
    rank_minimum: int = figures.MIN_LAS  # fewest LAs with a figure for a rank (rank_pool.py)


def partnership_las() -> QuerySet[LocalAuthority]:
    """The LAs in the partnership, the partnership's own (:func:`partnership_la`) first."""
    return LocalAuthority.objects.filter(in_partnership=True).order_by("code")


def partnership_la() -> LocalAuthority | None:
    """The partnership's own LA: the first of :func:`partnership_las` (one query). Every
    dashboard page reads it: its SQL is written once, what the ORM wrote for
    ``partnership_las().first()`` (issue 20: less CPU than building and compiling that
    queryset on every request), run as a raw queryset (Django's converters and instance)."""
    columns = ", ".join(f'"{f.column}"' for f in LocalAuthority._meta.concrete_fields)
    las = LocalAuthority.objects.raw(
        f'SELECT {columns} FROM "schools_localauthority" WHERE "in_partnership"'
        ' ORDER BY "code" ASC LIMIT 1'
    )
    return next(iter(las), None)


def la_outcomes_scope(user) -> tuple:
    """What of the LA outcomes the user may see, the scope every cached read of the page is
    keyed by (outcomes/la_outcomes_cache.py). LA-level results are published statistics:
    every signed-in user with ``outcomes.view_la_outcomes`` sees every LA's."""
    return ("all",) if user.has_perm("outcomes.view_la_outcomes") else ("none",)


def la_outcome_las() -> list[LocalAuthority]:
    """LAs that have any LA-level result, for the LA selector."""
    return la_outcome_choices()[0]


def la_outcome_choices() -> tuple[list[LocalAuthority], LocalAuthority | None]:
    """The LA selector's LAs (those with any LA-level result, by name) and the partnership's
    LA (:func:`partnership_la`), from one query over every LA.

    One year of each LA's results, in the SELECT list: only LA-level results name an LA
    (the ``result_area_matches_area_type`` constraint), so PostgreSQL answers each LA with
    one index-only probe of ``result_la_year`` (~150 probes, ~1 ms at England scale). An
    EXISTS there was planned as a hashed subplan reading all ~94,000 LA-level results
    (16-32 ms on every request); a semi-join took 130 ms."""
    first = Result.objects.filter(la=OuterRef("pk")).order_by().values("academic_year")[:1]
    every = list(LocalAuthority.objects.annotate(a_result_year=Subquery(first)).order_by("name"))
    partnership = min(
        (la for la in every if la.in_partnership), key=lambda la: la.code, default=None
    )
    return [la for la in every if la.a_result_year is not None], partnership


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


def la_outcomes(*, user, la: LocalAuthority, year: int, group: str = PupilGroup.ALL) -> LaOutcomes:
    """Every catalogue measure for one LA, year and pupil group, laid out by section, as the
    published snapshot holds them (``outcomes.figures``: nothing is recomputed here).

    Three queries whatever the data size: the LA's stored figures (this year and last, the
    group and its comparator group), the year's published LA and national rows with their
    measures, the neighbours' names.
    """
    comparison = _comparison_for(group)
    wanted_groups = {group} | ({comparison.comparator_group} if comparison else set())
    stored = figures.la_figures(la_id=la.pk, years=(year - 1, year), groups=wanted_groups)
    own = figures.figures_by_key(stored)
    by_year = figures.by_measure_and_year(stored)
    # The year's published LA and national rows: the LA figure's source, national where the
    # LA has no figure, and the measures the page has a row for.
    published: dict[tuple[str, int], Result] = {}
    for result in Result.objects.filter(
        Q(area_type=AreaType.LA, la_id=la.pk) | Q(area_type=AreaType.NATIONAL),
        measure__is_active=True,
        academic_year=year,
        pupil_group=group,
    ).select_related("measure"):
        published[(result.area_type, result.measure_id)] = result
    measures = sorted(
        {r.measure_id: r.measure for r in published.values()}.values(),
        key=lambda m: (m.sort_order, m.code),
    )
    neighbour_names = list(
        StatisticalNeighbour.objects.filter(la=la)
        .order_by("position")
        .values_list("neighbour__name", flat=True)
    )
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
            national_row = published.get((AreaType.NATIONAL, measure.pk))
            national = national_row.value if national_row else None
            la_row = published.get((AreaType.LA, measure.pk))
            if rec is None and national is None:
                continue  # nothing published for this measure this year
            gaps_now = figures.group_gaps(by_year.get((measure.pk, year), []))
            rows.append(
                _la_row(
                    measure,
                    rec=rec,
                    national=rec["national"] if rec else national,
                    previous=own.get((measure.pk, year - 1, group)),
                    comparison=next((g for g in gaps_now if g.comparison == comparison), None),
                    source=la_row.source if la_row else "",
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
        neighbour_names=neighbour_names,
    )


def _la_row(
    measure: Measure,
    *,
    rec: dict | None,
    national: float | None,
    previous: dict | None,
    comparison: groups.GroupGap | None,
    source: str,
) -> LaOutcomeRow:
    dp = measure.decimal_places
    rec = rec or {}
    previous = previous or {}
    quartile = rec.get("quartile") or None
    row = LaOutcomeRow(
        measure=measure,
        value=rec.get("value"),
        value_text=figures.value_text(rec.get("value"), dp, rec.get("suppression", "")),
        national=national,
        national_text=fmt.format_number(national, national_decimals(measure)),
        gap=rec.get("gap"),
        gap_text=fmt.format_gap(rec.get("gap"), dp),
        rank=rec.get("rank"),
        n=rec.get("rank_n"),
        rank_text=figures.rank_text(
            rec.get("rank"), rec.get("rank_n"), joint=bool(rec.get("rank_joint"))
        ),
        quartile=quartile,
        quartile_text=quartile or ("no quartile" if not measure.has_quartile else "none"),
        neighbours_text=fmt.format_number(rec.get("neighbours_average"), dp),
        neighbours_gap_text=fmt.format_gap(rec.get("gap_neighbours"), dp),
        previous_value_text=figures.value_text(
            previous.get("value"), dp, previous.get("suppression", "")
        ),
        previous_gap_text=fmt.format_gap(previous.get("gap"), dp),
        significance=rec.get("significance") or None,
        source_text=source_text(source or ""),
    )
    if row.significance:
        row.ci_text = figures.ci_text(rec.get("ci_lower"), rec.get("ci_upper"), dp)
    if comparison is not None:
        row.comparison_name = comparison.comparison.name
        row.comparison_gap_text = fmt.format_gap(comparison.gap, dp)
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
# sessions, Ofsted a % of schools: no pupil figure for those). The nightly run's school part
# reads it from here.
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


def school_outcomes(*, school: School, user) -> SchoolOutcomes | None:
    """The school's own value over three years, its LA's and national, the gap, trend and
    progress band with significance, for each measure, as the published snapshot holds them
    (``outcomes.figures``, the same rows as the dashboards' school page and the API).

    None when the user may not see the school's results. One or two queries.
    """
    if not can_view_school_outcomes(user, school):
        return None
    stored = figures.school_figures(school_id=school.pk)
    if not stored:
        return SchoolOutcomes(school=school, year=None, years=[], rows=[])
    latest = max(f.year for f in stored)
    years = list(range(latest - SCHOOL_YEARS + 1, latest + 1))
    rows = [
        SchoolOutcomeRow(
            measure=f.measure,
            years=years,
            values_text=[f.history_text(y) for y in years],
            value_text=f.value_text,
            la_text=f.la_text,
            national_text=f.national_text,
            gap_text=f.gap_text,
            gap_pupils_text=f.gap_pupils_text,
            trend=f.trend_direction or None,
            significance=f.significance or None,
            band=f.progress_band or None,
        )
        for f in stored
        if f.year in years
    ]
    return SchoolOutcomes(school=school, year=latest, years=years, rows=rows)


# --- The portal's own import template ------------------------------------------------------


def template_example_rows() -> list[list]:
    """The downloadable template's example rows, in layouts.TEMPLATE_COLUMNS order, on real
    areas of this register so the template uploaded unchanged is accepted: the partnership's
    LA and one of its open schools (a school with a confidence interval where there is one).
    Where that area already has the example's result, the row carries the stored figures
    (value or suppression marker, cohort, CI, status), so the round trip changes nothing;
    otherwise the layout's example figures (2 + one query per example)."""
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
