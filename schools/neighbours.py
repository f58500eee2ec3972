"""DfE statistical neighbours: each LA's ten most similar LAs, with how close each is.

Run through pep_portal.imports.services.import_file (one transaction per file): a rejected file
writes nothing. LAs the register lacks are added (named as the table names them).
"""

from __future__ import annotations

from collections.abc import Iterator

from pep_portal.imports.framework import (
    ErrorCollector,
    ImportRejected,
    ProgressCallback,
    check_header,
    noop,
    pad_row,
    read_csv_rows,
    register_importer,
)
from pep_portal.imports.workbooks import cell_text, is_xlsx, sheet_rows
from pep_portal.platform.audit import audit_bulk
from pep_portal.platform.versioned_cache import rows_changed

from .gias import ascii_int, la_code
from .models import LocalAuthority, StatisticalNeighbour

NEIGHBOURS_SIGNATURE = ("LA num", "LA Name", "SN1")
NEIGHBOUR_CLOSENESS = {
    "extremely close": "extremely_close",
    "very close": "very_close",
    "close": "close",
    "somewhat close": "somewhat_close",
    "not close": "not_close",
}


class _Areas:
    """LAs by code; an LA the register lacks is created as the table names it, and one that
    still has a placeholder name ("LA 851", from a results file) takes the table's name."""

    def __init__(self) -> None:
        self.las = {}
        self.placeholders = set()
        for code, pk, name in LocalAuthority.objects.values_list("code", "pk", "name"):
            self.las[code] = pk
            if is_placeholder_name(code, name):
                self.placeholders.add(code)
        self.las_created = 0
        self.las_renamed = 0

    def la_id(self, code: int, name: str, *, region: str = "") -> int:
        pk = self.las.get(code)
        if pk is None:
            la = LocalAuthority(
                code=code, name=(name or f"LA {code}").strip()[:120], region=region[:80]
            )
            la.full_clean()
            la.save()
            self.las[code] = pk = la.pk
            self.las_created += 1
        elif code in self.placeholders and name.strip():
            la = LocalAuthority.objects.get(pk=pk)
            la.name = name.strip()[:120]
            la.region = la.region or region[:80]
            la.full_clean()
            la.save(update_fields=["name", "region"])
            self.placeholders.discard(code)
            self.las_renamed += 1
        return pk


def is_placeholder_name(code: int, name: str) -> bool:
    """The name an LA gets when a file names only its number."""
    return not name.strip() or name.strip() == f"LA {code}"


# DfE's workbook: rows above the header (column letters, then column numbers) are skipped;
# the table ends at a row headed "Old SNs" (the neighbours of LAs since reorganised).
HEADER_SEARCH_ROWS = 10
OLD_SECTION = "old sns"
NO_NEIGHBOUR = frozenset({"", "-"})


