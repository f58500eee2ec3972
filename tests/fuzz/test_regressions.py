"""Files the fuzzer found that crashed an importer instead of naming the bad cell.

Each is now rejected whole with the row and column named, and nothing written. The same
bytes are replayed as @example cases by test_importers_fuzz.py.
"""

import pytest

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority, School, StatisticalNeighbour

pytestmark = pytest.mark.django_db

GIAS_HEADER = (
    b"URN,LA (code),EstablishmentName,TypeOfEstablishment (name),"
    b"EstablishmentStatus (name),PhaseOfEducation (name)\n"
)

# (kind, file bytes, row, column, words in the message)
CASES = [
    # int() took '-1' as an LA number; creating the LA then failed validation (a 500).
    (
        "ks2_performance_tables",
        b"RECTYPE,LEA,URN,TELIG,PTRWM_EXP\n3,-1,,10,50%\n",
        2,
        "LEA",
        "'-1' is not an LA number",
    ),
    # '1e309' parsed as infinity; int(inf) raised OverflowError.
    (
        "ks4_performance_tables",
        b"RECTYPE,LEA,URN,TPUP,ATT8SCR\n4,851,,1e309,44.8\n",
        2,
        "TPUP",
        "'1e309' is not a number",
    ),
    (
        "template",
        b"measure_code,area_type,area_code,academic_year,value,cohort\n"
        b"ks2_rwm_exp,la,851,2016,50,1e309\n",
        2,
        "cohort",
        "'1e309' is not a number",
    ),
    # '²'.isdigit() is true but int('²') raises ValueError.
    (
        "template",
        b"measure_code,area_type,area_code,academic_year,value\nks2_rwm_exp,la,\xc2\xb2,2016,50\n",
        2,
        "area_code",
        "is not the number of an LA",
    ),
    (
        "lait",
        b"Short Desc,Data item,Years,LA and Regions,Values,LA Number\n"
        b"KS2RWM_Expected_STD,x,2016,Portsmouth,53,\xc2\xb2\n",
        2,
        "LA Number",
        "is not an LA number",
    ),
    # A 4,301-digit number: int() refuses strings that long (ValueError, not a row error).
    (
        "statistical_neighbours",
        b"LA num,LA Name,SN1\n" + b"9" * 4301 + b",Portsmouth,852\n",
        2,
        "LA num",
        "is not an LA number",
    ),
    (
        "ofsted",
        b"URN,Inspection date\n\xc2\xb25,12-03-2019\n",
        2,
        "URN",
        "is not a whole number",
    ),
    (
        "gias",
        GIAS_HEADER + b"\xc2\xb25,851,Harbour School,Community school,Open,Primary\n",
        2,
        "URN",
        "is not a whole number",
    ),
]


@pytest.mark.parametrize(("kind", "data", "row", "column", "words"), CASES)
def test_fuzzer_findings_are_row_and_column_errors_with_nothing_written(
    kind, data, row, column, words, tmp_path
):
    path = tmp_path / "2016_upload.csv"
    path.write_bytes(data)
    counts = (
        LocalAuthority.objects.count(),
        School.objects.count(),
        StatisticalNeighbour.objects.count(),
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(kind=kind, path=str(path))
    matching = [e for e in caught.value.errors if e.row == row and e.column == column]
    assert matching, caught.value.errors
    assert words in matching[0].message
    assert (
        LocalAuthority.objects.count(),
        School.objects.count(),
        StatisticalNeighbour.objects.count(),
    ) == counts


def test_a_cohort_beyond_every_pupil_in_england_is_refused(tmp_path):
    path = tmp_path / "2016_template.csv"
    path.write_text(
        "measure_code,area_type,area_code,academic_year,value,cohort\n"
        "ks2_rwm_exp,national,,2016,50,100000000000000000000\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(kind="template", path=str(path))
    assert any(e.column == "cohort" and e.row == 2 for e in caught.value.errors)


def _plan_workbook(tmp_path, change) -> str:
    from openpyxl import load_workbook

    from .strategies import XLSX_SAMPLE

    wb = load_workbook(XLSX_SAMPLE)
    change(wb)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return str(path)


def _plan_counts():
    from actionplan.models import LeadRole, Plan

    return Plan.objects.count(), LeadRole.objects.count()


def test_an_infinite_priority_number_is_a_cell_error(tmp_path):
    def change(wb):
        wb["Priorities"].cell(row=2, column=1, value="1e309")

    path = _plan_workbook(tmp_path, change)
    before = _plan_counts()
    with pytest.raises(ImportRejected) as caught:
        import_file(kind="actionplan_xlsx", path=path)
    assert any(
        e.row == 2 and e.column == "Priority" and "not a whole number" in e.message
        for e in caught.value.errors
    ), caught.value.errors
    assert _plan_counts() == before


def test_a_lead_role_title_too_long_to_store_is_named_not_a_crash(tmp_path):
    def change(wb):
        wb["Plan"].cell(row=2, column=2, value="A plan nobody has imported yet")
        wb["Lead roles"].cell(row=2, column=2, value="T" * 1000)

    path = _plan_workbook(tmp_path, change)
    before = _plan_counts()
    with pytest.raises(ImportRejected) as caught:
        import_file(kind="actionplan_xlsx", path=path)
    assert any(
        "title" in e.message and "at most 200 characters" in e.message for e in caught.value.errors
    ), caught.value.errors
    assert _plan_counts() == before
