"""DfE statistical neighbours: each LA's ten most similar LAs, with how close each is.

Run through pep_portal.imports.services.import_file (one transaction per file): a rejected file
writes nothing. LAs the register lacks are added (named as the table names them).
"""

from __future__ import annotations

from pep_portal.imports.framework import (
    ErrorCollector,
    ProgressCallback,
    read_csv_rows,
    register_importer,
    require_columns,
)

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


def noop(_rows: int) -> None:
    return None


def pad_row(fields: list[str], width: int, line: int, errors: ErrorCollector) -> list[str] | None:
    """Ragged rows: missing trailing cells are blank; extra non-blank cells are an error."""
    if len(fields) < width:
        return fields + [""] * (width - len(fields))
    if len(fields) > width:
        if any(f.strip() for f in fields[width:]):
            errors.add(
                f"This row has {len(fields)} cells but the header has {width} columns.",
                row=line,
            )
            return None
        return fields[:width]
    return fields


class _Areas:
    """LAs by code; an LA the register lacks is created as the table names it."""

    def __init__(self) -> None:
        self.las = dict(LocalAuthority.objects.values_list("code", "pk"))
        self.las_created = 0

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
        return pk


@register_importer("statistical_neighbours", "DfE statistical neighbours table")
def import_statistical_neighbours(
    path: str, *, progress: ProgressCallback = noop, **_options
) -> dict:
    header, rows = read_csv_rows(path)
    require_columns(header, list(NEIGHBOURS_SIGNATURE), layout="DfE statistical neighbours")
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
    n = 0
    width = len(header)
    for line, raw in rows:
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
            if not ref:
                continue
            closeness = fields[ci].strip() if ci is not None else ""
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
        created += len(objs)
        changed_las += 1
    errors.raise_if_any()
    return {
        "rows": n,
        "local authorities added": areas.las_created,
        "LAs whose neighbours changed": changed_las,
        "LAs whose neighbours were unchanged": unchanged_las,
        "neighbour links written": created,
        "old neighbour links replaced": removed,
    }
