"""Reading one cell of a published file: numbers, markers, counts, LA codes, academic years."""

from __future__ import annotations

import math
import re

from pep_portal.imports.framework import CellError
from schools.gias import ascii_int, la_code

__all__ = ["CellError", "ascii_int", "la_code", "parse_academic_year", "parse_cell", "parse_count"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> float:
    """'78%' -> 78.0, '1,234' -> 1234.0, '-0.5' -> -0.5; anything else raises CellError."""
    cleaned = text.strip().replace(",", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if not _NUMBER.match(cleaned):
        raise CellError
    value = float(cleaned)
    if not math.isfinite(value):  # '1e309' overflows to infinity: not a figure
        raise CellError
    return value


def parse_cell(text: str, markers: dict[str, str]) -> tuple[float | None, str] | None:
    """None for a blank cell; (value, '') for a number; (None, suppression) for a marker."""
    stripped = text.strip()
    if not stripped:
        return None
    marker = markers.get(stripped) or markers.get(stripped.upper()) or markers.get(stripped.lower())
    if marker:
        return None, marker
    try:
        return parse_number(stripped), ""
    except CellError:
        known = ", ".join(sorted({m for m in markers if m}))
        raise CellError(f"'{stripped}' is not a number or a known marker ({known}).") from None


def parse_count(text: str, markers: dict[str, str]) -> int | None:
    parsed = parse_cell(text, markers)
    if parsed is None or parsed[0] is None:
        return None
    value = parsed[0]
    if value < 0 or value != int(value) or value > MAX_PUPILS:
        raise CellError(f"'{text.strip()[:40]}' is not a number of pupils.")
    return int(value)


MAX_PUPILS = 10_000_000  # more than every pupil in England: anything above is a typo
_YEAR_PAIR = re.compile(r"^(\d{4})\s*[/-]?\s*(\d{2}|\d{4})$")


def parse_academic_year(text: str) -> int:
    """The year the academic year ends: '2016', '201516', '2015/16', '2015-16' -> 2016."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        year = int(t)
    else:
        m = _YEAR_PAIR.match(t)
        if not m:
            raise CellError(f"'{t}' is not a year (2016, 201516 or 2015/16).")
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year != start + 1:
            raise CellError(f"'{t}' is not an academic year (the second year must follow).")
        year = end_year
    if not 2000 <= year <= 2100:
        raise CellError(f"{year} is not a plausible academic year.")
    return year
