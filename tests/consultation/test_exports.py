import csv
import io

import pytest
from openpyxl import load_workbook

from consultation import responding
from consultation.exports import escape_formula

from .conftest import full_answers

pytestmark = pytest.mark.django_db

NASTY = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def submitted(consultation, head):
    responding.response_save(
        consultation=consultation,
        user=head,
        answers=full_answers(
            consultation.q,
            free_text={"value": NASTY},
            scale={"value": "Agree", "comment": "-1 for the structure; +1 for the vision"},
            interest={"value": [], "comment": "@mention the chair"},
        ),
        submit=True,
    )
    return consultation


@pytest.mark.parametrize("text", ["=1+1", "+44 23", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_escape_formula_prefixes_dangerous_text(text):
    assert escape_formula(text) == "'" + text


def test_escape_formula_leaves_plain_text_and_numbers():
    assert escape_formula("Agree") == "Agree"
    assert escape_formula(-1.7) == -1.7


def test_csv_has_one_row_per_school_one_column_per_question_and_is_escaped(submitted, client_as):
    response = client_as("officer").get(f"/consultations/{submitted.pk}/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    assert header[:2] == ["URN", "School"]
    assert "Q1. Do you agree with the vision?" in header and "Q1 comment" in header
    record = dict(zip(header, row, strict=True))
    assert record["School"] == "Harbour Primary School"
    assert record["Q5. Any other comments?"] == "'" + NASTY
    assert record["Q1 comment"] == "'-1 for the structure; +1 for the vision"
    assert record["Q6 comment"] == "'@mention the chair"
    assert record["Q4. Which priorities matter most?"] == "Recruitment; Inclusion"
    assert record["Q6. Would your school join a board?"] == "(none)"


def test_xlsx_is_escaped_too(submitted, client_as):
    response = client_as("board_member").get(f"/consultations/{submitted.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header, row = values[0], values[1]
    cell = row[header.index("Q5. Any other comments?")]
    assert cell == "'" + NASTY
    assert sheet.cell(row=2, column=header.index("Q5. Any other comments?") + 1).data_type == "s"


def test_drafts_are_not_exported(consultation, head, client_as):
    responding.response_save(
        consultation=consultation, user=head, answers=full_answers(consultation.q)
    )
    response = client_as("officer").get(f"/consultations/{consultation.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1
