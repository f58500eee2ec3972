"""Demo data: the whole seed action plan, with a history of updates so the RAG is live.

The plan is the spreadsheet an officer would import: ``actionplan/data/demo_action_plan_2016.xlsx``
(Portsmouth's detailed action plan of 3 June 2016, all 8 priorities, in the layout of the
plan's XLSX export), loaded through the plan importer (``importers.import_plan_workbook``).
To change the demo plan, edit the workbook.

The seed plan ran from June 2016. So the demo is useful on the day it is loaded, every date
and every year in its text is moved forward by whole years so that today falls in the plan's
first year (on 23 Nov 2026: 2016 becomes 2026). The plan's introduction says so. Updates are
then made as if officers and leads had kept the plan up to date: most milestones that fell
due some time ago are complete (a few late), some are off track, some are due soon and not
started; recent updates fall within the last six weeks, so "changes since the last board
meeting" has content. The same day always gives the same data; loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from pep_portal.accounts.demo import demo_person
from pep_portal.platform.demo import demo_loader

from . import services
from .importers import import_plan_workbook
from .models import Milestone, Plan, StatusChoices

SEED_YEAR = 2016
WORKBOOK = Path(__file__).parent / "data" / "demo_action_plan_2016.xlsx"
TITLE = "Ofsted action plan: school improvement in Portsmouth"
DEMO_OFFICER = {
    "email": "officer@pep.example",
    "first_name": "Olivia",
    "last_name": "Officer",
    "role": "officer",
    "job_title": "School improvement officer",
    "is_staff": True,
}
DEMO_DCS = {
    "email": "board@pep.example",
    "first_name": "Ben",
    "last_name": "Board",
    "role": "board_member",
    "job_title": "Strategic Board member",
}
EVIDENCE_URL = "https://democracy.portsmouth.gov.uk/"
_YEAR = re.compile(r"\b(20\d\d)(?:/(\d\d))?\b")


def year_offset(today: dt.date) -> int:
    """Whole years to add so today falls in the plan's first year (June to May)."""
    first_year = today.year if today >= dt.date(today.year, 6, 1) else today.year - 1
    return first_year - SEED_YEAR


def shift_years(text: str, offset: int) -> str:
    """'By Sept 2016', '2016/17' -> the same with the years moved by ``offset``."""

    def replace(match: re.Match) -> str:
        year = int(match.group(1)) + offset
        if match.group(2) is None:
            return str(year)
        return f"{year}/{(int(match.group(2)) + offset) % 100:02d}"

    return _YEAR.sub(replace, text)


def shift_date(value: dt.date | None, offset: int) -> dt.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + offset)
    except ValueError:  # 29 February
        return value.replace(year=value.year + offset, day=28)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def shifted_workbook(source: Path, target: Path, *, offset: int, note: str) -> None:
    """Copy the workbook with every year moved forward by ``offset`` (dates and years in
    text alike) and ``note`` added to the plan's introduction."""
    workbook = load_workbook(source)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.value = shift_date(cell.value.date(), offset)
                elif isinstance(cell.value, dt.date):
                    cell.value = shift_date(cell.value, offset)
                elif isinstance(cell.value, str):
                    cell.value = shift_years(cell.value, offset)
    plan_sheet = workbook["Plan"]
    for field, value in plan_sheet.iter_rows(min_row=2, max_col=2):
        if field.value == "Introduction":
            value.value = f"{value.value}\n\n{note}"
    workbook.save(target)


@demo_loader(order=30, name="actionplan")
@transaction.atomic
def load(stdout=None, today: dt.date | None = None) -> Plan:
    today = today or timezone.localdate()
    offset = year_offset(today)
    officer = demo_person(DEMO_OFFICER)  # the workbook names them as lead-role holders
    dcs_holder = demo_person(DEMO_DCS)

    existing = Plan.objects.filter(title=TITLE).first()
    if existing is not None:
        if stdout:
            stdout.write(f"  Action plan already loaded: {TITLE}")
        return existing

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / WORKBOOK.name
        shifted_workbook(
            WORKBOOK,
            path,
            offset=offset,
            note=f"Demo data: the plan of 3 June {SEED_YEAR} with its dates moved forward "
            f"{offset} years, so that its RAG is live today.",
        )
        counts = import_plan_workbook(str(path), progress=lambda rows: None)
    plan = Plan.objects.get(title=TITLE)
    milestones = list(
        Milestone.objects.filter(action__priority__plan=plan)
        .select_related("action")
        .order_by("action__priority__number", "action__pk", "order")
    )
    _updates(milestones, today=today, officer=officer, dcs_holder=dcs_holder)
    services.milestone_rag_recompute(today=today)
    if stdout:
        stdout.write(
            f"  Action plan: {counts['priorities']} priorities, {counts['milestones']} "
            f"milestones (imported from {WORKBOOK.name}), dates moved forward {offset} years"
        )
    return plan


