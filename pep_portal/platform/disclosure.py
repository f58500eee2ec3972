"""The one small-number rule: a figure across schools is shown only when enough schools make it.

A count or average over fewer than :func:`min_schools` schools (setting
``MIN_SCHOOLS_FOR_AGGREGATE``, default 3) would let a reader work out one school's figures,
so it is withheld: selectors return ``None`` in its place and pages say why
(:func:`withheld_note`). Every aggregate of schools' own data shown to people who may not
see each school's figures (predictions, soft intelligence, workforce) goes through here.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings

T = TypeVar("T")


def min_schools() -> int:
    return int(getattr(settings, "MIN_SCHOOLS_FOR_AGGREGATE", 3))


def enough_schools(schools: int) -> bool:
    return schools >= min_schools()


def aggregate(value: T, *, schools: int) -> T | None:
    """The value when ``schools`` schools make it and that is enough; otherwise None."""
    return value if enough_schools(schools) else None


def withheld_note() -> str:
    return f"withheld: fewer than {min_schools()} schools"
