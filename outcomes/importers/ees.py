"""Explore Education Statistics tidy CSV: indicators mapped to measures by
``IndicatorMapping`` rows (filters pick the rows that count)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pep_portal.imports.framework import (
    DataRows,
    ErrorCollector,
    ImportRejected,
    ProgressCallback,
    check_header,
    noop,
    read_csv_rows,
    register_importer,
)

from .. import layouts
from ..models import AreaType, IndicatorMapping, MappingSource
from ..services import ResultData, period_results_write
from .cells import CellError, la_code, parse_academic_year, parse_cell, parse_number
from .common import (
    ROW_BATCH,
    Areas,
    Catalogue,
    Writer,
    apply_cell,
    result_for,
    result_status,
    source_label,
)


@dataclass
class EesScan:
    """What an EES file holds: its indicator columns and its filter columns' values."""

    header: list[str]
    indicators: list[str]
    filters: dict[str, list[str]]
    rows: int
    mapped: list[str]
    unmapped: list[str]


MAX_FILTER_VALUES = 60


def ees_scan(path: str) -> EesScan:
    """Read an EES file once: classify columns and list each filter column's values."""
    header, rows = read_csv_rows(path)
    check_header(header, list(layouts.EES_SIGNATURE), layout="an EES tidy CSV")
    mappings = list(IndicatorMapping.objects.filter(source=MappingSource.EES))
    known_indicators = {m.indicator for m in mappings}
    known_filters = {k for m in mappings for k in m.filters}
    candidates = [
        (i, h) for i, h in enumerate(header) if h and h not in layouts.EES_STANDARD_COLUMNS
    ]
    numeric = {h: True for _, h in candidates}
    values: dict[str, set[str]] = {h: set() for _, h in candidates}
    n = 0
    for _, fields in rows:
        n += 1
        for i, h in candidates:
            text = fields[i].strip() if i < len(fields) else ""
            if not text:
                continue
            if numeric[h] and text.lower() not in layouts.EES_MARKERS:
                try:
                    parse_number(text)
                except CellError:
                    numeric[h] = False
            if len(values[h]) < MAX_FILTER_VALUES:
                values[h].add(text)
    indicators = [
        h for _, h in candidates if h in known_indicators or (numeric[h] and h not in known_filters)
    ]
    filters = {h: sorted(values[h]) for _, h in candidates if h not in indicators}
    mapped = [h for h in indicators if h in known_indicators]
    unmapped = [h for h in indicators if h not in known_indicators]
    return EesScan(header, indicators, filters, n, mapped, unmapped)


def _ees_matches(mapping: IndicatorMapping, row: dict[str, str], filter_cols: list[str]) -> bool:
    for col in filter_cols:
        value = row.get(col, "").strip()
        wanted = mapping.filters.get(col)
        if wanted is None:
            if value.lower() not in layouts.EES_TOTAL_WORDS:
                return False
        elif value.lower() != wanted.strip().lower():
            return False
    # A mapping naming a filter column the file lacks does not apply to this file.
    return all(c in row for c in mapping.filters)