def _record(milestone, author, day: dt.date, today: dt.date, **kwargs) -> None:
    day = min(day, today)
    services.milestone_update_record(
        milestone=milestone,
        author=author,
        today=day,
        recorded_at=_at(day, hour=9 + milestone.pk % 8),
        **kwargs,
    )


def _updates(milestones, *, today: dt.date, officer, dcs_holder) -> None:
    """A plausible history: deterministic for a given day (by position, not random)."""
    overridden = False
    for i, m in enumerate(milestones):
        leads = {lr.code for lr in m.action.leads.all()}
        author = dcs_holder if "DCS" in leads and i % 2 == 0 else officer
        recent = today - dt.timedelta(days=2 + (i * 5) % 38)
        if m.due_date is None:
            if i % 3 == 1:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.AT_RISK,
                    progress=30,
                    note="Ongoing work; capacity in the team is stretched this term and the "
                    "Operational Group has been asked to help.",
                )
            else:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.ON_TRACK,
                    progress=50,
                    note="Ongoing: reviewed at the half-termly School Assessment Meeting.",
                )
            continue
        delta = (m.due_date - today).days
        if delta < -30:
            _record(
                m,
                author,
                m.due_date - dt.timedelta(days=45),
                today,
                status=StatusChoices.ON_TRACK,
                progress=50,
                note="Work under way; draft shared with the Operational Group.",
            )
            if i % 6 == 5:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.OFF_TRACK,
                    progress=60,
                    note="Delayed: the partners have not yet agreed the final version. A revised "
                    "date goes to the next Strategic Board.",
                )
                if not overridden:
                    overridden = True
                    _record(
                        m,
                        officer,
                        recent + dt.timedelta(days=1),
                        today,
                        status=StatusChoices.OFF_TRACK,
                        progress=65,
                        note="Revised timetable agreed with the chair.",
                        rag_override="amber",
                        override_reason="The Strategic Board agreed a revised date at its last "
                        "meeting; the work is on track against that date.",
                    )
            elif i % 9 == 4:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.ON_TRACK,
                    progress=80,
                    note="Nearly there: final sign-off expected shortly.",
                )
            else:
                late = i % 4 == 0
                done = (
                    m.due_date + dt.timedelta(days=10)
                    if late
                    else m.due_date - dt.timedelta(days=i % 12)
                )
                _record(
                    m,
                    author,
                    done,
                    today,
                    status=StatusChoices.COMPLETE,
                    progress=100,
                    note="Complete: agreed and published."
                    + (" Finished after the due date." if late else ""),
                    evidence_url=EVIDENCE_URL if i % 3 == 0 else "",
                )
        elif delta < 0:
            if i % 2 == 0:
                _record(
                    m,
                    author,
                    today - dt.timedelta(days=1),
                    today,
                    status=StatusChoices.COMPLETE,
                    progress=100,
                    note="Completed a few days after the due date.",
                )
            else:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.AT_RISK,
                    progress=70,
                    note="Slipping: waiting on data from schools.",
                )
        elif delta <= 14:
            if i % 3 == 1:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.ON_TRACK,
                    progress=75,
                    note="On track to finish by the due date.",
                )
            elif i % 3 == 2:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.AT_RISK,
                    progress=40,
                    note="At risk: key people are unavailable until the end of the month.",
                )
            # i % 3 == 0: not started and due soon (amber), no update yet.
        elif delta <= 120:
            if i % 2:
                _record(
                    m,
                    author,
                    recent,
                    today,
                    status=StatusChoices.ON_TRACK,
                    progress=20 + (i * 7) % 50,
                    note="Planning done; work started with the first group of schools.",
                )
        elif i % 4 == 0:
            _record(
                m,
                author,
                recent,
                today,
                status=StatusChoices.ON_TRACK,
                progress=10,
                note="Early scoping under way.",
            )
