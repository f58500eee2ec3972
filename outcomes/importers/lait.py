"""LAIT long format: one row per LA / region / England, measure and year; measures by
``IndicatorMapping`` rows keyed on LAIT's ``Short Desc`` codes."""

from __future__ import annotations

from pep_portal.imports.framework import (
    ErrorCollector,
    ProgressCallback,
    read_csv_rows,
    register_importer,
    require_columns,
)

from .. import layouts
from ..models import AreaType, IndicatorMapping, MappingSource, ResultField
from ..services import ResultData
from .cells import CellError, la_code, parse_academic_year, parse_cell
from .common import (
    ROW_BATCH,
    Areas,
    Writer,
    apply_cell,
    noop,
    pad_row,
    reject_duplicated_columns,
    result_status,
    source_label,
)


@register_importer("lait", "LAIT long format (every LA, region and England)")
def import_lait(
    path: str,
    *,
    progress: ProgressCallback = noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    header, rows = read_csv_rows(path)
    reject_duplicated_columns(header)
    require_columns(header, list(layouts.LAIT_COLUMNS), layout="a LAIT long-format extract")
    status = result_status(status)
    mappings = {
        m.indicator.strip().lower(): m
        for m in IndicatorMapping.objects.filter(source=MappingSource.LAIT)
    }
    col = {h: i for i, h in enumerate(header)}
    i_code, i_years, i_area, i_values, i_lanum = (
        col["Short Desc"],
        col["Years"],
        col["LA and Regions"],
        col["Values"],
        col["LA Number"],
    )
    i_region = col.get("Region")
    i_item = col["Data item"]
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=source_label(path, "lait", source_name), errors=errors, seen={})
    unmapped: dict[str, str] = {}
    n = 0
    width = len(header)
    for line, raw in rows:
        n += 1
        progress(n)
        fields = pad_row(raw, width, line, errors)
        if fields is None:
            continue
        code = fields[i_code].strip()
        mapping = mappings.get(code.lower())
        if mapping is None:
            if len(unmapped) < 200:
                unmapped.setdefault(code, fields[i_item].strip())
            continue
        try:
            year = parse_academic_year(fields[i_years])
        except CellError as exc:
            errors.add(str(exc), row=line, column="Years")
            continue
        name = fields[i_area].strip()
        la_text = fields[i_lanum].strip()
        region_name = fields[i_region].strip() if i_region is not None else ""
        la_id = None
        region = ""
        if name.lower() in layouts.ENGLAND_NAMES:
            area_type = AreaType.NATIONAL
        elif la_text:
            if la_code(la_text) is None:
                errors.add(f"'{la_text}' is not an LA number.", row=line, column="LA Number")
                continue
            area_type = AreaType.LA
            la_id = areas.la_id(la_code(la_text), name, region=region_name)
        elif name:
            area_type, region = AreaType.REGION, name
        else:
            errors.add("The row names no LA, region or England.", row=line, column="LA and Regions")
            continue
        try:
            parsed = parse_cell(fields[i_values], layouts.LAIT_MARKERS)
        except CellError as exc:
            errors.add(str(exc), row=line, column="Values")
            continue
        if parsed is None:
            parsed = (None, "not_available")  # LAIT leaves some cells blank for "no figure"
        result = ResultData(
            measure_id=mapping.measure_id,
            area_type=area_type,
            academic_year=year,
            pupil_group=mapping.pupil_group,
            la_id=la_id,
            region=region,
            status=status,
        )
        apply_cell(result, mapping.field, parsed, fields[i_values])
        if mapping.field != ResultField.VALUE:
            continue  # LAIT rows carry one value each; CI/cohort rows are not combined
        writer.add(
            result,
            line,
            lambda c=code, y=year, a=name: f"{c} for {a} in {y}",
        )
        if n % (ROW_BATCH * 20) == 0:
            writer.flush()
    writer.flush()
    errors.raise_if_any()
    shown = "; ".join(f"{c} ({d})" if d else c for c, d in list(unmapped.items())[:20])
    return writer.summary(
        n,
        areas,
        layout="LAIT long format",
        **{"Short Desc codes not in the catalogue (not imported)": shown},
    )
