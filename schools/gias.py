"""What GIAS values mean for the register: pure mappings and cell parsers, no ORM.

GIAS ("Get Information About Schools") publishes the establishment CSV with a ``(code)`` and
a ``(name)`` column for each coded field in the full ``edubasealldataYYYYMMDD.csv`` layout,
and only the ``(name)`` columns (plus ``LA (code)``) in the names-only download from its
search pages. The importer reads the ``(name)`` columns, which both layouts carry.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pep_portal.imports.framework import CellError

from .models import Category, OfstedGrade, Phase, School, Trust


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()


# TypeOfEstablishment (name) -> category. Keys are normalised with _key().
_TYPE_CATEGORY = {
    "community school": Category.LA_MAINTAINED,
    "voluntary aided school": Category.LA_MAINTAINED,
    "voluntary controlled school": Category.LA_MAINTAINED,
    "foundation school": Category.LA_MAINTAINED,
    "local authority nursery school": Category.LA_MAINTAINED,
    "academy converter": Category.ACADEMY_CONVERTER,
    "academy sponsor led": Category.ACADEMY_SPONSOR_LED,
    "city technology college": Category.ACADEMY_SPONSOR_LED,
    "free schools": Category.FREE_SCHOOL,
    "studio schools": Category.FREE_SCHOOL,
    "university technical college": Category.FREE_SCHOOL,
    "community special school": Category.SPECIAL,
    "foundation special school": Category.SPECIAL,
    "non maintained special school": Category.SPECIAL,
    "academy special converter": Category.SPECIAL,
    "academy special sponsor led": Category.SPECIAL,
    "free schools special": Category.SPECIAL,
    "special post 16 institution": Category.SPECIAL,
    "pupil referral unit": Category.PRU,
    "academy alternative provision converter": Category.PRU,
    "academy alternative provision sponsor led": Category.PRU,
    "free schools alternative provision": Category.PRU,
    "further education": Category.POST16,
    "sixth form centres": Category.POST16,
    "academy 16 19 converter": Category.POST16,
    "academy 16 19 sponsor led": Category.POST16,
    "academy 16 to 19 sponsor led": Category.POST16,
    "free schools 16 to 19": Category.POST16,
    "academy secure 16 to 19": Category.POST16,
    "other independent school": Category.INDEPENDENT,
    "other independent special school": Category.INDEPENDENT,
    "independent schools": Category.INDEPENDENT,
}

# EstablishmentTypeGroup (name) -> category, when the type itself is not one we know.
_GROUP_CATEGORY = {
    "local authority maintained schools": Category.LA_MAINTAINED,
    "academies": Category.ACADEMY_CONVERTER,
    "free schools": Category.FREE_SCHOOL,
    "special schools": Category.SPECIAL,
    "colleges": Category.POST16,
    "independent schools": Category.INDEPENDENT,
}

_PHASES = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE_PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.MIDDLE_SECONDARY,
    "16 plus": Phase.POST16,
    "all through": Phase.ALL_THROUGH,
    "not applicable": Phase.NOT_APPLICABLE,
    "": Phase.NOT_APPLICABLE,
}

_STATUSES = {
    "open": School.Status.OPEN,
    "closed": School.Status.CLOSED,
    "open but proposed to close": School.Status.PROPOSED_TO_CLOSE,
    "proposed to open": School.Status.PROPOSED_TO_OPEN,
}

_TRUST_FLAGS = {
    "supported by a multi academy trust": Trust.TrustType.MAT,
    "supported by a single academy trust": Trust.TrustType.SAT,
    "supported by a trust": Trust.TrustType.OTHER,
}

# "Serious weaknesses" and "Special measures" are the two categories of Inadequate.
_OFSTED_GRADES = {
    "outstanding": OfstedGrade.OUTSTANDING,
    "good": OfstedGrade.GOOD,
    "requires improvement": OfstedGrade.REQUIRES_IMPROVEMENT,
    "satisfactory": OfstedGrade.REQUIRES_IMPROVEMENT,
    "inadequate": OfstedGrade.INADEQUATE,
    "serious weaknesses": OfstedGrade.INADEQUATE,
    "special measures": OfstedGrade.INADEQUATE,
}
# Values that mean "no overall grade" rather than a malformed cell.
NO_GRADE = frozenset({"", "null", "n a", "na", "not applicable", "not judged", "none"})
# Cells that published data use for "not given": stored as empty, never as 0.
_NOT_GIVEN = frozenset({"", "supp", "suppressed", "x", "c", "z", "na", "n a", "null", "ne"})
_NOT_APPLICABLE_TEXT = frozenset({"", "not applicable", "does not apply", "none", "n a"})

# Ofsted stopped giving an overall effectiveness grade to state schools from September 2024.
SINGLE_WORD_JUDGEMENTS_ENDED = dt.date(2024, 9, 1)


def category_for(type_name: str, group_name: str = "") -> str:
    key = _key(type_name)
    if key in _TYPE_CATEGORY:
        return _TYPE_CATEGORY[key].value
    return _GROUP_CATEGORY.get(_key(group_name), Category.OTHER).value


def _looked_up(table: dict, value: str, what: str) -> str:
    try:
        return table[_key(value)].value
    except KeyError:
        raise CellError(f"'{value}' is not {what}.") from None


def phase_for(value: str) -> str:
    return _looked_up(
        _PHASES,
        value,
        "a GIAS phase of education (expected one of: Nursery, Primary, Middle deemed primary, "
        "Secondary, Middle deemed secondary, 16 plus, All-through, Not applicable)",
    )


def status_for(value: str) -> str:
    return _looked_up(
        _STATUSES,
        value,
        "a GIAS establishment status (expected Open, Closed, 'Open, but proposed to close' or "
        "'Proposed to open')",
    )


def trust_type_for(flag: str) -> str:
    return _TRUST_FLAGS.get(_key(flag), Trust.TrustType.MAT).value


def text_or_blank(value: str) -> str:
    """Diocese / religious character: GIAS writes 'Not applicable' or 'Does not apply'."""
    value = value.strip()
    return "" if _key(value) in _NOT_APPLICABLE_TEXT else value


def ofsted_grade(value: str) -> int | None:
    """A grade 1-4 from a number or its words; None where there is no overall grade.

    Plain str / int values (not enum members) are returned throughout this module, so the
    importer's fingerprints hash the same as the values read back from the database.
    """
    key = _key(value)
    if key in NO_GRADE:
        return None
    if key in {"1", "2", "3", "4"}:
        return int(key)
    if key in _OFSTED_GRADES:
        return int(_OFSTED_GRADES[key])
    raise CellError(
        f"'{value}' is not an Ofsted overall effectiveness grade (expected 1-4, Outstanding, "
        "Good, Requires improvement, Inadequate, or blank for no overall grade)."
    )


def parse_int(value: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    if value.isdigit() and value.isascii():  # the common case, fast
        number = int(value)
        if number >= minimum and (maximum is None or number <= maximum):
            return number
    value = value.strip()
    if not value or _key(value) in _NOT_GIVEN:
        return None
    cleaned = value.replace(",", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    # ASCII digits only ('²'.isdigit() is true but int() refuses it), and no longer than any
    # count or code can be (int() refuses strings of thousands of digits).
    if not (cleaned.isdigit() and cleaned.isascii()) or len(cleaned) > 18:
        raise CellError(f"'{value[:40]}' is not a whole number.")
    number = int(cleaned)
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise CellError(f"{number} is out of range (expected {bound}).")
    return number


_TWO_PLACES = Decimal("0.01")


def parse_percent(value: str) -> Decimal | None:
    value = value.strip()
    if not value or _key(value) in _NOT_GIVEN:
        return None
    cleaned = value.rstrip("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"'{value}' is not a percentage.") from None
    if not number.is_finite() or number < 0 or number > 100:
        raise CellError(f"'{value}' is not a percentage between 0 and 100.")
    return number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def percent_of(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    share = Decimal(part * 100) / Decimal(whole)
    return min(share, Decimal(100)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d/%m/%y")
_date_cache: dict[str, dt.date] = {}


def parse_date(value: str) -> dt.date | None:
    """GIAS dates are dd-mm-yyyy; dd/mm/yyyy (spreadsheet re-saves) and ISO also read."""
    value = value.strip()
    if not value:
        return None
    cached = _date_cache.get(value)
    if cached is not None:
        return cached
    # Spreadsheets append a midnight time when they re-save a date column.
    text = value.split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
        if len(_date_cache) < 20000:
            _date_cache[value] = parsed
        return parsed
    raise CellError(f"'{value}' is not a date (GIAS dates are day-month-year, e.g. 01-09-2015).")


def postcode(value: str) -> str:
    return " ".join(value.upper().split())


LA_CODE_MAX = 32767  # the register's PositiveSmallIntegerField


def la_code(text: str) -> int | None:
    """A DfE LA number (ASCII digits within the register's range), or None.

    ``str.isdigit`` alone lets through '²' (which int() refuses) and int() alone takes '-5'
    or numbers the register cannot hold: both used to end an import with a crash.
    """
    t = text.strip()
    if t.isascii() and t.isdigit() and len(t) <= 5 and int(t) <= LA_CODE_MAX:
        return int(t)
    return None


def ascii_int(text: str) -> int | None:
    t = text.strip()
    # Bounded length: int() refuses strings of thousands of digits (and no code is that long).
    return int(t) if t.isascii() and t.isdigit() and len(t) <= 18 else None
