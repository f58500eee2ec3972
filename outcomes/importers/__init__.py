"""Importers for published results, one module per source: DfE performance tables (KS2,
KS4), Explore Education Statistics tidy CSV, LAIT long format, and the portal's own template
(CSV / XLSX). ``detect`` picks the layout from a file's header. (DfE statistical neighbours
are the register's: ``schools.neighbours``.)

What each column or indicator means is declared in ``outcomes.layouts`` (performance tables,
template, markers) or in ``IndicatorMapping`` rows (EES, LAIT); these modules only read.

Every importer: streams the file (bounded memory; writes in batches of ``ROW_BATCH`` rows),
checks every cell and reports each bad one by row and column, and runs inside the one
transaction ``pep_portal.imports.services.import_file`` opens, so a rejected file writes nothing.
Re-importing the same file changes nothing; a revised file updates values and keeps the
previous ones in ``ResultRevision``. Blank cells mean "no figure in this file": they create
nothing and leave an existing result alone; markers (SUPP, NA, x, c, -...) are stored as
suppression states, never as numbers.
"""

from pep_portal.imports.framework import ImportRejected

from .cells import CellError, parse_academic_year, parse_cell, parse_count, parse_number
from .detect import RESULT_IMPORTERS, RESULT_LAYOUTS, detect_layout, import_results, mapping_needed
from .ees import EesScan, ees_scan, import_ees
from .lait import import_lait
from .performance_tables import (
    import_ks2_performance_tables,
    import_ks4_performance_tables,
    import_performance_table,
)
from .template import import_template

__all__ = [
    "RESULT_IMPORTERS",
    "RESULT_LAYOUTS",
    "CellError",
    "EesScan",
    "ImportRejected",
    "detect_layout",
    "ees_scan",
    "import_ees",
    "import_ks2_performance_tables",
    "import_ks4_performance_tables",
    "import_lait",
    "import_performance_table",
    "import_results",
    "import_template",
    "mapping_needed",
    "parse_academic_year",
    "parse_cell",
    "parse_count",
    "parse_number",
]
