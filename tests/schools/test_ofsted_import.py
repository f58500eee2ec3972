"""The Ofsted inspections importer: graded, ungraded and report-card inspections."""

import datetime as dt

import pytest

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.models import OfstedInspection

from .conftest import FIXTURES, FULL, OFSTED, OFSTED_TITLED, register_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    import_file(kind="gias", path=str(FULL))


def ofsted(path):
    return import_file(kind="ofsted", path=str(path))


def test_inspections_are_imported_keeping_history_and_never_inventing_a_grade(register):
    summary = ofsted(OFSTED)

    # 7 rows: 3 new; 3 already known from the GIAS file (same school and day), of which one
    # gains its publication date; 1 URN not in the register.
    assert summary["rows"] == 7
    assert summary["created"] == 3
    assert summary["updated"] == 1
    assert summary["unchanged"] == 2
    assert summary["skipped (URN not in the register)"] == 1
    history = list(OfstedInspection.objects.filter(school__urn=116001).order_by("-inspection_date"))
    assert [i.inspection_date for i in history] == [
        dt.date(2025, 11, 18),
        dt.date(2019, 3, 12),
        dt.date(2014, 5, 9),
    ]
    card, graded, older = history
    assert card.framework == "report_card"
    assert card.overall_effectiveness is None
    assert card.area_grades["Curriculum and teaching"] == "Strong standard"
    assert card.area_grades["Safeguarding"] == "Met"
    assert card.publication_date == dt.date(2025, 12, 10)
    assert card.is_good_or_better is None
    assert graded.overall_effectiveness == 2 and graded.is_good_or_better is True
    assert older.overall_effectiveness == 3 and older.is_good_or_better is False
    ungraded = OfstedInspection.objects.get(
        school__urn=116002, inspection_date=dt.date(2025, 1, 14)
    )
    assert ungraded.framework == "ungraded" and ungraded.overall_effectiveness is None


def test_grades_as_words_are_read(register):
    ofsted(OFSTED)
    assert OfstedInspection.objects.get(school__urn=140001).overall_effectiveness == 1


def test_importing_the_same_ofsted_file_twice_changes_nothing(register):
    ofsted(OFSTED)
    before = register_counts()

    summary = ofsted(OFSTED)

    assert summary["created"] == 0 and summary["updated"] == 0
    assert summary["unchanged"] == 6
    assert register_counts() == before


def test_a_corrected_grade_updates_the_inspection(register, tmp_path):
    ofsted(OFSTED)
    path = tmp_path / "corrected.csv"
    path.write_text("URN,Inspection date,Overall effectiveness\n116001,09-05-2014,2\n")

    summary = ofsted(path)

    assert summary["updated"] == 1
    older = OfstedInspection.objects.get(school__urn=116001, inspection_date=dt.date(2014, 5, 9))
    assert older.overall_effectiveness == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("URN,Overall effectiveness\n116001,2\n", "missing the column(s) 'Inspection date'"),
        (
            "URN,Inspection date,Overall effectiveness\n116001,12-03-2019,5\n",
            "row 2, column 'Overall effectiveness': '5' is not an Ofsted overall effectiveness",
        ),
        (
            "URN,Inspection date,Overall effectiveness\n116001,2019-13-45,2\n",
            "row 2, column 'Inspection date': '2019-13-45' is not a date",
        ),
        (
            "URN,Inspection date,Overall effectiveness\nabc,12-03-2019,2\n",
            "row 2, column 'URN': 'abc' is not a whole number.",
        ),
        (
            "URN,Inspection date,Overall effectiveness\n116001,12-03-2019,2\n116001,12-03-2019,3\n",
            "row 3, column 'URN': The inspection of URN 116001 on 12-03-2019 appears twice: "
            "rows 2 and 3.",
        ),
    ],
    ids=["missing-column", "bad-grade", "bad-date", "bad-urn", "duplicate"],
)
def test_bad_ofsted_files_are_rejected_and_write_nothing(register, tmp_path, text, expected):
    before = register_counts()
    path = tmp_path / "ofsted.csv"
    path.write_text(text)

    with pytest.raises(ImportRejected) as exc:
        ofsted(path)

    assert expected in str(exc.value.errors[0])
    assert register_counts() == before


