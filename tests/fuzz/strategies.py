"""Hypothesis strategies that turn the committed sample files into hostile variants.

Every importer is fuzzed from real files in its published layout (tests/fixtures/...):
cells replaced by odd values, rows made ragged, duplicated or blanked, huge cells, stray
quotes, NULs, and the whole text written in an encoding the portal may or may not accept
(UTF-16, Latin-1, cp1252 with undefined bytes, a byte-order mark in the middle...). Pure
random bytes and random shapes (a real header with random cells) are drawn as well.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from pep_portal.imports.framework import detect_encoding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
XLSX_SAMPLE = (
    Path(__file__).resolve().parent.parent / "actionplan" / "data" / "action_plan_sample.xlsx"
)


@dataclass(frozen=True)
class Seed:
    name: str
    header: list[str]
    rows: list[list[str]]


def load_seed(relative: str) -> Seed:
    path = FIXTURES / relative
    with open(path, encoding=detect_encoding(path), newline="") as fh:
        table = [row for row in csv.reader(fh)]
    header = [h.lstrip("\ufeff") for h in table[0]]
    return Seed(relative, header, table[1:])


# Cell text that has broken importers elsewhere, or that the layouts give meaning to.
AWKWARD_CELLS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1.5",
    "50%",
    "%",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "99999999999999999999999999999",
    "2016",
    "201516",
    "2015/16",
    "2015-17",
    "1899",
    "31-02-2016",
    "2016-02-30",
    "00-00-0000",
    "SUPP",
    "NA",
    "NE",
    "LOWCOV",
    "x",
    "z",
    "c",
    "low",
    ":",
    "-",
    "..",
    "school",
    "la",
    "national",
    "all",
    "Total",
    "Very close",
    "Outstanding",
    "Open",
    "Closed",
    "Academy converter",
    "Primary",
    "=cmd|' /C calc'!A0",
    "+1",
    '"',
    '""',
    "'",
    "a,b",
    "line\nbreak",
    "cr\rin cell",
    "\x00",
    "nul\x00inside",
    "\ufeff",
    "\u2028",
    "\u202e",
    "１２３",
    "٣",
    "²",
    "St Jude’s",
    "Ω≈ç√",
    "\U0001f600",
    "\x81\x8d",
]

small_text = st.text(max_size=40)
huge_cell = st.integers(min_value=1_000, max_value=300_000).flatmap(
    lambda n: st.sampled_from(["9" * n, "x" * n, ("é" * n), ('"' * n)])
)
cells = st.one_of(
    st.sampled_from(AWKWARD_CELLS),
    small_text,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    huge_cell,
)

OPS = ["set", "set", "set", "truncate", "extend", "duplicate", "delete", "blank", "header"]
ops = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 10_000), st.integers(0, 10_000), cells),
    max_size=12,
)

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "cp1252",
    "latin-1",
    "utf-16",
    "utf-16-le",
    "cp1252-undefined",
    "bom-inside",
    "cut-utf8",
]
QUOTING = ["minimal", "all", "none", "raw", "stray-quote"]
NEWLINES = ["\n", "\r\n", "\r"]


def mutate(
    header: list[str], rows: list[list[str]], operations
) -> tuple[list[str], list[list[str]]]:
    header = list(header)
    rows = [list(r) for r in rows]
    for op, i, j, value in operations:
        if op == "header" and header:
            header[j % len(header)] = value
            continue
        if not rows:
            rows.append([])
        r = i % len(rows)
        row = rows[r]
        if op == "set":
            if row:
                row[j % len(row)] = value
            else:
                row.append(value)
        elif op == "truncate":
            del row[j % (len(row) + 1) :]
        elif op == "extend":
            row.extend([value] * (1 + j % 5))
        elif op == "duplicate":
            rows.insert(r, list(row))
        elif op == "delete":
            del rows[r]
        elif op == "blank":
            rows.insert(r, [""] * (j % 3))
    return header, rows


def serialise(header, rows, *, quoting: str, newline: str) -> str:
    table = [header, *rows]
    if quoting in ("raw", "stray-quote"):
        text = newline.join(",".join(r) for r in table) + newline
        if quoting == "stray-quote":
            text = text[: len(text) // 2] + '"' + text[len(text) // 2 :]
        return text
    buf = io.StringIO()
    mode = {"minimal": csv.QUOTE_MINIMAL, "all": csv.QUOTE_ALL, "none": csv.QUOTE_NONE}[quoting]
    writer = csv.writer(buf, quoting=mode, escapechar="\\", lineterminator=newline)
    for r in table:
        try:
            writer.writerow(r)
        except csv.Error:  # e.g. QUOTE_NONE cannot write a lone empty field: write it raw
            buf.write(",".join(r) + newline)
    return buf.getvalue()


def encode(text: str, encoding: str, position: int) -> bytes:
    if encoding in ("cp1252", "latin-1"):
        return text.encode(encoding, errors="replace")
    if encoding == "cp1252-undefined":
        data = text.encode("cp1252", errors="replace")
        at = position % (len(data) + 1)
        return data[:at] + b"\x81" + data[at:]
    if encoding == "bom-inside":
        data = text.encode("utf-8", errors="surrogatepass")
        at = position % (len(data) + 1)
        return data[:at] + codecs.BOM_UTF8 + data[at:]
    if encoding == "cut-utf8":
        data = text.encode("utf-8", errors="surrogatepass")
        multi = [k for k, b in enumerate(data) if b >= 0xC0]
        if multi:
            k = multi[position % len(multi)]
            return data[: k + 1] + data[k + 2 :]
        return data + b"\xc3"
    return text.encode(encoding, errors="surrogatepass")


@st.composite
def csv_files(draw, seeds: list[Seed]) -> bytes:
    """A sample file of the layout, mutated, serialised and encoded in a drawn way."""
    seed = draw(st.sampled_from(seeds))
    header, rows = mutate(seed.header, seed.rows, draw(ops))
    text = serialise(
        header,
        rows,
        quoting=draw(st.sampled_from(QUOTING)),
        newline=draw(st.sampled_from(NEWLINES)),
    )
    return encode(text, draw(st.sampled_from(ENCODINGS)), draw(st.integers(0, 10_000)))


@st.composite
def csv_shapes(draw, seeds: list[Seed]) -> bytes:
    """The real header (some columns dropped or repeated) over rows of random cells."""
    seed = draw(st.sampled_from(seeds))
    header = draw(
        st.lists(st.sampled_from(seed.header), min_size=1, max_size=len(seed.header) + 3)
        | st.just(seed.header)
    )
    width = len(header)
    rows = draw(
        st.lists(st.lists(cells, min_size=max(0, width - 3), max_size=width + 3), max_size=8)
    )
    text = serialise(
        header,
        rows,
        quoting=draw(st.sampled_from(QUOTING)),
        newline=draw(st.sampled_from(NEWLINES)),
    )
    return encode(text, draw(st.sampled_from(ENCODINGS)), draw(st.integers(0, 10_000)))


random_bytes = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=512).map(lambda b: codecs.BOM_UTF8 + b),
    st.binary(max_size=512).map(lambda b: codecs.BOM_UTF16_LE + b),
    st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=512).map(lambda b: b"RECTYPE,URN,TELIG\n" + b),
)


# --- XLSX: the action plan workbook and the results template --------------------------------

xlsx_values = st.one_of(
    st.none(),
    cells.filter(lambda s: len(s) < 30_000),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)
XLSX_OPS = ["set", "set", "set", "delete_sheet", "rename_sheet", "append_row", "delete_rows"]
xlsx_ops = st.lists(
    st.tuples(
        st.sampled_from(XLSX_OPS),
        st.integers(0, 10_000),
        st.integers(1, 40),
        st.integers(1, 14),
        xlsx_values,
    ),
    max_size=10,
)


def _illegal_free(value):
    """openpyxl refuses control characters in cells: a spreadsheet cannot hold them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def mutate_workbook(source: Path | bytes, operations) -> bytes:
    from openpyxl import Workbook, load_workbook

    wb = load_workbook(source) if isinstance(source, Path) else Workbook()
    for op, which, row, col, value in operations:
        if not wb.worksheets:
            wb.create_sheet("Sheet")
        ws = wb.worksheets[which % len(wb.worksheets)]
        if op == "set":
            ws.cell(row=row, column=col, value=_illegal_free(value))
        elif op == "delete_sheet" and len(wb.worksheets) > 1:
            wb.remove(ws)
        elif op == "rename_sheet":
            ws.title = (str(_illegal_free(value)) or "x")[:31].translate(
                str.maketrans("", "", "[]:*?/\\")
            ) or "x"
        elif op == "append_row":
            ws.append([_illegal_free(value)] * col)
        elif op == "delete_rows":
            ws.delete_rows(row, col)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_workbook(seed: Seed, path: Path) -> Path:
    """The results template sample as an XLSX file (the template importer reads both)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(seed.header)
    for row in seed.rows:
        ws.append([float(v) if _is_number(v) else v for v in row])
    wb.save(path)
    return path


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@st.composite
def xlsx_files(draw, sources: list[Path]) -> bytes:
    data = mutate_workbook(draw(st.sampled_from(sources)), draw(xlsx_ops))
    # Sometimes corrupt the container itself: a flipped byte or a cut-off file.
    damage = draw(st.sampled_from(["none", "none", "none", "flip", "cut"]))
    # A position drawn independently of the size: saved workbooks differ by timestamp bytes.
    at = draw(st.integers(0, 10**6)) % len(data)
    if damage == "flip":
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    elif damage == "cut":
        data = data[:at]
    return data
