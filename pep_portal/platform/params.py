"""Numbers from the URL and the query string, checked before they reach the database.

A number a person (or a scanner) types into a URL must never give a 500: out of range for
the database's integer column, not a number, or outside what the page can show (year 0) is
a 400 with a message saying what was wrong. Views read numbers with :func:`query_int`;
:class:`BadParameter` is answered by :func:`pep_portal.platform.views.bad_request` (a page) or, under
``/api/``, by the API's exception handler (JSON).

:data:`DB_INT_MAX` is PostgreSQL's ``integer``: every id, URN and year column fits in it, so a
larger number can match nothing and would overflow the query.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.db import DataError

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1
# Academic years the portal holds data for (2016 = 2015/16).
YEAR_MIN = 1990
YEAR_MAX = 2100
_MAX_DIGITS = 20  # longer than any number we accept: refused before int() does the work


class BadParameter(BadRequest):
    """A query parameter or path number that cannot be used; the message is for people."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"Invalid value for '{name}': {message}")


def query_int(
    params,
    name: str,
    *,
    default: int | None = None,
    min_value: int = 0,
    max_value: int = DB_INT_MAX,
) -> int | None:
    """``params[name]`` as a whole number in [min_value, max_value]; default when absent or
    blank; BadParameter otherwise."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not (digits.isascii() and digits.isdigit()) or len(digits) > _MAX_DIGITS:
        raise BadParameter(name, f"“{raw[:40]}” is not a whole number.")
    value = int(raw)
    if not min_value <= value <= max_value:
        raise BadParameter(name, f"{value} is out of range: use {min_value} to {max_value}.")
    return value


def query_year(params, name: str = "year", *, default: int | None = None) -> int | None:
    return query_int(params, name, default=default, min_value=YEAR_MIN, max_value=YEAR_MAX)


def is_out_of_range_error(exc: BaseException) -> bool:
    """A number too large for the database: SQLite's OverflowError, PostgreSQL's
    NumericValueOutOfRange (SQLSTATE 22003) as Django's DataError."""
    if isinstance(exc, OverflowError):
        return True
    if isinstance(exc, DataError):
        cause = exc.__cause__
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        return code == "22003" or "out of range" in str(exc)
    return False
