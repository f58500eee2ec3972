"""The schools grid as CSV or XLSX: exactly the rows and columns the page shows, in the
order it shows them, written through pep_portal.platform.spreadsheets (safe from formula injection)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from pep_portal.platform.spreadsheets import csv_response, xlsx_response

from .selectors import Grid
from .selectors.common import RAG_WORDS

FORMATS = ("csv", "xlsx")


def grid_table(g: Grid) -> tuple[list[str], list[list]]:
    """The grid as shown, as a header and rows of cells, for the CSV and XLSX exports."""
    header = ["URN", "School", "Phase", "Trust", "Ofsted", "Overall RAG"]
    for m in g.columns:
        header += [m.short_name or m.name, f"{m.short_name or m.name} RAG"]
    header += ["3Ms suggestion", "3Ms decision"]
    rows = []
    for r in g.rows:
        line = [
            r.school.urn,
            r.school.name,
            r.school.get_phase_display(),
            r.trust_name,
            r.ofsted_text,
            RAG_WORDS.get(r.rag, "No rating"),
        ]
        for c in r.cells:
            line += [_number_or_text(c.text), RAG_WORDS.get(c.rag, "No rating")]
        line += [r.suggestion_text, r.decision_text]
        rows.append(line)
    return header, rows


def _number_or_text(text: str):
    """The figure exactly as shown: a number stays a number in the spreadsheet."""
    try:
        return float(text)
    except ValueError:
        return text


def grid_export(grid: Grid | None, *, fmt: str, name: str):
    if grid is None:
        raise Http404("There is no published snapshot to export yet.")
    header, rows = grid_table(grid)
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet="Schools")
