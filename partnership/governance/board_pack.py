"""The board pack: one PDF per meeting with the agenda, the papers, the action log and the
figures as they stood on the meeting's date. Built with reportlab (pure Python).

``board_pack_content`` gathers everything (reads only); ``render_board_pack_pdf`` lays it out.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
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

from ..calculations.academic_year import academic_year_label, academic_year_of
from ..categorisation.models import Concern
from ..selectors import partnership_schools
from ..support import selectors as support_selectors
from ..support.models import Focus
from . import selectors
from .models import Meeting
from .pack_figures import FigureSection, dashboard_figures

logger = logging.getLogger(__name__)


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


def action_plan_section(*, as_of: dt.date, user=None) -> FigureSection | None:
    """The action plan's milestone RAG counts, from the action plan app's selectors.

    Uses ``actionplan.selectors.plan_current`` and ``plan_board`` (seen by the user who asked
    for the pack). None when the action plan app does not offer them.
    """
    try:
        module = importlib.import_module("actionplan.selectors")
    except ImportError:
        return None
    plan_current = getattr(module, "plan_current", None)
    plan_board = getattr(module, "plan_board", None)
    if not (callable(plan_current) and callable(plan_board)) or user is None:
        return None
    try:
        plan = plan_current(user=user)
        if plan is None:
            return FigureSection("Action plan RAG summary", [], note="There is no current plan.")
        totals = plan_board(user=user, plan=plan, today=as_of)["totals"]
    except Exception:
        logger.exception("Action plan RAG summary failed")
        return FigureSection(
            "Action plan RAG summary", [], note="Not available when this pack was generated."
        )
    return FigureSection(
        f"Action plan RAG summary: {plan}",
        [(str(getattr(k, "label", k)), str(v)) for k, v in dict(totals).items()],
        columns=("Milestone status", "Milestones"),
        note=f"Milestone status computed for {as_of:%d %B %Y}.",
    )


def board_pack_content(*, meeting: Meeting, user=None) -> BoardPackContent:
    meeting = selectors.meeting_detail(meeting_id=meeting.pk)
    as_of = meeting.meeting_date
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
        action_plan=action_plan_section(as_of=as_of, user=user),
        dashboard=dashboard_figures(as_of=as_of),
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
    papers = [(i.number, p) for i in content.agenda for p in i.papers]
    if papers:
        for number, title in papers:
            story.append(_p(f"Item {number}: {title}", styles["BodyText"]))
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
        story.append(
            _p(
                "No dashboard figures were available when this pack was generated.",
                styles["Italic"],
            )
        )

    def _footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            18 * mm, 10 * mm, f"{content.board}, {content.meeting_when} - page {doc_.page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue(), doc.page
