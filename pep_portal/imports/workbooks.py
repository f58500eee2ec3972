"""The one spreadsheet reader: every importer that takes an Excel workbook (.xlsx) opens it
here.

A workbook is checked before openpyxl sees it (a "zip bomb" is refused: see
``pep_portal.platform.uploads.check_archive``), opened read-only with the values Excel last
calculated (``data_only``), and read as a stream, so a large sheet never sits in memory whole.
A file that is not a workbook is an ImportRejected whose message says what to do; each
importer may word it for its own page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .framework import ImportRejected, check_workbook

NOT_A_WORKBOOK = "This .xlsx file cannot be opened as a workbook."


def is_xlsx(path: str) -> bool:
    """A ZIP archive, as every .xlsx is (the importer then checks it is a workbook)."""
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def cell_text(value: Any) -> str:
    """A cell as the text a CSV of the sheet would hold: blank for empty, 851 not 851.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_workbook(path: str, *, not_a_workbook: str = NOT_A_WORKBOOK) -> Any:
    """The workbook at ``path``, checked and opened read-only (the caller closes it)."""
    from openpyxl import load_workbook

    check_workbook(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportRejected.single(not_a_workbook) from None


def sheet_rows(
    path: str, *, not_a_workbook: str = NOT_A_WORKBOOK
) -> Iterator[tuple[int, list[Any]]]:
    """The first sheet's rows as (row number from 1, cell values), the workbook closed once
    they are read (or the reader stops)."""
    workbook = open_workbook(path, not_a_workbook=not_a_workbook)
    try:
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield line, list(values)
    finally:
        workbook.close()


def is_blank(values: list[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)
