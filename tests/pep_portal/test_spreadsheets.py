"""Exports never let a spreadsheet run a cell as a formula."""

import io

import pytest
from openpyxl import load_workbook

from pep_portal.platform.spreadsheets import csv_response, escape_formula, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+44 23 9268 8000", "'+44 23 9268 8000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Harbour Primary", "Harbour Primary"),
        ("", ""),
        (-1.7, -1.7),
        (42, 42),
        (None, None),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


def test_csv_export_escapes_formula_cells_and_keeps_numbers():
    response = csv_response("x.csv", ["name", "gap"], [["=cmd|' /C calc'!A0", -5.4]])
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == ["name,gap", "'=cmd|' /C calc'!A0,-5.4"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_export_stores_formula_text_as_text():
    data = xlsx_bytes({"Plan": (["name", "gap"], [["=1+1", -5.4], ["@evil", 3]])})
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5.4
    assert sheet["A3"].value == "'@evil"
