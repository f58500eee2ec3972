"""English school academic years: 1 September to 31 August, named by their start year."""

from __future__ import annotations

import datetime as dt


def academic_year_of(day: dt.date) -> int:
    """2016 for any date from 1 Sep 2016 to 31 Aug 2017."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"
