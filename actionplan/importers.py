"""Import a plan from the XLSX layout the export writes (all-or-nothing, row/column errors).

Sheets read: "Plan" (Field / Value rows: Title, Period, Published, Current, Amber window
(days), Introduction), "Priorities", "Actions and milestones" (one row per milestone; an action without
milestones has one row with the Milestone cell blank) and, when present, "Lead roles" and
"Success measures". Status columns (Status, Progress, RAG ...) are the export's report of
progress and are not imported: an imported plan starts with every milestone not started.

The whole workbook is checked before anything is written; any problem rejects it with the
sheet, row and column named.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

from django.core.exceptions import ValidationError

from pep_portal.imports.framework import (
    ErrorCollector,
    ImportRejected,
    RowError,
    quoted_columns,
    refuse_repeated_columns,
    register_importer,
)
from pep_portal.imports.workbooks import open_workbook
from pep_portal.platform.spreadsheets import FORMULA_TRIGGERS

from . import services
from .exports import (
    ACTION_COLUMNS,
    LEAD_COLUMNS,
    MEASURE_COLUMNS,
    PRIORITY_COLUMNS,
    SHEET_ACTIONS,
    SHEET_LEADS,
    SHEET_MEASURES,
    SHEET_PLAN,
    SHEET_PRIORITIES,
)
from .models import LeadRole, Plan

KIND = "actionplan_xlsx"
LAYOUT = "an action plan workbook (the layout of the action plan's XLSX export)"
ACTION_NUMBER = re.compile(r"^(\d+)\.(\d+)$")
REQUIRED_ACTION_COLUMNS = ACTION_COLUMNS[:10]
REQUIRED_PRIORITY_COLUMNS = PRIORITY_COLUMNS[:4]
REQUIRED_LEAD_COLUMNS = LEAD_COLUMNS[:2]
REQUIRED_MEASURE_COLUMNS = MEASURE_COLUMNS[:7]
MAX_ROWS = 20_000


def unescape(value):
    """Undo the export's formula escaping ("'=x" back to "=x") and trim text."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
            return value[1:]
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(unescape(value)).strip() if not isinstance(value, str) else unescape(value)


