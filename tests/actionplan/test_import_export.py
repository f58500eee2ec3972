"""Exports are formula-injection safe; the import reads the same layout, all-or-nothing."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actionplan import services
from actionplan.exports import escape_formula
from actionplan.importers import KIND
from actionplan.models import Action, LeadRole, Milestone, Plan, Priority
from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_file

from .factories import MilestoneFactory
from .xlsx import ACTION_HEADER, default_sheets, write_workbook

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "action_plan_sample.xlsx"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 23 9282 2251", "'+44 23 9282 2251"),
        ("-2 points", "'-2 points"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain text", "Plain text"),
        (-1.7, -1.7),
        (None, None),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


@pytest.fixture
def dangerous(action, officer, today):
    action.description = "=cmd|' /C calc'!A0"
    action.save()
    m = MilestoneFactory(action=action, title="@SUM(1+1)", due_date=today - dt.timedelta(days=1))
    services.milestone_update_record(
        milestone=m,
        author=officer,
        status="on_track",
        progress=50,
        note="n",
        rag_override="amber",
        override_reason="+ agreed by the board",
    )
    return m


def test_csv_export_has_every_milestone_with_status_and_escapes_formulas(client_as, dangerous):
    response = client_as("board_member").get(reverse("actionplan:export_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Priority title", "Priority", "Action"]
    row = dict(zip(header, body[0], strict=True))
    assert row["Description"] == "'=cmd|' /C calc'!A0"
    assert row["Milestone"] == "'@SUM(1+1)"
    assert row["Override reason"] == "'+ agreed by the board"
    assert row["Status"] == "On track"
    assert row["Computed RAG"] == "Red" and row["RAG"] == "Amber"
    assert row["Overdue"] == "Yes"


def test_xlsx_export_has_no_formula_cells(client_as, dangerous, tmp_path):
    response = client_as("officer").get(reverse("actionplan:export_xlsx"))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Plan",
        "Lead roles",
        "Priorities",
        "Actions and milestones",
        "Success measures",
        "RAG definitions",
    ]
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    sheet = workbook["Actions and milestones"]
    values = [c.value for c in sheet[2]]
    assert "'=cmd|' /C calc'!A0" in values
    assert "'@SUM(1+1)" in values


def test_lead_role_holders_are_exported_only_to_officers(client_as, lead, milestone, tmp_path):
    def holders(role):
        path = tmp_path / f"{role}.xlsx"
        path.write_bytes(client_as(role).get(reverse("actionplan:export_xlsx")).content)
        sheet = load_workbook(path)["Lead roles"]
        return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert holders("officer") == ["hsi@example.org"]
    assert holders("head") == [None]


def test_import_of_the_sample_workbook(db):
    summary = import_file(kind=KIND, path=str(SAMPLE))
    plan = Plan.objects.get(title="Portsmouth action plan sample")
    assert summary["priorities"] == 2 and summary["actions"] == 3 and summary["milestones"] == 3
    assert plan.amber_window_days == 21 and plan.period == "2017/18"
    assert plan.published_on == dt.date(2017, 6, 1)
    assert not plan.is_current
    assert list(plan.priorities.values_list("number", flat=True)) == [1, 8]
    assert plan.priorities.get(number=1).success_statements == [
        "Schools support each other",
        "Clear roles",
    ]
    a11 = Action.objects.get(priority__plan=plan, number="1.1")
    assert [lr.code for lr in a11.leads.all()] == ["HSI"]
    assert a11.due_date == dt.date(2016, 9, 30)
    assert list(a11.milestones.values_list("title", "due_date", "lead__code")) == [
        ("Consultation with heads", dt.date(2016, 6, 30), None),
        ("Terms of reference in place", dt.date(2016, 9, 30), "PCM"),
    ]
    assert Action.objects.get(priority__plan=plan, number="1.2").milestones.count() == 0
    # The export's escaping is undone on import.
    assert Action.objects.get(number="8.1").description == "=Careers strategy (escaped)"
    # Leads parsed from Who when the Leads cell is blank.
    assert [lr.code for lr in Action.objects.get(number="1.2").leads.all()] == ["HSI"]
    # RAG computed at once.
    assert Milestone.objects.get(title="Consultation with heads").computed_rag == "red"
    assert plan.success_measures.get().target_text == "Top 50% of LAs"


def test_export_then_import_round_trips_the_plan(client_as, milestone, dangerous, tmp_path):
    content = client_as("officer").get(reverse("actionplan:export_xlsx")).content
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    workbook = load_workbook(path)
    workbook["Plan"]["B2"] = "Copy of the plan"
    workbook.save(path)
    import_file(kind=KIND, path=str(path))
    copy = Plan.objects.get(title="Copy of the plan")
    original = milestone.action.priority.plan
    assert copy.is_current and not Plan.objects.get(pk=original.pk).is_current

    def shape(plan):
        return sorted(
            Milestone.objects.filter(action__priority__plan=plan).values_list(
                "action__number", "action__description", "title", "due_date"
            )
        )

    assert shape(copy) == shape(original)


def _import(tmp_path, sheets):
    path = write_workbook(tmp_path / "plan.xlsx", sheets)
    with pytest.raises(ImportRejected) as exc:
        import_file(kind=KIND, path=str(path))
    return exc.value.errors


def _counts():
    return (
        Plan.objects.count(),
        Priority.objects.count(),
        Action.objects.count(),
        Milestone.objects.count(),
        LeadRole.objects.count(),
    )


def test_every_problem_is_reported_with_row_and_column_and_nothing_is_written(tmp_path):
    sheets = default_sheets()
    sheets["Priorities"].append([1, "Duplicate priority", "", "", ""])
    sheets["Actions and milestones"] += [
        [1, "1.x", "Bad number", "", "", "", "", "", "", "", ""],
        [3, "3.1", "Priority not listed", "", "", "", "", "", "", "", ""],
        [1, "2.1", "Wrong priority", "", "", "", "", "", "", "", ""],
        [1, "1.3", "Bad date", "", "", "", "31/31/2016", "m", "", "", ""],
        [1, "1.4", "Unknown lead", "", "XYZ", "", "", "m", "", "", ""],
        [1, "1.1", "A different description", "", "", "", "", "m2", "", "", ""],
        [1, "1.5", "", "", "", "", "", "m", "", "", ""],
        [1, "1.6", "Unknown milestone lead", "", "", "", "", "m", "QQ", "", ""],
    ]
    sheets["Success measures"].append([9, "KS2", "Priority not listed", "", "", "", ""])
    measure_row = len(sheets["Success measures"])
    before = _counts()
    errors = _import(tmp_path, sheets)
    found = {(e.row, e.column): e.message for e in errors}
    assert "listed twice" in found[(4, "Priority")]
    assert "'1.x' is not an action number" in found[(6, "Action")]
    assert "priority 3 is not on the 'Priorities' sheet" in found[(7, "Priority")]
    assert "does not belong to priority 1" in found[(8, "Action")]
    assert "'31/31/2016' is not a date" in found[(9, "Action due")]
    assert "'XYZ' is not a lead role" in found[(10, "Leads")]
    assert "described differently from row 2" in found[(11, "Description")]
    assert "action 1.5 has no Description" in found[(12, "Description")]
    assert "'QQ' is not a lead role" in found[(13, "Milestone lead")]
    on_measures = {
        (e.row, e.column): e.message for e in errors if "sheet 'Success measures'" in e.message
    }
    assert on_measures[(measure_row, "Priority")] == (
        "On sheet 'Success measures': priority 9 is not on the 'Priorities' sheet."
    )
    assert all(e.message.startswith("On sheet '") for e in errors)
    assert _counts() == before


def test_a_missing_sheet_or_column_is_named(tmp_path):
    sheets = default_sheets()
    del sheets["Priorities"]
    sheets["Actions and milestones"][0] = [h for h in ACTION_HEADER if h != "Milestone due"]
    messages = [e.message for e in _import(tmp_path, sheets)]
    assert any("no sheet called 'Priorities'" in m for m in messages)
    assert any("missing the column(s) 'Milestone due'" in m for m in messages)


def test_a_sheet_repeating_a_column_is_refused_naming_the_sheet_and_nothing_is_written(tmp_path):
    # Without the check the last of two headings won: the plan was imported from whichever
    # "Ofsted areas" column came last, and "Who" from the second of two.
    sheets = default_sheets()
    for row in sheets["Priorities"]:
        row.append("Ofsted areas" if row[0] == "Priority" else "4")
    for row in sheets["Actions and milestones"]:
        row.append("Who" if row[0] == "Priority" else "")
    before = _counts()

    errors = _import(tmp_path, sheets)

    assert [(e.row, e.message) for e in errors] == [
        (
            1,
            "On sheet 'Priorities': The header repeats the column(s) 'Ofsted areas': "
            "give each column once.",
        ),
        (
            1,
            "On sheet 'Actions and milestones': The header repeats the column(s) 'Who': "
            "give each column once.",
        ),
    ]
    assert _counts() == before


def test_a_plan_title_already_in_use_is_refused(tmp_path, plan):
    sheets = default_sheets()
    sheets["Plan"][1][1] = plan.title
    errors = _import(tmp_path, sheets)
    assert errors[0].row == 2 and errors[0].column == "Value"
    assert "already a plan called 'Ofsted action plan'" in errors[0].message


def test_an_unknown_holder_email_is_refused(tmp_path):
    sheets = default_sheets()
    sheets["Lead roles"][1][2] = "nobody@example.org"
    errors = _import(tmp_path, sheets)
    assert (errors[0].row, errors[0].column) == (2, "Holders")
    assert "no portal user with the email address nobody@example.org" in errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Priority,Title\n1,Collaborate\n")
    with pytest.raises(ImportRejected) as exc:
        import_file(kind=KIND, path=str(path))
    assert "not an XLSX workbook" in str(exc.value)


def test_upload_through_the_page_runs_an_import_job(client_as, django_capture_on_commit_callbacks):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actionplan:import"),
            {"file": SimpleUploadedFile("plan.xlsx", SAMPLE.read_bytes())},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Plan.objects.filter(title="Portsmouth action plan sample").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page


def test_a_rejected_upload_shows_row_errors_on_the_job_page(
    client_as, tmp_path, django_capture_on_commit_callbacks
):
    sheets = default_sheets()
    sheets["Actions and milestones"].append([1, "1.9", "x", "", "", "", "soon", "", "", "", ""])
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actionplan:import"),
            {"file": SimpleUploadedFile("bad.xlsx", path.read_bytes())},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Row 6, column “Action due”" in page
    assert not Plan.objects.exists()
