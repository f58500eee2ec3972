"""The board pack: one PDF per meeting, as committee systems make it: a cover (agenda, action
log, the partnership's figures as at the meeting's date, the action plan's changes since the
board's previous meeting, the dashboard figures of the meeting's nightly snapshot), then the
meeting's PDF papers in agenda order. Papers that are not PDFs are listed with a note.

The cover is drawn with reportlab; the papers are appended with pypdf (both pure Python).
``board_pack_content`` gathers everything (reads only); ``render_board_pack_pdf`` lays out the
cover and ``bundle_board_pack`` appends the papers.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from actionplan import selectors as actionplan_selectors
from outcomes.selectors import partnership_la
from pep_portal.nightly.models import NightlyRun
from pep_portal.nightly.selectors import current_run
from pep_portal.platform.rag import Rag
from schools.selectors import partnership_schools

from ..calculations.academic_year import academic_year_label, academic_year_of
from ..categorisation.models import Concern
from ..dashboards import selectors as dashboard_selectors
from ..support import selectors as support_selectors
from ..support.models import Focus
from . import selectors
from .models import Meeting

logger = logging.getLogger(__name__)


@dataclass
class FigureSection:
    title: str
    rows: list[tuple[str, str]]
    note: str = ""
    columns: tuple[str, str] = ("Figure", "Value")
    extra: list[str] = field(default_factory=list)


@dataclass
class PackPaper:
    item_number: int
    title: str
    path: str
    original_name: str
    pages: int = 0
    note: str = ""

    @property
    def included(self) -> bool:
        return self.pages > 0


@dataclass
class PackAgendaItem:
    number: int
    title: str
    presenter: str
    papers: list[str]


@dataclass
class BoardPackContent:
    board: str
    partnership: str
    meeting_when: str
    location: str
    as_of: dt.date
    papers_note: str
    agenda: list[PackAgendaItem]
    actions: list[tuple[str, str, str, str]]
    partnership_figures: list[FigureSection]
    action_plan: FigureSection | None
    dashboard: list[FigureSection] = field(default_factory=list)
    dashboard_note: str = ""
    papers: list[PackPaper] = field(default_factory=list)


def _days(value: Decimal) -> str:
    """6 rather than 6.0; 2.5 stays 2.5."""
    return f"{Decimal(value).normalize():f}"


def _schools(n: int) -> str:
    return f"{n} school{'s' if n != 1 else ''}"


def _percent(value: Decimal | None) -> str:
    return "no deployments" if value is None else f"{value:.0f}%"


def support_figure_sections(*, as_of: dt.date) -> list[FigureSection]:
    """The partnership's own figures (support deployed, 3Ms) as at a date."""
    year = academic_year_of(as_of)
    figures = support_selectors.support_figures_for_year(year=year, as_of=as_of)
    label = academic_year_label(year)
    focus_names = dict(Focus.choices)
    concern_names = dict(Concern.choices)
    support = FigureSection(
        title=f"School-to-school support, {label} to {as_of:%d %B %Y}",
        rows=[
            ("Deployments this year", str(figures.deployments)),
            ("Brokered from multi-academy trusts", str(figures.from_mats)),
            ("Share from multi-academy trusts", _percent(figures.mat_share_percent)),
            ("Days of support", _days(figures.total_days)),
            ("Schools supported", str(figures.schools_supported)),
        ],
    )
    days = FigureSection(
        title="Days of support by priority",
        rows=[(focus_names.get(k, k), _days(v)) for k, v in figures.days_by_focus.items()],
        columns=("Priority", "Days"),
        note="" if figures.days_by_focus else "No deployments this year.",
    )
    categories = FigureSection(
        title="Schools causing concern (latest 3Ms decision) and support",
        rows=[
            (
                concern_names[c.category],
                f"{_schools(c.schools)}: {c.supported} supported, {c.unsupported} not supported",
            )
            for c in figures.by_category
        ],
        columns=("Category", "Schools"),
    )
    gap_names = [
        s.name
        for s in partnership_schools()
        .filter(pk__in=figures.concern_without_support)
        .order_by("name")
    ]
    gap = FigureSection(
        title="Schools of moderate or maximum concern with no support this year",
        rows=[(name, "") for name in gap_names],
        columns=("School", ""),
        note="" if gap_names else "None: every school of concern has support.",
    )
    return [support, days, categories, gap]