def _xlsx_rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet of a workbook as text rows."""
    for line, values in sheet_rows(path):
        yield line, [cell_text(v) for v in values]


def _csv_rows(path: str) -> Iterator[tuple[int, list[str]]]:
    header, rows = read_csv_rows(path)
    yield 1, header
    yield from rows


def read_table(path: str) -> tuple[list[str], int, Iterator[tuple[int, list[str]]]]:
    """(header, header row, data rows) of the workbook or of a CSV saved from it: the header
    is the first row naming LA num, LA Name and SN1, whatever preamble rows come before."""
    rows = _xlsx_rows(path) if is_xlsx(path) else _csv_rows(path)
    for line, fields in rows:
        header = [f.strip() for f in fields]
        while header and not header[-1]:
            header.pop()
        if set(NEIGHBOURS_SIGNATURE) <= set(header):
            return header, line, rows
        if line >= HEADER_SEARCH_ROWS:
            break
    rows.close()
    raise ImportRejected.single(
        "No header row naming LA num, LA Name and SN1 in the first "
        f"{HEADER_SEARCH_ROWS} rows: this is not DfE's statistical neighbours table.",
        row=1,
    )


@register_importer("statistical_neighbours", "DfE statistical neighbours table")
def import_statistical_neighbours(
    path: str, *, progress: ProgressCallback = noop, **_options
) -> dict:
    header, header_line, rows = read_table(path)
    # DfE heads every closeness column "SNP" (read by its place after its SN<n>, below):
    # the one name the table repeats. Any other repeated column is refused.
    try:
        check_header(
            header,
            list(NEIGHBOURS_SIGNATURE),
            layout="DfE statistical neighbours",
            may_repeat={name for name in header if name.upper() == "SNP"},
        )
    except ImportRejected:
        rows.close()
        raise
    col_num, col_name = header.index("LA num"), header.index("LA Name")
    col_region = header.index("GOReg") if "GOReg" in header else None
    # SN1..SN10 and the closeness column that follows each (named SNP or SNP<n>).
    positions: list[tuple[int, int, int | None, str]] = []
    for pos in range(1, 11):
        name = f"SN{pos}"
        if name not in header:
            continue
        i = header.index(name)
        closeness = None
        if f"SNP{pos}" in header:
            closeness = header.index(f"SNP{pos}")
        elif i + 1 < len(header) and header[i + 1].upper().startswith("SNP"):
            closeness = i + 1
        positions.append((pos, i, closeness, name))
    errors = ErrorCollector()
    table: list[tuple[int, int, list[tuple[int, str, str, str]]]] = []
    names: dict[str, int] = {
        la_name.lower(): code
        for code, la_name in LocalAuthority.objects.values_list("code", "name")
    }
    areas = _Areas()
    n = old_rows = 0
    width = len(header)
    in_old_section = False
    for line, raw in rows:
        if not any(f.strip() for f in raw):
            continue  # blank rows between the sections
        if any(f.strip().lower().startswith(OLD_SECTION) for f in raw[:3]):
            in_old_section = True
            continue
        if in_old_section:
            old_rows += 1
            continue
        n += 1
        progress(n)
        fields = pad_row(raw, width, line, errors)
        if fields is None:
            continue
        num = fields[col_num].strip()
        if la_code(num) is None:
            errors.add(f"'{num}' is not an LA number.", row=line, column="LA num")
            continue
        num = str(la_code(num))
        name = fields[col_name].strip()
        region = fields[col_region].strip() if col_region is not None else ""
        areas.la_id(int(num), name, region=region)
        names.setdefault(name.lower(), int(num))
        links = []
        for pos, i, ci, column in positions:
            ref = fields[i].strip()
            if ref in NO_NEIGHBOUR:
                continue
            closeness = fields[ci].strip() if ci is not None else ""
            if closeness in NO_NEIGHBOUR:
                closeness = ""
            links.append((pos, ref, closeness, column))
        table.append((line, int(num), links))
    errors.raise_if_any()

    created = removed = unchanged_las = changed_las = 0
    for line, code, links in table:
        la_id = areas.las[code]
        wanted: list[tuple[int, int, str]] = []
        for pos, ref, closeness_text, column in links:
            target = ascii_int(ref)
            if target is None:
                target = names.get(ref.lower())
            if target is None or target not in areas.las:
                errors.add(
                    f"'{ref}' is not an LA in this table or the register.", row=line, column=column
                )
                continue
            closeness = ""
            if closeness_text:
                closeness = NEIGHBOUR_CLOSENESS.get(closeness_text.lower())
                if closeness is None:
                    errors.add(
                        f"'{closeness_text}' is not a closeness ("
                        + ", ".join(k.capitalize() for k in NEIGHBOUR_CLOSENESS)
                        + ").",
                        row=line,
                        column=column.replace("SN", "SNP"),
                    )
                    continue
            if areas.las[target] == la_id:
                errors.add("An LA cannot be its own neighbour.", row=line, column=column)
                continue
            wanted.append((pos, areas.las[target], closeness))
        if errors:
            continue
        current = sorted(
            StatisticalNeighbour.objects.filter(la_id=la_id).values_list(
                "position", "neighbour_id", "closeness"
            )
        )
        if current == sorted(wanted):
            unchanged_las += 1
            continue
        removed += StatisticalNeighbour.objects.filter(la_id=la_id).delete()[0]
        objs = [
            StatisticalNeighbour(la_id=la_id, neighbour_id=nb, position=pos, closeness=cl)
            for pos, nb, cl in wanted
        ]
        for obj in objs:
            obj.full_clean(validate_unique=False)
        StatisticalNeighbour.objects.bulk_create(objs)
        audit_bulk(StatisticalNeighbour, created=objs)
        created += len(objs)
        changed_las += 1
    errors.raise_if_any()
    if changed_las:
        rows_changed(StatisticalNeighbour)  # bulk_create sends no signal
    return {
        "rows": n,
        "former LAs' rows (the workbook's Old SNs section, not imported)": old_rows,
        "header row": header_line,
        "local authorities added": areas.las_created,
        "local authorities named (they had a placeholder name)": areas.las_renamed,
        "LAs whose neighbours changed": changed_las,
        "LAs whose neighbours were unchanged": unchanged_las,
        "neighbour links written": created,
        "old neighbour links replaced": removed,
    }
