"""School on a page: one school's snapshot figures, its summary and 3Ms decision."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Subquery

from outcomes import figures
from outcomes.figures import value_text
from outcomes.models import KeyStage, Measure, SchoolSummary
from outcomes.selectors import partnership_las
from partnership.categorisation.selectors import (
    latest_categorisation_of,
    with_latest_categorisation,
)
from pep_portal.nightly.selectors import current_run, published_run_id
from schools.models import School

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


def school_for_page(*, urn: int) -> School | None:
    return School.objects.select_related("la", "trust").filter(urn=urn).first()


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
    summaries = with_latest_categorisation(
        SchoolSummary.objects.filter(
            run_id=info.run.pk if info and info.run else published_run_id(),
            school_id=school.pk,
        )
    )
    summary = None
    if info is None or info.run is not None:
        summary = summaries.select_related("run").first()
    run = info.run if info else (summary.run if summary else current_run())
    decision = latest_categorisation_of(summary, school_id=school.pk) if summary else None
    nearest = nearest_schools(school=school)
    stored: list[figures.SchoolFigureRow] = []
    others: list = []
    provisional: set[int] = set()
    if run is not None:
        stored, others, provisional = figures.school_figures_and_headlines(
            school_id=school.pk,
            others=nearest.nearest_ids,
            run_id=run.pk,
            provisional_la=Subquery(partnership_las().values("pk")[:1]) if info is None else None,
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
