"""Importer for soft intelligence: one row per school per term, in the portal's CSV layout.

Columns: urn, academic_year, term (autumn / spring / summer), then any of the indicator
columns (blank = not known). All-or-nothing: a bad cell rejects the file with its row and
column, and nothing is written.
"""

from __future__ import annotations

import math
import re

from django.db import transaction

from pep_portal.imports.framework import (
    ErrorCollector,
    ImportRejected,
    check_header,
    quoted_columns,
    read_csv_rows,
    register_importer,
)
from schools.models import School, SoftIntelligence, Term

from .services import SOFT_FIELDS, soft_intelligence_record

KIND = "soft_intelligence"
LAYOUT = "the soft intelligence template"
KEY_COLUMNS = ["urn", "academic_year", "term"]
COLUMNS = KEY_COLUMNS + list(SOFT_FIELDS) + ["notes"]
PERCENT_FIELDS = {"staff_turnover_percent"}
DECIMAL_FIELDS = {"staff_turnover_percent", "sickness_days_per_teacher"}
MAX_DECIMAL = {"staff_turnover_percent": 100.0, "sickness_days_per_teacher": 200.0}


# ASCII digits only, bounded in length ("²".isdigit() is True; a 5,000-digit cell is not a URN).
_WHOLE = re.compile(r"[0-9]{1,9}")
_YEAR = re.compile(r"[0-9]{4}")


def _number(text: str, column: str, row: int, errors: ErrorCollector):
    raw = text.strip()
    if not raw:
        return None
    if len(raw) > 20:
        errors.add(f"'{raw[:20]}...' is too long to be a number.", row=row, column=column)
        return None
    try:
        value = float(raw.rstrip("%")) if column in DECIMAL_FIELDS else int(raw)
    except ValueError:
        kind = "a number" if column in DECIMAL_FIELDS else "a whole number"
        errors.add(f"'{raw}' is not {kind}.", row=row, column=column)
        return None
    if not math.isfinite(value):
        errors.add(f"'{raw}' is not a number.", row=row, column=column)
        return None
    if value < 0:
        errors.add(f"{raw} is below 0.", row=row, column=column)
        return None
    if column in MAX_DECIMAL and value > MAX_DECIMAL[column]:
        errors.add(f"{raw} is above {MAX_DECIMAL[column]:g}.", row=row, column=column)
        return None
    return value


@register_importer(KIND, "Soft intelligence (one row per school per term)")
def import_soft_intelligence(path: str, *, progress, user_id: int | None = None, **options) -> dict:
    header, rows = read_csv_rows(path)
    header = [h.strip().lower() for h in header]
    check_header(header, KEY_COLUMNS, layout=LAYOUT)
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportRejected.single(
            f"Unknown column(s): {quoted_columns(unknown)}. The columns are: {', '.join(COLUMNS)}.",
            row=1,
        )
    index = {h: i for i, h in enumerate(header)}
    schools = {s.urn: s for s in School.objects.only("pk", "urn", "name")}
    errors = ErrorCollector()
    parsed, seen = [], {}
    count = 0
    for line, fields in rows:
        count += 1
        progress(count)
        cell = {h: (fields[i] if i < len(fields) else "") for h, i in index.items()}
        urn_text = cell["urn"].strip()
        school = schools.get(int(urn_text)) if _WHOLE.fullmatch(urn_text) else None
        if school is None:
            errors.add(f"No school with URN '{urn_text}' in the register.", row=line, column="urn")
        year_text = cell["academic_year"].strip()
        year = int(year_text) if _YEAR.fullmatch(year_text) else None
        if year is not None and not 2000 <= year <= 2100:
            year = None
        if year is None:
            errors.add(
                f"'{year_text}' is not a year (the year the academic year ends, e.g. 2017).",
                row=line,
                column="academic_year",
            )
        term = cell["term"].strip().lower().replace(" term", "")
        if term not in Term.values:
            errors.add(
                f"'{cell['term']}' is not a term: use autumn, spring or summer.",
                row=line,
                column="term",
            )
        values = {
            name: _number(cell[name], name, line, errors) for name in SOFT_FIELDS if name in cell
        }
        key = (school.pk if school else None, year, term)
        if school and year and term in Term.values:
            if key in seen:
                errors.add(
                    f"{school.name}, {term} {year} is given twice (also row {seen[key]}).",
                    row=line,
                    column="urn",
                )
            seen[key] = line
        parsed.append((school, year, term, values, cell.get("notes", "").strip()))
    errors.raise_if_any()
    if not parsed:
        raise ImportRejected.single("The file has a header but no rows.", row=2)
    from pep_portal.accounts.models import User

    user = User.objects.filter(pk=user_id).first() if user_id else None
    created = updated = 0
    with transaction.atomic():
        for school, year, term, values, notes in parsed:
            exists = SoftIntelligence.objects.filter(
                school=school, academic_year=year, term=term
            ).exists()
            soft_intelligence_record(
                school=school,
                academic_year=year,
                term=term,
                values=values,
                notes=notes,
                user=user,
                source="import",
            )
            updated += exists
            created += not exists
    return {"rows": count, "created": created, "updated": updated}
