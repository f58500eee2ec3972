"""The schools grid as CSV or XLSX: exactly the rows and columns the page shows, in the
order it shows them, written through pep_portal.platform.spreadsheets (safe from formula injection)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from pep_portal.platform.spreadsheets import csv_response, xlsx_response

from .selectors import Grid, grid_table

FORMATS = ("csv", "xlsx")


def grid_export(grid: Grid | None, *, fmt: str, name: str):
    if grid is None:
        raise Http404("There is no published snapshot to export yet.")
    header, rows = grid_table(grid)
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet="Schools")
