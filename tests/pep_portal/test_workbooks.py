"""The one spreadsheet reader (pep_portal/imports/workbooks.py)."""

import zipfile

import pytest
from openpyxl import Workbook

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.workbooks import cell_text, is_xlsx, sheet_rows


def _workbook(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return str(path)


def test_cells_read_as_a_csv_of_the_sheet_would_hold_them():
    assert cell_text(None) == ""
    assert cell_text(851.0) == "851"
    assert cell_text(47.5) == "47.5"
    assert cell_text("Café") == "Café"


def test_the_first_sheet_is_read_row_by_row_from_row_one(tmp_path):
    path = _workbook(tmp_path / "la.xlsx", [["LA num", "LA Name"], [851, "Portsmouth"]])
    assert is_xlsx(path)
    assert list(sheet_rows(path)) == [(1, ["LA num", "LA Name"]), (2, [851, "Portsmouth"])]


def test_a_zip_that_is_not_a_workbook_is_refused_with_the_callers_words(tmp_path):
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with pytest.raises(ImportRejected) as refused:
        list(sheet_rows(str(path), not_a_workbook="Save the plan as .xlsx."))
    assert [e.message for e in refused.value.errors] == ["Save the plan as .xlsx."]


def test_a_csv_is_not_taken_for_a_workbook(tmp_path):
    path = tmp_path / "la.csv"
    path.write_text("LA num,LA Name\n851,Portsmouth\n")
    assert not is_xlsx(str(path))
