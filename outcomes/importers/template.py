"""The portal's own results template (CSV or XLSX): one result per row."""

from __future__ import annotations

from pep_portal.imports.framework import (
    DataRows,
    ErrorCollector,
    ProgressCallback,
    check_header,
    noop,
    register_importer,
)

from .. import layouts
from ..models import AreaType, PupilGroup, ResultStatus
from ..services import ResultData
from .cells import CellError, ascii_int, parse_academic_year, parse_cell, parse_count
from .common import (
    ROW_BATCH,
    Areas,
    Catalogue,
    Writer,
    read_rows_any,
    result_status,
    source_label,
)


def _row_area(areas: Areas, area_type: str, code: str) -> tuple[int | None, int | None, str]:
    """(school id, LA id, region) a row's area_code names for its area type: a school's URN
    or an LA's number, either in the register, or a region's name; none for England."""
    if area_type == AreaType.REGION:
        if not code:
            raise CellError("A region result needs the region's name.")
        return None, None, code
    if area_type == AreaType.NATIONAL:
        return None, None, ""
    number = ascii_int(code)
    if area_type == AreaType.SCHOOL:
        school_id = areas.school_id(number) if number is not None else None
        if school_id is None:
            raise CellError(f"'{code}' is not the URN of a school in the register.")
        return school_id, None, ""
    la_id = areas.las.get(number) if number is not None else None
    if la_id is None:
        raise CellError(f"'{code}' is not the number of an LA in the register.")
    return None, la_id, ""


@register_importer("template", "PEP Portal results template (CSV or XLSX)")
def import_template(
    path: str,
    *,
    progress: ProgressCallback = noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    header, rows = read_rows_any(path)
    header = [h.strip().lower() for h in header]
    check_header(header, list(layouts.TEMPLATE_REQUIRED), layout="the PEP Portal template")
    default_status = result_status(status)
    catalogue = Catalogue()
    col = {h: i for i, h in enumerate(header)}
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=source_label(path, "template", source_name), errors=errors, seen={})
    markers = layouts.TEMPLATE_MARKERS

    def cell(fields, name: str) -> str:
        i = col.get(name)
        # A leading apostrophe is how spreadsheets keep text such as '-1.6 as text.
        return fields[i].strip().removeprefix("'") if i is not None else ""

    data = DataRows(rows, width=len(header), errors=errors, progress=progress)
    for line, fields in data:
        bad = False
        code = cell(fields, "measure_code").strip()
        measure = catalogue.by_code.get(code)
        if measure is None:
            errors.add(
                f"'{code}' is not a measure code in the catalogue.", row=line, column="measure_code"
            )
            bad = True
        area_type = cell(fields, "area_type").strip().lower()
        group = cell(fields, "pupil_group").strip().lower() or PupilGroup.ALL
        row_status = cell(fields, "status").strip().lower() or default_status
        for value, allowed, what, column in (
            (area_type, AreaType.values, "an area type", "area_type"),
            (group, PupilGroup.values, "a pupil group", "pupil_group"),
            (row_status, ResultStatus.values, "a status", "status"),
        ):
            if value not in allowed:
                errors.add(
                    f"'{value}' is not {what}: use {', '.join(allowed)}.", row=line, column=column
                )
                bad = True
        try:
            year = parse_academic_year(cell(fields, "academic_year"))
        except CellError as exc:
            errors.add(str(exc), row=line, column="academic_year")
            bad = True
        parsed = None
        try:
            parsed = parse_cell(cell(fields, "value"), markers)
            if parsed is None:
                errors.add(
                    "The value is blank: give a number or a marker such as SUPP.",
                    row=line,
                    column="value",
                )
                bad = True
        except CellError as exc:
            errors.add(str(exc), row=line, column="value")
            bad = True
        extras = {}
        for name in ("ci_lower", "ci_upper"):
            try:
                got = parse_cell(cell(fields, name), markers)
                extras[name] = got[0] if got else None
            except CellError as exc:
                errors.add(str(exc), row=line, column=name)
                bad = True
        try:
            cohort = parse_count(cell(fields, "cohort"), markers)
        except CellError as exc:
            errors.add(str(exc), row=line, column="cohort")
            bad = True
        if bad:
            continue
        area_code = cell(fields, "area_code").strip()
        try:
            school_id, la_id, region = _row_area(areas, area_type, area_code)
        except CellError as exc:
            errors.add(str(exc), row=line, column="area_code")
            continue
        value, suppression = parsed
        lo, hi = extras["ci_lower"], extras["ci_upper"]
        if value is None:
            lo = hi = None
        if lo is not None and hi is not None and lo > hi:
            errors.add("The CI lower bound is above the upper bound.", row=line, column="ci_lower")
            continue
        writer.add(
            ResultData(
                measure_id=measure.pk,
                area_type=area_type,
                academic_year=year,
                pupil_group=group,
                school_id=school_id,
                la_id=la_id,
                region=region,
                value=value,
                suppression=suppression,
                cohort=cohort,
                ci_lower=lo,
                ci_upper=hi,
                status=row_status,
            ),
            line,
            lambda c=code, t=area_type, a=area_code, y=year, g=group: (
                f"{c} for {t} {a} in {y} ({g})"
            ),
        )
        if data.count % (ROW_BATCH * 20) == 0:
            writer.flush()
    writer.finish()
    errors.raise_if_any()
    return writer.summary(data.count, areas, layout="PEP Portal template")
