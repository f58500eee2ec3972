"""LAIT long format: one row per LA / region / England, measure and year; measures by
``IndicatorMapping`` rows keyed on LAIT's ``Short Desc`` codes.

Read as LAIT publishes it: the parquet file itself (``bds_long``) or a CSV written from it
(``LA Number`` as ``851.0``). England (970) and the regions (980-990) are stored as national
and region results, never as local authorities, so they are never ranked or banded with
them. A year's suffix (``2018 (Rev)``, ``2025 (prov)``, ``2016-17 (OT)``) is its status.
"""

from __future__ import annotations

import re

from pep_portal.imports.framework import (
    DataRows,
    ErrorCollector,
    ProgressCallback,
    check_header,
    noop,
    read_csv_rows,
    register_importer,
)

from .. import layouts
from ..models import AreaType, IndicatorMapping, MappingSource, ResultField
from ..services import ResultData
from .cells import CellError, la_code, parse_cell
from .common import (
    ROW_BATCH,
    Areas,
    Writer,
    apply_cell,
    is_parquet,
    read_parquet_rows,
    result_status,
    source_label,
)

_WHOLE_FLOAT = re.compile(r"^(\d+)\.0*$")


def lait_la_number(text: str) -> int | None:
    """LAIT's LA number whatever its form: '851', '851.0' (pandas' float column), ' 851 '."""
    t = text.strip()
    m = _WHOLE_FLOAT.match(t)
    return la_code(m.group(1) if m else t)


def lait_year(text: str) -> tuple[int, str | None]:
    """(academic year, status or None) from a LAIT ``Years`` cell.

    The year stored is the last one the cell names (the academic or financial year ending
    then, or the last year of a rolling period): '2024' 2024, '2023-24' 2024, '2016/17' 2017,
    '2014-16' 2016, '2013/14-15/16' 2016. A suffix is the figure's status: '(prov)' provisional,
    '(Rev)' revised, '(Final)' final, '(OT)' outturn (final spending figures).
    """
    m = layouts.LAIT_YEAR.match(text.strip())
    if not m:
        raise CellError(
            f"'{text.strip()[:40]}' is not a LAIT year (2024, 2023-24, 2014-16, 2018 (Rev)...)."
        )
    suffix = m.group("suffix")
    status = None
    if suffix is not None:
        status = layouts.LAIT_YEAR_SUFFIXES.get(suffix.strip().lower())
        if status is None:
            known = ", ".join(f"({k})" for k in layouts.LAIT_YEAR_SUFFIXES)
            raise CellError(f"'({suffix})' is not a year suffix LAIT uses ({known}).")
    first = int(m.group("first"))
    last = m.group("after") or m.group("last") or m.group("first_end")
    if last is None:
        year = first
    elif len(last) == 4:
        year = int(last)
    else:
        year = (first // 100) * 100 + int(last)
        if year < first:
            year += 100
    if not 2000 <= year <= 2100 or year < first:
        raise CellError(f"'{text.strip()[:40]}' is not a plausible year.")
    return year, status


@register_importer("lait", "LAIT long format (every LA, region and England)")
def import_lait(
    path: str,
    *,
    progress: ProgressCallback = noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    status = result_status(status)
    mappings = {
        m.indicator.strip().lower(): m
        for m in IndicatorMapping.objects.filter(source=MappingSource.LAIT)
    }
    unmapped: dict[str, str] = {}
    total_rows = None
    if is_parquet(path):
        header, rows, total_rows = _parquet_rows(path, mappings, unmapped)
    else:
        header, rows = read_csv_rows(path)
    check_header(header, list(layouts.LAIT_COLUMNS), layout="a LAIT long-format extract")
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
    statuses_from_years = 0
    data = DataRows(rows, width=len(header), errors=errors, progress=progress)
    for line, fields in data:
        code = fields[i_code].strip()
        mapping = mappings.get(code.lower())
        if mapping is None:
            if len(unmapped) < 200:
                unmapped.setdefault(code, fields[i_item].strip())
            continue
        try:
            year, year_status = lait_year(fields[i_years])
        except CellError as exc:
            errors.add(str(exc), row=line, column="Years")
            continue
        statuses_from_years += year_status is not None
        name = fields[i_area].strip()
        la_text = fields[i_lanum].strip()
        region_name = fields[i_region].strip() if i_region is not None else ""
        if region_name.upper() == "NA":
            region_name = ""  # R's NA, written out as text for England and the regions
        number = lait_la_number(la_text) if la_text else None
        la_id = None
        region = ""
        if la_text and number is None:
            errors.add(f"'{la_text}' is not an LA number.", row=line, column="LA Number")
            continue
        if number == layouts.LAIT_ENGLAND or name.lower() in layouts.ENGLAND_NAMES:
            area_type = AreaType.NATIONAL
        elif number in layouts.LAIT_REGIONS:
            if not name:
                errors.add("A region row needs its name.", row=line, column="LA and Regions")
                continue
            area_type, region = AreaType.REGION, name
        elif number is not None:
            area_type = AreaType.LA
            la_id = areas.la_id(number, name, region=region_name)
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
            status=year_status or status,
        )
        apply_cell(result, mapping.field, parsed, fields[i_values])
        if mapping.field != ResultField.VALUE:
            continue  # LAIT rows carry one value each; CI/cohort rows are not combined
        writer.add(
            result,
            line,
            lambda c=code, y=year, a=name: f"{c} for {a} in {y}",
        )
        if data.count % (ROW_BATCH * 20) == 0:
            writer.flush()
    writer.finish()
    errors.raise_if_any()
    shown = "; ".join(f"{c} ({d})" if d else c for c, d in list(unmapped.items())[:20])
    return writer.summary(
        total_rows if total_rows is not None else data.count,
        areas,
        layout="LAIT long format" + (" (parquet)" if total_rows is not None else ""),
        **{
            "rows whose year gives the status ((prov), (Rev), (Final), (OT))": (
                statuses_from_years
            ),
            "Short Desc codes not in the catalogue (not imported)": shown,
        },
    )


def _parquet_rows(path: str, mappings: dict, unmapped: dict[str, str]):
    """The parquet's header and its rows of mapped codes; the other codes are only listed
    (with their ``Data item``, which LAIT gives on a code's first row)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = pa.array(sorted(mappings), type=pa.string())

    def keep(batch):
        codes = batch.column("Short Desc")
        mask = pc.fill_null(pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(codes)), wanted), False)
        if len(unmapped) < 200:
            others = batch.filter(pc.invert(mask))
            for code in pc.unique(others.column("Short Desc")).to_pylist():
                if code and len(unmapped) < 200:
                    unmapped.setdefault(code, "")
            if "Data item" in batch.schema.names:
                named = others.filter(pc.is_valid(others.column("Data item")))
                items = named.column("Data item").to_pylist()
                for code, item in zip(named.column("Short Desc").to_pylist(), items, strict=True):
                    if code in unmapped and not unmapped[code]:
                        unmapped[code] = str(item).strip()
        return mask

    header, rows = read_parquet_rows(path, keep=keep)
    return header, rows, pq.ParquetFile(path).metadata.num_rows