def action_plan_section(
    *, as_of: dt.date, since: dt.date | None, user=None
) -> FigureSection | None:
    """The action plan's milestone RAG counts, and the milestones changed since the board's
    previous meeting, read through the action plan's selectors as the user who asked sees them.
    None when nobody asked (no user to scope the plan by)."""
    if user is None:
        return None
    plan = actionplan_selectors.plan_current(user=user)
    if plan is None:
        return FigureSection("Action plan RAG summary", [], note="There is no current plan.")
    totals = actionplan_selectors.plan_board(user=user, plan=plan, today=as_of)["totals"]
    extra: list[str] = []
    if since is not None:
        changes = actionplan_selectors.plan_changes_since(user=user, plan=plan, since=since)
        extra.append(
            f"Milestones changed since the board's previous meeting ({since:%d %B %Y}): "
            f"{len(changes)}."
        )
        extra += [
            f"{row['milestone']}: {row['rag_before']} to {row['rag_now']}"
            if row.get("rag_now") and row.get("rag_before") != row.get("rag_now")
            else f"{row['milestone']}: updated"
            for row in changes
        ]
    else:
        extra.append("This is the board's first meeting: no earlier meeting to compare with.")
    return FigureSection(
        f"Action plan RAG summary: {plan}",
        [(str(getattr(k, "label", k)), str(v)) for k, v in dict(totals).items()],
        columns=("Milestone status", "Milestones"),
        note=f"Milestone status computed for {as_of:%d %B %Y}.",
        extra=extra,
    )


def meeting_snapshot_run(*, meeting: Meeting) -> NightlyRun | None:
    """The nightly snapshot the meeting saw: the newest published run (rows still kept)
    published before the meeting started; the current one when none was."""
    return (
        NightlyRun.objects.filter(
            published=True, snapshot_pruned=False, published_at__lte=meeting.starts_at
        )
        .order_by("-published_at", "-pk")
        .first()
    ) or current_run()


def dashboard_figure_sections(*, meeting: Meeting) -> tuple[list[FigureSection], str]:
    """The city overview as the dashboards show it, from the meeting's snapshot."""
    run = meeting_snapshot_run(meeting=meeting)
    info = dashboard_selectors.SnapshotInfo(run=run, la=partnership_la())
    block = dashboard_selectors.overview(info=info)
    if block is None:
        return [], "No nightly snapshot had been published when this pack was generated."
    finished = timezone.localtime(run.published_at or run.finished_at or run.created_at)
    note = f"From the nightly run of {finished:%d %B %Y} (run {run.pk})."
    if run.published_at and run.published_at > meeting.starts_at:
        note += " No earlier snapshot is kept: these figures are newer than the meeting."
    headline = FigureSection(
        title=f"Headline indicators: {info.la.name}",
        rows=[
            (
                f"{r.measure.name} ({r.year})",
                f"{r.value_text}; national {r.national_text}; gap {r.gap_text}; "
                f"{r.rank_text}; {r.trend['word']}; RAG {Rag(r.rag).label}",
            )
            for r in block.rows
        ],
        columns=("Indicator", "Value"),
        note=note,
    )
    schools = FigureSection(
        title="Schools by RAG and 3Ms category",
        rows=[(f"RAG: {r['label']}", str(r["count"])) for r in block.rag_rows]
        + [
            (f"{r['label']}", f"{r['suggested']} suggested by the data, {r['decided']} decided")
            for r in block.concern_rows
        ],
        columns=("Schools", "Count"),
    )
    return [headline, schools], ""


def meeting_papers(*, meeting: Meeting) -> list[PackPaper]:
    """The meeting's papers in agenda order; PDFs are read to count their pages."""
    papers = []
    for item in meeting.agenda_items.all():
        for paper in item.papers.all():
            entry = PackPaper(
                item_number=item.number,
                title=paper.title,
                path=paper.file.name,
                original_name=paper.original_name,
            )
            if paper.content_type != "application/pdf" and not paper.original_name.lower().endswith(
                ".pdf"
            ):
                entry.note = (
                    f"Not included: {paper.original_name} is not a PDF. "
                    "Download it from the meeting's page."
                )
            else:
                try:
                    with paper.file.open("rb") as handle:
                        reader = PdfReader(io.BytesIO(handle.read()))
                        if reader.is_encrypted:
                            raise PdfReadError("encrypted")
                        entry.pages = len(reader.pages)
                except (OSError, PyPdfError, ValueError, KeyError) as exc:
                    logger.warning("Paper %s left out of the pack: %s", paper.pk, exc)
                    entry.note = (
                        "Not included: the PDF could not be read (damaged or password-protected)."
                        " Download it from the meeting's page."
                    )
            papers.append(entry)
    return papers