def test_an_ofsted_file_repeating_a_column_is_refused_and_writes_nothing(register):
    # Two "Overall effectiveness" columns that disagree: which grade is the school's?
    before = register_counts()

    with pytest.raises(ImportRejected) as exc:
        ofsted(FIXTURES / "ofsted_repeated_column.csv")

    assert [(e.row, e.message) for e in exc.value.errors] == [
        (1, "The header repeats the column(s) 'Overall effectiveness': give each column once.")
    ]
    assert register_counts() == before


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (
            "URN,Inspection date,Inspection start date,Overall effectiveness",
            "116001,12-03-2019,13-03-2019,2",
            "The columns 'Inspection date' and 'Inspection start date' both give the "
            "inspection date: keep one of them.",
        ),
        (
            "URN,urn,Inspection date,Overall effectiveness",
            "116001,116002,12-03-2019,2",
            "The columns 'URN' and 'urn' both give the URN: keep one of them.",
        ),
        (
            "URN,Inspection date,Overall effectiveness,Ofsted rating",
            "116001,12-03-2019,2,Good",
            "The columns 'Overall effectiveness' and 'Ofsted rating' both give the overall "
            "effectiveness: keep one of them.",
        ),
        (
            "URN,Inspection date,Early years,Early years (where applicable)",
            "116001,18-11-2025,Strong standard,Expected standard",
            "The columns 'Early years' and 'Early years (where applicable)' both give the "
            "'Early years' grade: keep one of them.",
        ),
    ],
    ids=["date", "urn", "grade", "area"],
)
def test_an_ofsted_file_with_two_columns_for_one_role_is_refused_naming_both(
    register, tmp_path, header, row, expected
):
    # Which of the two is the school's? Using the first silently would be a guess.
    before = register_counts()
    path = tmp_path / "ofsted.csv"
    path.write_text(f"{header}\n{row}\n")

    with pytest.raises(ImportRejected) as exc:
        ofsted(path)

    assert [(e.row, e.message) for e in exc.value.errors] == [(1, expected)]
    assert register_counts() == before


def test_title_lines_above_the_header_are_skipped_and_the_report_says_where_it_was(register):
    # Ofsted's management-information files can open with a title (and a source line) above
    # the header: the header is found (the first line with a URN column, within 10 lines).
    summary = ofsted(OFSTED_TITLED)

    assert summary["header read from line"] == 3
    assert summary["rows"] == 7
    assert summary["created"] == 3
    assert OfstedInspection.objects.get(school__urn=140001).overall_effectiveness == 1
    # The same file without the title lines: the same inspections, and no header note.
    assert "header read from line" not in ofsted(OFSTED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Latest inspections\nURN,Inspection date,Overall effectiveness\n116001,12-03-2019,5\n",
            (3, "Overall effectiveness"),
        ),
        (
            "Latest inspections\n\nURN,Inspection date,Overall effectiveness\n"
            "116001,12-03-2019,2\n116001,12-03-2019,3\n",
            (5, "URN"),
        ),
        ("Latest inspections\nURN,Inspection date,Overall effectiveness\n", (3, None)),
        ("Latest inspections\nURN,urn,Inspection date\n116001,116001,12-03-2019\n", (2, None)),
        ("Latest inspections\nURN,URN,Inspection date\n116001,116001,12-03-2019\n", (2, None)),
    ],
    ids=["bad-grade", "duplicate", "no-rows", "two-urn-columns", "repeated-column"],
)
def test_messages_after_title_lines_give_the_files_own_line_numbers(
    register, tmp_path, text, expected
):
    before = register_counts()
    path = tmp_path / "ofsted.csv"
    path.write_text(text)

    with pytest.raises(ImportRejected) as exc:
        ofsted(path)

    assert (exc.value.errors[0].row, exc.value.errors[0].column) == expected
    assert register_counts() == before


def test_a_header_further_down_than_line_10_is_not_looked_for(register, tmp_path):
    path = tmp_path / "ofsted.csv"
    path.write_text("Notes\n" * 10 + "URN,Inspection date\n116001,12-03-2019\n")

    with pytest.raises(ImportRejected) as exc:
        ofsted(path)

    assert exc.value.errors[0].row == 1
    assert "missing the column(s) 'URN', 'Inspection date'" in exc.value.errors[0].message
