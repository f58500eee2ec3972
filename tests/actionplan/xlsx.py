"""Build small action-plan workbooks for the import tests (the export's layout)."""

from pathlib import Path

from openpyxl import Workbook

PLAN = [
    ["Field", "Value"],
    ["Title", "Imported plan"],
    ["Period", "2017/18"],
    ["Published", "2017-06-01"],
    ["Current", "No"],
    ["Amber window (days)", 21],
]
LEADS = [
    ["Code", "Title", "Holders"],
    ["HSI", "Head of School Improvement", ""],
    ["PCM", "Post-16 Commissioning Manager", ""],
]
PRIORITIES = [
    ["Priority", "Title", "Ofsted areas", "What success will look like", "RAG"],
    [1, "Collaborate", "2 & 3", "Schools support each other\nClear roles", ""],
    [8, "Post-16 outcomes", "1", "", ""],
]
ACTION_HEADER = [
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
]
ACTIONS = [
    ACTION_HEADER,
    [
        1,
        "1.1",
        "Establish the partnership",
        "DCS / HSI",
        "HSI",
        "By Sept 2016",
        "2016-09-30",
        "Consultation with heads",
        "",
        "30/06/2016",
        "Complete",
    ],
    [1, "1.1", "", "", "", "", "", "Terms of reference in place", "PCM", "2016-09-30", ""],
    [1, "1.2", "Peer review", "HSI", "", "From Jan 2017", "", "", "", "", ""],
    [
        8,
        "8.1",
        "'=Careers strategy (escaped)",
        "PCM EGM",
        "PCM",
        "2016/17",
        "",
        "Careers strategy published",
        "",
        "2017-07-31",
        "",
    ],
]
MEASURES = [
    ["Priority", "Area", "Description", "Measure code", "Pupil group", "Target", "Target date"],
    [8, "Participation", "Up 5 points", "", "all", "Top 50% of LAs", "2018-09-30"],
]


def write_workbook(path: Path, sheets: dict) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def default_sheets() -> dict:
    return {
        "Plan": [list(r) for r in PLAN],
        "Lead roles": [list(r) for r in LEADS],
        "Priorities": [list(r) for r in PRIORITIES],
        "Actions and milestones": [list(r) for r in ACTIONS],
        "Success measures": [list(r) for r in MEASURES],
    }