def board_pack_content(*, meeting: Meeting, user=None) -> BoardPackContent:
    meeting = selectors.meeting_detail(meeting_id=meeting.pk)
    as_of = meeting.meeting_date
    previous = selectors.previous_meeting(meeting=meeting)
    dashboard, dashboard_note = dashboard_figure_sections(meeting=meeting)
    when = timezone.localtime(meeting.starts_at)
    if meeting.papers_published_at:
        sent = timezone.localtime(meeting.papers_published_at)
        papers_note = f"Papers sent out {sent:%d %B %Y}"
        if meeting.papers_late:
            papers_note += f" - LATE: due by {meeting.papers_due_on:%d %B %Y}" + (
                f" ({meeting.papers_late_reason})" if meeting.papers_late_reason else ""
            )
    else:
        papers_note = f"Papers due by {meeting.papers_due_on:%d %B %Y}; not yet sent out."
    agenda = [
        PackAgendaItem(
            number=item.number,
            title=item.title,
            presenter=item.presenter,
            papers=[p.title for p in item.papers.all()],
        )
        for item in meeting.agenda_items.all()
    ]
    actions = [
        (
            a.description,
            a.owner_label,
            f"{a.due_date:%d %b %Y}",
            a.get_status_display(),
        )
        for a in selectors.action_log(meeting=meeting)
    ]
    return BoardPackContent(
        board=meeting.board.name,
        partnership=meeting.board.partnership.name,
        meeting_when=f"{when:%A %d %B %Y, %H:%M}",
        location=meeting.location,
        as_of=as_of,
        papers_note=papers_note,
        agenda=agenda,
        actions=actions,
        partnership_figures=support_figure_sections(as_of=as_of),
        action_plan=action_plan_section(
            as_of=as_of, since=previous.meeting_date if previous else None, user=user
        ),
        dashboard=dashboard,
        dashboard_note=dashboard_note,
        papers=meeting_papers(meeting=meeting),
    )


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(header: list[str], rows: list[list[str]], styles, widths) -> Table:
    body = styles["BodyText"]
    data = [[_p(h, styles["Heading6"]) for h in header]]
    data += [[_p(cell, body) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section(story, section: FigureSection, styles, width) -> None:
    story.append(_p(section.title, styles["Heading3"]))
    if section.rows:
        story.append(
            _table(
                list(section.columns),
                [[label, value] for label, value in section.rows],
                styles,
                [width * 0.6, width * 0.4],
            )
        )
    if section.note:
        story.append(_p(section.note, styles["Italic"]))
    for line in section.extra:
        story.append(_p(line, styles["BodyText"]))
    story.append(Spacer(1, 4 * mm))


def render_board_pack_pdf(content: BoardPackContent) -> tuple[bytes, int]:
    """The pack as PDF bytes, and its number of pages."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Board pack: {content.board}, {content.meeting_when}",
        author=content.partnership,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    styles = getSampleStyleSheet()
    width = doc.width
    story: list = [
        _p(content.partnership, styles["Heading2"]),
        _p(f"{content.board}: board pack", styles["Title"]),
        _p(content.meeting_when, styles["Heading3"]),
        _p(content.location, styles["BodyText"]),
        _p(content.papers_note, styles["BodyText"]),
        _p(f"Figures as at {content.as_of:%d %B %Y}.", styles["BodyText"]),
        Spacer(1, 6 * mm),
        _p("Agenda", styles["Heading1"]),
    ]
    story.append(
        _table(
            ["No.", "Item", "Presenter", "Papers"],
            [
                [str(i.number), i.title, i.presenter, "; ".join(i.papers) or "-"]
                for i in content.agenda
            ],
            styles,
            [width * 0.08, width * 0.47, width * 0.2, width * 0.25],
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(_p("Papers", styles["Heading2"]))
    if content.papers:
        for paper in content.papers:
            where = (
                f"included after these pages ({paper.pages} page{'s' if paper.pages != 1 else ''})"
                if paper.included
                else paper.note
            )
            story.append(
                _p(f"Item {paper.item_number}: {paper.title}: {where}", styles["BodyText"])
            )
    else:
        story.append(_p("No papers are attached to this agenda.", styles["Italic"]))
    story.append(Spacer(1, 6 * mm))
    story.append(_p("Action log", styles["Heading2"]))
    if content.actions:
        story.append(
            _table(
                ["Action", "Owner", "Due", "Status"],
                [list(a) for a in content.actions],
                styles,
                [width * 0.5, width * 0.2, width * 0.15, width * 0.15],
            )
        )
    else:
        story.append(_p("No actions carried forward.", styles["Italic"]))
    story.append(PageBreak())
    story.append(_p("Support and categorisation figures", styles["Heading1"]))
    for section in content.partnership_figures:
        _section(story, section, styles, width)
    story.append(_p("Action plan", styles["Heading1"]))
    if content.action_plan is not None:
        _section(story, content.action_plan, styles, width)
    else:
        story.append(_p("The action plan summary is not available yet.", styles["Italic"]))
    story.append(_p("Dashboard figures", styles["Heading1"]))
    if content.dashboard:
        for section in content.dashboard:
            _section(story, section, styles, width)
    else:
        story.append(_p(content.dashboard_note, styles["Italic"]))

    def _footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            18 * mm, 10 * mm, f"{content.board}, {content.meeting_when} - page {doc_.page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue(), doc.page


def bundle_board_pack(cover: bytes, papers: list[PackPaper], *, storage) -> tuple[bytes, int]:
    """The cover followed by the PDF papers in agenda order, with a bookmark for each: one PDF
    and its number of pages."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)), outline_item="Cover: agenda and figures")
    for paper in papers:
        if not paper.included:
            continue
        with storage.open(paper.path, "rb") as handle:
            writer.append(
                PdfReader(io.BytesIO(handle.read())),
                outline_item=f"Item {paper.item_number}: {paper.title}",
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