@register_importer("ees", "Explore Education Statistics tidy CSV (LA and national)")
def import_ees(
    path: str,
    *,
    progress: ProgressCallback = noop,
    status: str | None = None,
    source_name: str | None = None,
    **_options,
) -> dict:
    scan = ees_scan(path)
    status = result_status(status)
    if not scan.mapped:
        raise ImportRejected.single(
            "None of this file's indicators is mapped to a measure yet ("
            + ", ".join(scan.unmapped[:20])
            + "). Map them on the results upload page (or in the admin) and import again.",
            row=1,
        )
    catalogue = Catalogue()
    by_indicator: dict[str, list[IndicatorMapping]] = {}
    for m in IndicatorMapping.objects.filter(source=MappingSource.EES, indicator__in=scan.mapped):
        by_indicator.setdefault(m.indicator, []).append(m)
    filter_cols = list(scan.filters)
    header, rows = read_csv_rows(path)
    col = {h: i for i, h in enumerate(header)}
    errors = ErrorCollector()
    areas = Areas()
    writer = Writer(source=source_label(path, "ees", source_name), errors=errors, seen={})
    skipped_levels: Counter = Counter()
    period_rows: list[tuple[ResultData, str]] = []
    period_seen: dict[tuple, int] = {}
    unknown_urns = 0
    data = DataRows(rows, width=len(header), errors=errors, progress=progress)
    for line, fields in data:
        row = dict(zip(header, fields, strict=True))
        level = row["geographic_level"].strip()
        area_type = layouts.EES_LEVELS.get(level.lower())
        if area_type is None:
            skipped_levels[level] += 1
            continue
        try:
            year = parse_academic_year(row["time_period"])
        except CellError as exc:
            errors.add(str(exc), row=line, column="time_period")
            continue
        period = " ".join(row.get("time_identifier", "").split())[:60]
        if period.lower() in layouts.EES_FULL_YEAR_PERIODS:
            period = ""  # a whole year: a result
        school_id = la_id = None
        region = ""
        if area_type == AreaType.LA:
            code_text = row.get("old_la_code", "").strip()
            if la_code(code_text) is None:
                errors.add(
                    f"'{code_text}' is not an LA number (a Local authority row needs one).",
                    row=line,
                    column="old_la_code",
                )
                continue
            la_id = areas.la_id(
                la_code(code_text),
                row.get("la_name", ""),
                region=row.get("region_name", "").strip(),
                gss_code=row.get("new_la_code", "").strip()[:9],
            )
        elif area_type == AreaType.REGION:
            region = (row.get("region_name") or row.get("region_code") or "").strip()
            if not region:
                errors.add("A Regional row needs a region name.", row=line, column="region_name")
                continue
        elif area_type == AreaType.SCHOOL:
            urn_col = "school_urn" if "school_urn" in col else "urn"
            try:
                urn = int(row.get(urn_col, "").strip())
            except ValueError:
                errors.add("A School row needs a URN.", row=line, column=urn_col)
                continue
            school_id = areas.school_id(urn)
            if school_id is None:
                unknown_urns += 1
                continue
        results: dict[tuple[int, str], ResultData] = {}
        for indicator, mappings in by_indicator.items():
            for mapping in mappings:
                if not _ees_matches(mapping, row, filter_cols):
                    continue
                try:
                    parsed = parse_cell(row[indicator], layouts.EES_MARKERS)
                except CellError as exc:
                    errors.add(str(exc), row=line, column=indicator)
                    continue
                if parsed is None:
                    continue
                result = result_for(
                    results,
                    mapping.measure_id,
                    mapping.pupil_group,
                    area_type,
                    year,
                    status,
                    school_id,
                    la_id,
                )
                result.region = region
                apply_cell(result, mapping.field, parsed, row[indicator])
        for result in results.values():
            if result.has_value and period:
                key = (*result.key, period)
                if key in period_seen:
                    errors.add(
                        f"{catalogue.by_id[result.measure_id].code} ({result.pupil_group}, "
                        f"{period}) for this area is already given on row {period_seen[key]}.",
                        row=line,
                    )
                    continue
                period_seen[key] = line
                period_rows.append((result, period))
            elif result.has_value:
                measure = catalogue.by_id[result.measure_id]
                writer.add(
                    result,
                    line,
                    lambda m=measure, r=result: (
                        f"{m.code} ({r.pupil_group}, {r.academic_year}) for this area"
                    ),
                )
        if data.count % ROW_BATCH == 0:
            writer.flush()
    writer.finish()
    errors.raise_if_any()
    period_counts = period_results_write(rows=period_rows, source=writer.source)
    return writer.summary(
        data.count,
        areas,
        layout="Explore Education Statistics tidy CSV",
        **{
            "part-year figures (year to date, term, week: kept apart, never compared as "
            "a year)": period_counts["created"] + period_counts["updated"],
            "periods": ", ".join(sorted({p for _, p in period_rows})),
            "indicators imported": ", ".join(scan.mapped),
            "indicators not mapped (not imported)": ", ".join(scan.unmapped),
            "rows at other geographic levels (skipped)": sum(skipped_levels.values()),
            "schools not in the register (rows skipped)": unknown_urns,
        },
    )
