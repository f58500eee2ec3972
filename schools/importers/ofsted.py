"""The Ofsted inspections CSV importer: URN, inspection date, overall effectiveness, and
optional publication date, inspection type and report-card area columns.

Like the GIAS importer it runs in one transaction: a rejected file writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pep_portal.imports.framework import (
    CellError,
    ErrorCollector,
    ImportRejected,
    missing_columns,
    quoted_columns,
    read_csv_table,
    refuse_repeated_columns,
    register_importer,
)
from pep_portal.platform.audit import audit_bulk
from pep_portal.platform.versioned_cache import rows_changed

from .. import gias
from ..models import OfstedInspection, School
from .register import BATCH_SIZE, PROGRESS_EVERY

OFSTED_LAYOUT = "an Ofsted inspections CSV (URN, inspection date, overall effectiveness)"


def _compact(header: str) -> str:
    """'Inspection start date' / 'InspectionStartDate' / 'Early years (where applicable)'."""
    head = header.split("(")[0]
    return "".join(ch for ch in head.lower() if ch.isalnum())


_OFSTED_COLUMNS = {
    "urn": "urn",
    "inspectiondate": "date",
    "inspectionstartdate": "date",
    "dateofinspection": "date",
    "ofstedlastinsp": "date",
    "overalleffectiveness": "grade",
    "ofstedrating": "grade",
    "publicationdate": "published",
    "inspectiontype": "type",
}
# Report-card evaluation areas (from November 2025) and the key judgements of the 2019
# framework: kept as published in area_grades, never turned into an overall grade.
_AREAS = {
    _compact(a): a
    for a in [
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Attendance and behaviour",
        "Personal development and well-being",
        "Leadership and governance",
        "Early years",
        "Sixth form",
        "Safeguarding",
        "Quality of education",
        "Behaviour and attitudes",
        "Personal development",
        "Effectiveness of leadership and management",
        "Early years provision",
        "Sixth form provision",
    ]
}
_UNGRADED_TYPES = ("ungraded", "short", "section 8", "monitoring")


_ROLE_NAMES = {
    "urn": "the URN",
    "date": "the inspection date",
    "grade": "the overall effectiveness",
    "published": "the publication date",
    "type": "the inspection type",
}


def _has_urn_column(cells: list[str]) -> bool:
    return any(_OFSTED_COLUMNS.get(_compact(cell)) == "urn" for cell in cells)


def _columns_by_role(header: list[str], *, row: int) -> tuple[dict[str, int], dict[int, str]]:
    """Where each role's column is ({role: index}) and the report-card area columns
    ({index: area}). Two columns for one role ('Inspection date' and 'Inspection start date',
    'URN' and 'urn') are refused, naming both: which of them is the school's is not ours to
    guess, and taking the first would be a guess."""
    found: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        key = _compact(name)
        if key in _OFSTED_COLUMNS:
            found.setdefault(_OFSTED_COLUMNS[key], []).append(i)
        elif key in _AREAS:
            found.setdefault(f"area:{_AREAS[key]}", []).append(i)
    errors = ErrorCollector()
    for role, places in found.items():
        if len(places) > 1:
            what = _ROLE_NAMES.get(role) or f"the '{role.removeprefix('area:')}' grade"
            names = [header[i] for i in places]
            columns = f"{quoted_columns(names[:-1])} and {quoted_columns(names[-1:])}"
            both = "both" if len(names) == 2 else "all"
            errors.add(f"The columns {columns} {both} give {what}: keep one of them.", row=row)
    errors.raise_if_any()
    roles, areas = {}, {}
    for role, places in found.items():
        if role.startswith("area:"):
            areas[places[0]] = role.removeprefix("area:")
        else:
            roles[role] = places[0]
    return roles, areas


@register_importer("ofsted", "Ofsted inspections CSV")
def import_ofsted(path: str, *, progress=lambda n: None, **options) -> dict:
    """Import inspections: URN, inspection date, overall effectiveness (1-4 or blank), and
    optional publication date, inspection type and report-card area columns.

    Graded and ungraded / report-card inspections are both kept. A blank overall
    effectiveness stays blank. Rows for schools not in the register are skipped and counted.
    """
    with transaction.atomic():
        summary = _import_ofsted(path, progress)
        rows_changed(OfstedInspection)  # bulk writes send no signals (regraded inspections)
        return summary


def _import_ofsted(path: str, progress) -> dict:
    # Management-information files can open with a title line or two: the header is the
    # first line with a URN column (within the first 10); every row number stays the file's.
    header_line, header, rows = read_csv_table(path, is_header=_has_urn_column)
    # Ofsted's published files name each column once; the columns are found by role below
    # (several spellings of the inspection date), so only the repeat is checked here.
    refuse_repeated_columns(header, row=header_line)
    roles, areas = _columns_by_role(header, row=header_line)
    missing = [
        label for role, label in [("urn", "URN"), ("date", "Inspection date")] if role not in roles
    ]
    if missing:
        raise missing_columns(missing, layout=OFSTED_LAYOUT, row=header_line)
    has_grade = "grade" in roles
    colname = {role: header[i] for role, i in roles.items()}

    errors = ErrorCollector()
    parsed = []
    seen: dict[tuple[int, dt.date], int] = {}
    count = 0
    for line, fields in rows:
        count += 1
        if count % PROGRESS_EVERY == 0:
            progress(count)
        fields = fields + [""] * (len(header) - len(fields))

        def get(role: str, fields=fields) -> str:
            return fields[roles[role]].strip() if role in roles else ""

        ok = True
        try:
            urn = gias.parse_int(get("urn"), minimum=1)
            if urn is None:
                raise CellError("The URN is blank.")
        except CellError as exc:
            errors.add(str(exc), row=line, column=colname["urn"])
            ok = False
        try:
            when = gias.parse_date(get("date"))
            if when is None:
                raise CellError("The inspection date is blank.")
        except CellError as exc:
            errors.add(str(exc), row=line, column=colname["date"])
            ok = False
        grade = None
        if has_grade:
            try:
                grade = gias.ofsted_grade(get("grade"))
            except CellError as exc:
                errors.add(str(exc), row=line, column=colname["grade"])
                ok = False
        published = None
        try:
            published = gias.parse_date(get("published"))
        except CellError as exc:
            errors.add(str(exc), row=line, column=colname["published"])
            ok = False
        if not ok:
            continue
        if (urn, when) in seen:
            errors.add(
                f"The inspection of URN {urn} on {when:%d-%m-%Y} appears twice: rows "
                f"{seen[(urn, when)]} and {line}.",
                row=line,
                column=colname["urn"],
            )
            continue
        seen[(urn, when)] = line
        area_grades = {label: fields[i].strip() for i, label in areas.items() if fields[i].strip()}
        kind = get("type").lower()
        if grade is not None:
            framework = OfstedInspection.Framework.GRADED
        elif area_grades and not any(t in kind for t in _UNGRADED_TYPES):
            framework = OfstedInspection.Framework.REPORT_CARD
        else:
            framework = OfstedInspection.Framework.UNGRADED
        parsed.append((urn, when, framework, grade, area_grades, published))
    errors.raise_if_any()
    if count == 0:
        raise ImportRejected.single(
            "The file has a header but no inspections.", row=header_line + 1
        )

    schools = dict(School.objects.filter(urn__in={p[0] for p in parsed}).values_list("urn", "pk"))
    existing = {
        (s, d): (pk, fw, g, a, p)
        for pk, s, d, fw, g, a, p in OfstedInspection.objects.filter(
            school_id__in=schools.values()
        ).values_list(
            "pk",
            "school_id",
            "inspection_date",
            "framework",
            "overall_effectiveness",
            "area_grades",
            "publication_date",
        )
    }
    created, updated, unchanged, unknown = [], [], 0, set()
    for urn, when, framework, grade, area_grades, published in parsed:
        school_id = schools.get(urn)
        if school_id is None:
            unknown.add(urn)
            continue
        new = OfstedInspection(
            school_id=school_id,
            inspection_date=when,
            framework=framework,
            overall_effectiveness=grade,
            area_grades=area_grades,
            publication_date=published,
            source="ofsted_csv",
        )
        old = existing.get((school_id, when))
        if old is None:
            created.append(new)
        elif old[1:] == (framework, grade, area_grades, published):
            unchanged += 1
        else:
            new.pk = old[0]
            updated.append(new)
    OfstedInspection.objects.bulk_create(created, batch_size=BATCH_SIZE)
    fields = ["framework", "overall_effectiveness", "area_grades", "publication_date", "source"]
    before = {
        row["pk"]: row
        for row in OfstedInspection.objects.filter(pk__in=[i.pk for i in updated]).values(
            "pk", *fields
        )
    }
    OfstedInspection.objects.bulk_update(updated, fields, batch_size=500)
    audit_bulk(
        OfstedInspection,
        created=created,
        changed=[
            (
                i,
                {
                    f: (before[i.pk][f], getattr(i, f))
                    for f in fields
                    if before[i.pk][f] != getattr(i, f)
                },
            )
            for i in updated
        ],
    )
    progress(count)
    summary: dict = {
        "rows": count,
        "created": len(created),
        "updated": len(updated),
        "unchanged": unchanged,
        "skipped (URN not in the register)": len(unknown),
    }
    if header_line > 1:
        summary["header read from line"] = header_line  # the lines above it: a title
    return summary
