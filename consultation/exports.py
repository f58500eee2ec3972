"""Exports of a consultation's responses: CSV and XLSX (one row per school, one column per
question), and the data behind the charts.

Every cell goes through ``escape_formula`` (the portal's shared one, in
pep_portal.platform.spreadsheets): text beginning with = + - @ tab or CR is prefixed with an apostrophe
so a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from pep_portal.platform.spreadsheets import csv_response, escape_formula, xlsx_response

from . import selectors

__all__ = ["escape_formula", "responses_table", "responses_csv", "responses_xlsx", "chart_data"]


def _cell(answer) -> str:
    if answer is None:
        return ""
    if isinstance(answer.value, list):
        return "; ".join(answer.value) if answer.value else "(none)"
    return str(answer.value or "")


def responses_table(*, consultation, user) -> tuple[list[str], list[list]]:
    """Header and rows: one row per submitted response, one column per question (and one per
    comment box)."""
    questions = list(selectors.question_list(consultation=consultation))
    header = ["URN", "School", "Phase", "Type", "Trust", "Submitted at", "Submitted by"]
    for q in questions:
        header.append(f"Q{q.position}. {q.text}")
        if q.allow_comment:
            header.append(f"Q{q.position} comment")
    rows = []
    for response, answers in selectors.answers_by_response(consultation=consultation, user=user):
        school = response.school
        row = [
            school.urn,
            school.name,
            school.get_phase_display(),
            school.get_category_display(),
            school.trust.name if school.trust_id else "",
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")
            if response.submitted_at
            else "",
            response.submitted_by.email if response.submitted_by_id else "",
        ]
        for q in questions:
            answer = answers.get(q.pk)
            row.append(_cell(answer))
            if q.allow_comment:
                row.append(answer.comment if answer else "")
        rows.append(row)
    return header, rows


def _filename(consultation, ext: str) -> str:
    return f"consultation-{consultation.pk}-{slugify(consultation.title)[:50]}-responses.{ext}"


def responses_csv(*, consultation, user):
    header, rows = responses_table(consultation=consultation, user=user)
    return csv_response(_filename(consultation, "csv"), header, rows)


def responses_xlsx(*, consultation, user):
    header, rows = responses_table(consultation=consultation, user=user)
    return xlsx_response(_filename(consultation, "xlsx"), header, rows, sheet="Responses")


def chart_data(tallies: list[dict]) -> list[dict]:
    """The per-question counts as plain data for the charts script (json_script)."""
    return [
        {
            "id": f"chart-q{row['question'].pk}",
            "title": f"Q{row['question'].position}",
            "labels": [o.option for o in row["tally"].options],
            "counts": [o.count for o in row["tally"].options],
        }
        for row in tallies
    ]
