"""School on a page: one school's snapshot figures, its summary and 3Ms decision."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import router

from outcomes import figures
from outcomes.figures import value_text
from outcomes.models import KeyStage, Measure, SchoolSummary
from partnership.categorisation.selectors import LATEST_DECISION_SQL, DecisionFromRow
from pep_portal.nightly.models import NightlyRun
from pep_portal.nightly.selectors import PUBLISHED_RUN_SQL, current_run
from pep_portal.platform import sql_rows
from schools.models import LocalAuthority, School, Trust

from .. import charts
from .common import CONCERN_WORDS, KEY_STAGE_TITLES, OFSTED_WORDS, SnapshotInfo, trend_words
from .similar import SimilarSchools, nearest_schools, similar_schools

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
    band: str = ""  # DfE's progress band, as published (or by its rule)


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
    similar: SimilarSchools | None = None

    @property
    def attendance_sections(self) -> list[tuple[str, list[SchoolOutcomeRow]]]:
        return [("Attendance", self.attendance)]


# The school with its LA and trust (select_related("la", "trust")), written once as SQL:
# Django's building it cost ~0.9 ms of CPU on every request (pep_portal/platform/sql_rows.py).
_SCHOOL_SQL = (
    f"SELECT {sql_rows.columns(School, 's')}, {sql_rows.columns(LocalAuthority, 'l')}, "
    f"{sql_rows.columns(Trust, 't')} "
    'FROM "schools_school" s INNER JOIN "schools_localauthority" l ON (s."la_id" = l."id") '
    'LEFT OUTER JOIN "schools_trust" t ON (s."trust_id" = t."id") '
    'WHERE s."urn" = %s ORDER BY s."name" ASC LIMIT 1'
)
_SCHOOL_PARTS = (School, LocalAuthority, Trust)


def school_for_page(*, urn: int) -> School | None:
    """The school by its URN with its LA and trust (1 query)."""
    fields = [f for model in _SCHOOL_PARTS for f in sql_rows.model_fields(model)]
    found = sql_rows.rows(School, _SCHOOL_SQL, [urn], fields)
    if not found:
        return None
    school, la, trust = sql_rows.instances(router.db_for_read(School), found[0], _SCHOOL_PARTS)
    School._meta.get_field("la").set_cached_value(school, la)
    School._meta.get_field("trust").set_cached_value(school, trust)
    return school


# The school's summary in a run (the published one unless named) with the run and the
# school's latest 3Ms decision, written once as SQL: the ORM's queryset (the published
# run's pointer and the decision as subqueries, the run joined) cost ~2 ms of CPU to build.
_SUMMARY_SQL = (
    f"SELECT {sql_rows.columns(SchoolSummary, 's')}, {sql_rows.columns(NightlyRun, 'r')}, "
    f"{DecisionFromRow.COLUMNS} "
    'FROM "pep_portal_schoolsummary" s INNER JOIN "pep_portal_nightlyrun" r ON (s."run_id" = r."id") '
    'LEFT OUTER JOIN "partnership_categorisationdecision" d ON (d."id" = '
    + LATEST_DECISION_SQL.replace("{school}", 's."school_id"')
    + ") "
    'WHERE s."run_id" = {run} AND s."school_id" = %s ORDER BY s."id" ASC LIMIT 1'
)


def _summary(*, school: School, run_id: int | None):
    """The school's summary in ``run_id`` (None: the published run) with its run, and the
    school's latest 3Ms decision (1 query)."""
    fields = [
        *sql_rows.model_fields(SchoolSummary),
        *sql_rows.model_fields(NightlyRun),
        *DecisionFromRow.fields(),
    ]
    params = [school.pk] if run_id is None else [run_id, school.pk]
    sql = _SUMMARY_SQL.replace("{run}", "%s" if run_id is not None else PUBLISHED_RUN_SQL)
    found = sql_rows.rows(SchoolSummary, sql, params, fields)
    if not found:
        return None, None
    row = found[0]
    summary, run = sql_rows.instances(
        router.db_for_read(SchoolSummary), row, (SchoolSummary, NightlyRun)
    )
    SchoolSummary._meta.get_field("run").set_cached_value(summary, run)
    width = len(SchoolSummary._meta.concrete_fields) + len(NightlyRun._meta.concrete_fields)
    return summary, DecisionFromRow.decision(row[width:], school_id=school.pk)


def school_page(*, school: School, info: SnapshotInfo | None = None) -> SchoolPage:
    """One school's snapshot figures (all pupils, through ``outcomes.figures`` as the
    register's school page reads them), its summary and 3Ms decision, and its similar
    schools (3 queries: the summary with the published run and the latest decision; the
    similar schools' pool; the school's figures with the nearest schools' headline
    figures and which of its years are provisional).

    Without ``info`` the page reads the published run with the school's summary (its
    pointer as a subquery; a school not in the snapshot reads the run on its own) and
    states no partnership LA: its ``info.provisional_years`` are those of the school's
    figures' years that are provisional for the partnership's LA (the page asks only
    whether its data year is one), read with the figures. The 3Ms decision is read with
    the summary: the page shows it beside the summary only."""
    summary = decision = None
    if info is None or info.run is not None:
        summary, decision = _summary(school=school, run_id=info.run.pk if info else None)
    run = info.run if info else (summary.run if summary else current_run())
    nearest = nearest_schools(school=school)
    stored: list[figures.SchoolFigureRow] = []
    others: list = []
    provisional: set[int] = set()
    if run is not None:
        stored, others, provisional = figures.school_figures_and_headlines(
            school_id=school.pk,
            others=nearest.nearest_ids,
            run_id=run.pk,
            partnership_provisional=info is None,
        )
    if info is None:
        info = SnapshotInfo(run=run, la=None, provisional_years=sorted(provisional))
    by_section: dict[str, list[SchoolOutcomeRow]] = defaultdict(list)
    attendance = []
    for f in stored:
        m = f.measure
        years = sorted(f.history)
        history = [(str(y), value_text(f.history[y], f.precision)) for y in years]
        row = SchoolOutcomeRow(
            measure=m,
            year=f.year,
            value_text=f.value_text,
            la_text=f.la_text,
            national_text=f.national_text,
            gap_text=f.gap_text,
            gap_la_text=f.gap_la_text,
            history=history,
            history_text=", ".join(f"{y}: {v}" for y, v in history),
            sparkline=charts.sparkline_svg_points([f.history[y] for y in years]),
            trend=trend_words(f.trend_direction),
            significance=f.significance,
            rag=f.rag or "none",
            rag_reason=f.rag_reason_text,
            suppressed=bool(f.suppression),
            cohort=f.cohort,
            ci_text=f.ci_text,
            band=f.progress_band,
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
        year=max((f.year for f in stored), default=None),
        ofsted_text=ofsted_text,
        suppressed=sum(bool(f.suppression) for f in stored),
        suggestion_text=CONCERN_WORDS.get(summary.concern, "No suggestion")
        if summary
        else "No suggestion",
        similar=similar_schools(
            info=info, school=school, nearest=nearest, own=stored, others=others
        ),
    )
