"""Which layout a results file is in (from its header), and the "results" importer that
hands the file to the right one."""

from __future__ import annotations

from pep_portal.imports.framework import (
    ImportRejected,
    ProgressCallback,
    noop,
    register_importer,
)
from schools.neighbours import NEIGHBOURS_SIGNATURE, read_table

from .. import layouts
from .common import read_rows_any
from .ees import EesScan, ees_scan, import_ees
from .lait import import_lait
from .performance_tables import import_ks2_performance_tables, import_ks4_performance_tables
from .template import import_template


def detect_layout(header: list[str]) -> str:
    """The importer kind for a header, or ImportRejected naming the layouts it knows."""
    cols = {h.strip() for h in header}
    lower = {h.lower() for h in cols}
    for layout in layouts.PERFORMANCE_TABLE_LAYOUTS.values():
        if set(layout.signature) <= cols:
            return layout.kind
    if set(layouts.EES_SIGNATURE) <= lower:
        return "ees"
    if set(layouts.LAIT_SIGNATURE) <= cols:
        return "lait"
    if set(layouts.TEMPLATE_REQUIRED) <= lower:
        return "template"
    if set(NEIGHBOURS_SIGNATURE) <= cols:
        return "statistical_neighbours"
    raise ImportRejected.single(
        "The layout of this file is not one the portal knows. Its header should be that of "
        "DfE performance tables (KS2: RECTYPE, URN, TELIG...; KS4: RECTYPE, URN, TPUP...), "
        "an Explore Education Statistics CSV (time_period, geographic_level...), a LAIT "
        "long-format extract (Short Desc, Years, LA and Regions, Values...), or the PEP "
        "Portal template (measure_code, area_type, area_code, academic_year, value...). "
        f"This file starts with: {', '.join(list(header)[:8])}.",
        row=1,
    )


RESULT_LAYOUTS = {
    layouts.KS2.kind: layouts.KS2.label,
    layouts.KS4.kind: layouts.KS4.label,
    "ees": "Explore Education Statistics tidy CSV",
    "lait": "LAIT long format",
    "template": "PEP Portal template (CSV or XLSX)",
}


@register_importer("results", "Results (layout detected from the header)")
def import_results(path: str, *, progress: ProgressCallback = noop, layout=None, **options):
    if layout:
        if layout not in RESULT_LAYOUTS:
            raise ImportRejected.single(
                f"'{layout}' is not a results layout: use {', '.join(RESULT_LAYOUTS)}."
            )
        kind = layout
    else:
        header, rows = read_rows_any(path)
        next(rows, None)  # start the reader so that closing it closes the file
        rows.close()
        try:
            kind = detect_layout(header)
        except ImportRejected:
            if not is_neighbours_table(path):
                raise
            kind = "statistical_neighbours"  # DfE's workbook: its header follows a preamble
        if kind not in RESULT_LAYOUTS:
            raise ImportRejected.single(
                "This is a statistical neighbours table, not results: import it with "
                "import_neighbours (or the statistical neighbours upload).",
                row=1,
            )
    return RESULT_IMPORTERS[kind](path, progress=progress, **options)


def is_neighbours_table(path: str) -> bool:
    try:
        read_table(path)[2].close()
    except ImportRejected:
        return False
    return True


RESULT_IMPORTERS = {
    layouts.KS2.kind: import_ks2_performance_tables,
    layouts.KS4.kind: import_ks4_performance_tables,
    "ees": import_ees,
    "lait": import_lait,
    "template": import_template,
}


def mapping_needed(path: str, layout: str | None = None) -> EesScan | None:
    """For an upload: the EES scan when the file has indicators no mapping covers, else None.

    Files that cannot be read or detected return None: the import job reports why.
    """
    if layout and layout != "ees":
        return None
    try:
        if not layout:
            header, rows = read_rows_any(path)
            next(rows, None)
            rows.close()
            if detect_layout(header) != "ees":
                return None
        scan = ees_scan(path)
    except ImportRejected:
        return None
    return scan if scan.unmapped else None