class _Sheet:
    """One worksheet read as (row number, {column: value}) with header checks."""

    def __init__(self, workbook, title: str, errors: ErrorCollector, required: list[str]):
        self.title = title
        self.errors = errors
        self.rows: list[tuple[int, dict]] = []
        self.header: list[str] = []
        if title not in workbook.sheetnames:
            errors.add(f"The workbook has no sheet called '{title}'. {_layout_hint()}")
            return
        sheet = workbook[title]
        iterator = sheet.iter_rows(values_only=True)
        try:
            header = next(iterator)
        except StopIteration:
            errors.add(f"On sheet '{title}': the sheet is empty.", row=1)
            return
        self.header = [_text(h) for h in header]
        try:
            refuse_repeated_columns(self.header)  # each row is read by heading: which would win?
        except ImportRejected as exc:
            for problem in exc.errors:
                self.error(problem.message, row=problem.row)
            self.header = []
            return
        missing = [c for c in required if c not in self.header]
        if missing:
            errors.add(
                f"On sheet '{title}': the header is missing the column(s) {quoted_columns(missing)}.",
                row=1,
            )
            self.header = []
            return
        for number, values in enumerate(iterator, start=2):
            if number > MAX_ROWS:
                errors.add(f"On sheet '{title}': more than {MAX_ROWS} rows.", row=number)
                break
            if values is None or all(v is None or _text(v) == "" for v in values):
                continue
            record = {
                h: (values[i] if i < len(values) else None) for i, h in enumerate(self.header) if h
            }
            self.rows.append((number, record))

    def error(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.errors.add(f"On sheet '{self.title}': {message}", row=row, column=column)


def _layout_hint() -> str:
    return "Start from the action plan's XLSX export, which has the sheets this import reads."


def _date(sheet: _Sheet, value, *, row: int, column: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    sheet.error(
        f"'{text}' is not a date: write it as a date cell, or as 2016-09-30 or 30/09/2016.",
        row=row,
        column=column,
    )
    return None


def _int(sheet: _Sheet, value, *, row: int, column: str, low: int, high: int) -> int | None:
    text = _text(value)
    try:
        number = int(float(text))
        if float(text) != number:
            raise ValueError
    except (ValueError, OverflowError):  # OverflowError: '1e309' is infinity
        sheet.error(f"'{text}' is not a whole number.", row=row, column=column)
        return None
    if not low <= number <= high:
        sheet.error(f"{number} is outside {low} to {high}.", row=row, column=column)
        return None
    return number


def _priority_listed(sheet: _Sheet, number: int, priorities: dict, *, row: int) -> bool:
    """Whether priority ``number`` is on the Priorities sheet; an error on ``sheet`` if not."""
    if number in priorities:
        return True
    sheet.error(
        f"priority {number} is not on the '{SHEET_PRIORITIES}' sheet.", row=row, column="Priority"
    )
    return False


def _check_leads(
    sheet: _Sheet, codes: list[str], known: set[str], *, row: int, column: str
) -> None:
    """Each code must be a lead role (in the portal already or on the lead roles sheet)."""
    for code in codes:
        if code not in known:
            sheet.error(
                f"'{code}' is not a lead role (add it to the '{SHEET_LEADS}' sheet).",
                row=row,
                column=column,
            )


def _open_workbook(path: str):
    if not zipfile.is_zipfile(path):
        raise ImportRejected.single(
            "This is not an XLSX workbook. Save the plan as an Excel workbook (.xlsx) and "
            "upload it again."
        )
    return open_workbook(
        path,
        not_a_workbook="This file cannot be read as an Excel workbook (.xlsx). Save it again "
        "from Excel or LibreOffice as .xlsx.",
    )


def read_plan_workbook(path: str) -> dict:
    """Read and check the workbook; return what to create, or raise ImportRejected."""
    workbook = _open_workbook(path)
    errors = ErrorCollector()
    try:
        plan_sheet = _Sheet(workbook, SHEET_PLAN, errors, ["Field", "Value"])
        priority_sheet = _Sheet(workbook, SHEET_PRIORITIES, errors, REQUIRED_PRIORITY_COLUMNS)
        action_sheet = _Sheet(workbook, SHEET_ACTIONS, errors, REQUIRED_ACTION_COLUMNS)
        lead_sheet = (
            _Sheet(workbook, SHEET_LEADS, errors, REQUIRED_LEAD_COLUMNS)
            if SHEET_LEADS in workbook.sheetnames
            else None
        )
        measure_sheet = (
            _Sheet(workbook, SHEET_MEASURES, errors, REQUIRED_MEASURE_COLUMNS)
            if SHEET_MEASURES in workbook.sheetnames
            else None
        )
    finally:
        workbook.close()
    errors.raise_if_any()

    # --- Plan
    fields = {}
    for row, record in plan_sheet.rows:
        fields[_text(record.get("Field"))] = (row, record.get("Value"))
    plan: dict = {}
    title_row, title = fields.get("Title", (None, None))
    plan["title"] = _text(title)
    if not plan["title"]:
        plan_sheet.error("the plan needs a Title (a row with Field 'Title').", row=title_row)
    elif Plan.objects.filter(title=plan["title"]).exists():
        plan_sheet.error(
            f"there is already a plan called '{plan['title']}'. Give the imported plan a new "
            "title.",
            row=title_row,
            column="Value",
        )
    plan["period"] = _text(fields.get("Period", (None, None))[1])
    plan["introduction"] = _text(fields.get("Introduction", (None, None))[1])
    pub_row, published = fields.get("Published", (None, None))
    plan["published_on"] = _date(plan_sheet, published, row=pub_row, column="Value")
    current_row, current = fields.get("Current", (None, "No"))
    current_text = _text(current).lower() or "no"
    if current_text not in ("yes", "no", "y", "n", "true", "false"):
        plan_sheet.error("Current must be Yes or No.", row=current_row, column="Value")
    plan["is_current"] = current_text in ("yes", "y", "true")
    window_row, window = fields.get("Amber window (days)", (None, 14))
    plan["amber_window_days"] = (
        _int(plan_sheet, window, row=window_row, column="Value", low=0, high=365) or 14
        if _text(window)
        else 14
    )

    # --- Lead roles
    leads: dict[str, dict] = {}
    known_codes = set(LeadRole.objects.values_list("code", flat=True))
    if lead_sheet is not None:
        from pep_portal.accounts.models import User

        for row, record in lead_sheet.rows:
            code, title = _text(record.get("Code")), _text(record.get("Title"))
            if not code:
                lead_sheet.error("the Code is blank.", row=row, column="Code")
                continue
            if not re.fullmatch(r"[A-Za-z0-9&\-]{1,20}", code):
                lead_sheet.error(
                    f"'{code}' is not a lead-role code (letters, digits, & or -, up to 20).",
                    row=row,
                    column="Code",
                )
                continue
            if code in leads:
                lead_sheet.error(f"lead role {code} is listed twice.", row=row, column="Code")
                continue
            if not title:
                lead_sheet.error(f"lead role {code} has no Title.", row=row, column="Title")
            emails = [
                e.strip().lower() for e in re.split(r"[;,\s]+", _text(record.get("Holders"))) if e
            ]
            users = {u.email: u for u in User.objects.filter(email__in=emails)}
            for email in emails:
                if email not in users:
                    lead_sheet.error(
                        f"there is no portal user with the email address {email}.",
                        row=row,
                        column="Holders",
                    )
            leads[code] = {"title": title, "holders": list(users.values())}
    all_codes = known_codes | set(leads)

    # --- Priorities
    priorities: dict[int, dict] = {}
    for row, record in priority_sheet.rows:
        number = _int(
            priority_sheet, record.get("Priority"), row=row, column="Priority", low=1, high=999
        )
        title = _text(record.get("Title"))
        if not title:
            priority_sheet.error("the Title is blank.", row=row, column="Title")
        if number is None:
            continue
        if number in priorities:
            priority_sheet.error(
                f"priority {number} is listed twice (first on row {priorities[number]['row']}).",
                row=row,
                column="Priority",
            )
            continue
        success = _text(record.get("What success will look like"))
        priorities[number] = {
            "row": row,
            "title": title,
            "ofsted_areas": _text(record.get("Ofsted areas"))[:60],
            "success_looks_like": success,
            "actions": {},
        }
    if not priorities and not errors:
        priority_sheet.error("there are no priorities.", row=2)

    # --- Actions and milestones
    for row, record in action_sheet.rows:
        p_number = _int(
            action_sheet, record.get("Priority"), row=row, column="Priority", low=1, high=999
        )
        a_number = _text(record.get("Action"))
        match = ACTION_NUMBER.match(a_number)
        if not match:
            action_sheet.error(
                f"'{a_number}' is not an action number like 1.1.", row=row, column="Action"
            )
            continue
        if p_number is None:
            continue
        if not _priority_listed(action_sheet, p_number, priorities, row=row):
            continue
        if int(match.group(1)) != p_number:
            action_sheet.error(
                f"action {a_number} does not belong to priority {p_number}.",
                row=row,
                column="Action",
            )
            continue
        actions = priorities[p_number]["actions"]
        description = _text(record.get("Description"))
        lead_text = _text(record.get("Leads"))
        codes = [c for c in re.split(r"[,;/\s]+", lead_text) if c]
        _check_leads(action_sheet, codes, all_codes, row=row, column="Leads")
        action_due = _date(action_sheet, record.get("Action due"), row=row, column="Action due")
        action = actions.get(a_number)
        if action is None:
            if not description:
                action_sheet.error(
                    f"action {a_number} has no Description.", row=row, column="Description"
                )
            action = actions[a_number] = {
                "row": row,
                "description": description,
                "who": _text(record.get("Who"))[:200],
                "when": _text(record.get("When"))[:200],
                "due_date": action_due,
                "lead_codes": codes or None,
                "milestones": [],
            }
        elif description and description != action["description"]:
            action_sheet.error(
                f"action {a_number} is described differently from row {action['row']}: "
                "every row of an action must repeat its description or leave it blank.",
                row=row,
                column="Description",
            )
        milestone = _text(record.get("Milestone"))
        milestone_lead = _text(record.get("Milestone lead"))
        milestone_due = _date(
            action_sheet, record.get("Milestone due"), row=row, column="Milestone due"
        )
        if milestone_lead:
            _check_leads(
                action_sheet, [milestone_lead], all_codes, row=row, column="Milestone lead"
            )
        if not milestone:
            if milestone_lead or milestone_due:
                action_sheet.error(
                    "a milestone lead or due date is given but the Milestone is blank.",
                    row=row,
                    column="Milestone",
                )
            continue
        action["milestones"].append(
            {"title": milestone, "lead": milestone_lead or None, "due_date": milestone_due}
        )

    # --- Success measures
    measures: list[dict] = []
    if measure_sheet is not None:
        from outcomes.models import Measure

        measure_ids = dict(Measure.objects.values_list("code", "pk"))
        for row, record in measure_sheet.rows:
            p_text = _text(record.get("Priority"))
            p_number = (
                _int(measure_sheet, p_text, row=row, column="Priority", low=1, high=999)
                if p_text
                else None
            )
            if p_number is not None:
                _priority_listed(measure_sheet, p_number, priorities, row=row)
            area, description = _text(record.get("Area")), _text(record.get("Description"))
            if not area:
                measure_sheet.error("the Area is blank.", row=row, column="Area")
            if not description:
                measure_sheet.error("the Description is blank.", row=row, column="Description")
            code = _text(record.get("Measure code"))
            if code and code not in measure_ids:
                measure_sheet.error(
                    f"there is no outcome measure with the code '{code}'.",
                    row=row,
                    column="Measure code",
                )
            measures.append(
                {
                    "priority": p_number,
                    "area": area[:100],
                    "description": description,
                    "measure_id": measure_ids.get(code),
                    "pupil_group": _text(record.get("Pupil group")) or "all",
                    "target_text": _text(record.get("Target"))[:200],
                    "target_date": _date(
                        measure_sheet, record.get("Target date"), row=row, column="Target date"
                    ),
                }
            )
    errors.raise_if_any()
    return {"plan": plan, "leads": leads, "priorities": priorities, "measures": measures}


@register_importer(KIND, "Action plan workbook (XLSX)")
def import_plan_workbook(path: str, *, progress, **options) -> dict:
    """Create a plan from the workbook (the caller holds the one transaction)."""
    data = read_plan_workbook(path)
    try:
        return _create_plan(data, progress)
    except ValidationError as exc:
        # A value the checks above let through but a model refuses (e.g. a lead role's title
        # longer than 200 characters): reject the file naming the field, never a 500.
        raise ImportRejected(
            [
                RowError(f"A value cannot be stored: {field}: {message}")
                for field, messages in (
                    exc.message_dict if hasattr(exc, "error_dict") else {"value": exc.messages}
                ).items()
                for message in messages
            ]
        ) from None


def _create_plan(data: dict, progress) -> dict:
    counts = {"plans": 1, "lead roles": 0, "priorities": 0, "actions": 0, "milestones": 0}
    for code, lead in data["leads"].items():
        role = services.lead_role_upsert(code=code, title=lead["title"])
        if lead["holders"]:
            role.holders.add(*lead["holders"])
        counts["lead roles"] += 1
    spec = data["plan"]
    plan = services.plan_create(**spec)
    roles = {lr.code: lr for lr in LeadRole.objects.all()}
    priority_objects = {}
    rows = 0
    for number, p in sorted(data["priorities"].items()):
        priority = services.priority_create(
            plan=plan,
            number=number,
            title=p["title"],
            ofsted_areas=p["ofsted_areas"],
            success_looks_like=p["success_looks_like"],
        )
        priority_objects[number] = priority
        counts["priorities"] += 1
        for a_number, a in p["actions"].items():
            action = services.action_create(
                priority=priority,
                number=a_number,
                description=a["description"],
                who=a["who"],
                when=a["when"],
                due_date=a["due_date"],
                lead_codes=a["lead_codes"],
            )
            counts["actions"] += 1
            for order, m in enumerate(a["milestones"], start=1):
                services.milestone_create(
                    action=action,
                    title=m["title"],
                    order=order,
                    due_date=m["due_date"],
                    lead=roles.get(m["lead"]) if m["lead"] else None,
                )
                counts["milestones"] += 1
                rows += 1
                progress(rows)
    for order, m in enumerate(data["measures"], start=1):
        from outcomes.models import Measure

        services.success_measure_create(
            plan=plan,
            order=order,
            priority=priority_objects.get(m["priority"]),
            area=m["area"],
            description=m["description"],
            measure=Measure.objects.get(pk=m["measure_id"]) if m["measure_id"] else None,
            pupil_group=m["pupil_group"],
            target_text=m["target_text"],
            target_date=m["target_date"],
        )
    counts["success measures"] = len(data["measures"])
    services.milestone_rag_recompute(plan=plan)
    counts["rows"] = rows
    return counts
