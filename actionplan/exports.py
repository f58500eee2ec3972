"""CSV and XLSX of the whole plan with its current status (the import reads the same layout).

Every cell goes through ``escape_formula`` (text beginning with =, +, -, @, tab or carriage
return is prefixed with an apostrophe) so a spreadsheet never runs plan text as a formula.
That function is the portal's shared one in ``pep_portal.platform.spreadsheets``; it is re-exported
here under the same name.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from pep_portal.platform.spreadsheets import (
    XLSX_CONTENT_TYPE,
    csv_response,
    escape_formula,
    xlsx_bytes,
)

from . import rag as ragmod
from . import selectors
from .models import Plan, StatusChoices

__all__ = [
    "ACTION_COLUMNS",
    "escape_formula",
    "plan_csv_response",
    "plan_sheets",
    "plan_xlsx_response",
]

SHEET_PLAN = "Plan"
SHEET_LEADS = "Lead roles"
SHEET_PRIORITIES = "Priorities"
SHEET_ACTIONS = "Actions and milestones"
SHEET_MEASURES = "Success measures"
SHEET_DEFINITIONS = "RAG definitions"

PLAN_FIELDS = ["Title", "Period", "Published", "Current", "Amber window (days)", "Introduction"]
LEAD_COLUMNS = ["Code", "Title", "Holders"]
PRIORITY_COLUMNS = ["Priority", "Title", "Ofsted areas", "What success will look like", "RAG"]
# The columns up to "Milestone due" describe the plan (the import reads them); the rest
# report its current status (export only).
ACTION_COLUMNS = [
    "Priority",
    "Action",
    "Description",
    "Who",
    "Leads",
    "When",
    "Action due",
    "Milestone",
    "Milestone lead",
    "Milestone due",
    "Status",
    "Progress %",
    "Computed RAG",
    "Override RAG",
    "Override reason",
    "RAG",
    "Overdue",
    "Completed on",
    "Last update",
]
MEASURE_COLUMNS = [
    "Priority",
    "Area",
    "Description",
    "Measure code",
    "Pupil group",
    "Target",
    "Target date",
    "Figure",
    "Figure year",
    "National",
]


def _label(rag: str) -> str:
    return ragmod.Rag(rag).label if rag else ""


def _status_label(status: str) -> str:
    return StatusChoices(status).label if status else ""


def action_rows(*, user, plan: Plan, today: dt.date | None = None) -> list[list]:
    board = selectors.plan_board(user=user, plan=plan, today=today)
    rows = []
    for p in board["priorities"]:
        for a in p["actions"]:
            action = a["action"]
            base = [
                p["priority"].number,
                action.number,
                action.description,
                action.who,
                ", ".join(lr.code for lr in action.leads.all()),
                action.when,
                action.due_date,
            ]
            if not a["milestones"]:
                rows.append(base + [""] * (len(ACTION_COLUMNS) - len(base)))
                continue
            for m in a["milestones"]:
                rows.append(
                    base
                    + [
                        m.title,
                        m.lead.code if m.lead_id else "",
                        m.due_date,
                        _status_label(m.status),
                        m.progress,
                        _label(m.computed_rag),
                        _label(m.rag_override),
                        m.override_reason,
                        _label(m.rag),
                        "Yes" if m.is_overdue else "No",
                        m.completed_on,
                        m.last_updated_at.date() if m.last_updated_at else None,
                    ]
                )
    return rows


def plan_sheets(*, user, plan: Plan, today: dt.date | None = None) -> dict:
    """Every sheet of the workbook: {title: (header, rows)}."""
    # Who holds each role (their email addresses) is for officers only.
    show_holders = user.has_perm("actionplan.import_plan")
    leads = [
        [lr.code, lr.title, "; ".join(u.email for u in lr.holders.all()) if show_holders else ""]
        for lr in selectors.lead_role_list(user=user)
    ]
    priorities = [
        [p.number, p.title, p.ofsted_areas, p.success_looks_like, _label(p.rag)]
        for p in plan.priorities.order_by("number")
    ]
    measures = [
        [
            r["success_measure"].priority.number if r["success_measure"].priority_id else None,
            r["success_measure"].area,
            r["success_measure"].description,
            r["success_measure"].measure.code if r["success_measure"].measure_id else "",
            r["success_measure"].pupil_group,
            r["success_measure"].target_text,
            r["success_measure"].target_date,
            r["figure"],
            r["figure_year"],
            r["national"],
        ]
        for r in selectors.success_measure_rows(user=user, plan=plan)
    ]
    definitions = [
        [d["label"], d["definition"]] for d in ragmod.rag_definitions(plan.amber_window_days)
    ]
    return {
        SHEET_PLAN: (
            ["Field", "Value"],
            [
                ["Title", plan.title],
                ["Period", plan.period],
                ["Published", plan.published_on],
                ["Current", "Yes" if plan.is_current else "No"],
                ["Amber window (days)", plan.amber_window_days],
                ["Introduction", plan.introduction],
            ],
        ),
        SHEET_LEADS: (LEAD_COLUMNS, leads),
        SHEET_PRIORITIES: (PRIORITY_COLUMNS, priorities),
        SHEET_ACTIONS: (ACTION_COLUMNS, action_rows(user=user, plan=plan, today=today)),
        SHEET_MEASURES: (MEASURE_COLUMNS, measures),
        SHEET_DEFINITIONS: (["RAG", "Definition"], definitions),
    }


def _filename(plan: Plan, ext: str) -> str:
    return f"action-plan-{slugify(plan.title)[:60] or plan.pk}.{ext}"


def plan_csv_response(*, user, plan: Plan) -> StreamingHttpResponse:
    """The actions and milestones table with each milestone's current status."""
    header = ["Priority title", *ACTION_COLUMNS]
    titles = {p.number: p.title for p in plan.priorities.all()}
    rows = [[titles.get(r[0], ""), *r] for r in action_rows(user=user, plan=plan)]
    return csv_response(_filename(plan, "csv"), header, rows)


def plan_xlsx_response(*, user, plan: Plan) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(plan_sheets(user=user, plan=plan)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "xlsx")}"'
    return response
