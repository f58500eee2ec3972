"""Write a full-size DfE KS2 performance-tables file (England scale) in the real layout.

    .venv/bin/python bench/generate_results.py /tmp/2016_ks2_england.csv --schools 20000

UTF-8 with a byte-order mark and CRLF line ends, RECTYPE 1/2 school rows, one RECTYPE 3 row
per LA, RECTYPE 4 and 5 England rows; "78%" percentage strings, progress scores with CIs and
band text, every suppression marker, and ragged rows (new schools stop early). Deterministic
(seeded). URNs run from 100001 so bench/results_import.py can register the same schools.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

GROUPS = ["", "_FSM6CLA1A", "_NotFSM6CLA1A", "_B", "_G", "_EAL", "_L", "_M", "_H"]
PCT = ["PTREAD_EXP", "PTWRITTA_EXP", "PTMAT_EXP", "PTRWM_EXP", "PTRWM_HIGH"]
PROG = ["READPROG", "WRITPROG", "MATPROG"]
# Columns the portal does not import, present in the real file.
OTHER = [
    "TOTPUPS",
    "TKS1AVERAGE",
    "READ_AVERAGE",
    "MAT_AVERAGE",
    "GPS_AVERAGE",
    "PTGPS_EXP",
    "PTGPS_HIGH",
    "DIFFN_RWM_EXP",
    "DIFFN_RWM_HIGH",
    "PTFSM6CLA1A",
    "PTEALGRP2",
    "PTMOBN",
    "PSENELSE",
    "PSENELK",
    "TEALGRP2",
]
MARKERS = ["SUPP", "NA", "NE", "NP", "LOWCOV", "NSE", "NR", "NEW", "", " "]
BANDS = ["Well above average", "Above average", "Average", "Below average", "Well below average"]


def header() -> list[str]:
    cols = [
        "RECTYPE",
        "LEA",
        "ESTAB",
        "URN",
        "SCHNAME",
        "LANAME",
        "TELIG",
        "TFSM6CLA1A",
        "TNotFSM6CLA1A",
    ]
    for g in GROUPS:
        cols += [c + g for c in PCT]
        for p in PROG:
            cols += [p + g, p + "_LOWER" + g, p + "_UPPER" + g]
    cols += [p + "_DESCR" for p in PROG]
    return cols + OTHER


def measure_cells(rng: random.Random, cols: list[str]) -> list[str]:
    out = []
    for c in cols[9:]:
        if rng.random() < 0.04:
            out.append(rng.choice(MARKERS))
        elif c.startswith("PT"):
            out.append(f"{rng.randint(20, 100)}%")
        elif c.endswith("_DESCR"):
            out.append(rng.choice(BANDS))
        elif "PROG" in c:
            base = round(rng.uniform(-6, 6), 2)
            if "_LOWER" in c:
                base = round(base - 3, 2)
            elif "_UPPER" in c:
                base = round(base + 3, 2)
            out.append(str(base))
        else:
            out.append(str(rng.randint(0, 300)))
    return out


def fix_ci(cols: list[str], cells: list[str]) -> list[str]:
    """Keep each CI around its score (lower <= upper) wherever all three are numbers."""
    index = {c: i for i, c in enumerate(cols)}
    for g in GROUPS:
        for p in PROG:
            v, lo, hi = (index[p + g], index[p + "_LOWER" + g], index[p + "_UPPER" + g])
            try:
                score = float(cells[v])
            except ValueError:
                continue
            cells[lo], cells[hi] = f"{score - 2.1:.2f}", f"{score + 2.1:.2f}"
    return cells


def generate(path: Path, schools: int, las: int = 150, seed: int = 2016) -> int:
    rng = random.Random(seed)
    cols = header()
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(cols)
        for n in range(schools):
            la = 201 + n % las
            urn = 100001 + n
            rectype = "2" if n % 25 == 0 else "1"
            cells = [
                rectype,
                str(la),
                str(2000 + n % 8000),
                str(urn),
                f"School {urn}",
                f"Authority {la}",
                str(rng.randint(5, 120)),
                str(rng.randint(0, 40)),
                str(rng.randint(5, 80)),
            ]
            if n % 97 == 0:  # a new school: the row stops after the cohort columns
                writer.writerow(cells + ["NEW"] * 3)
            else:
                writer.writerow(fix_ci(cols, cells + measure_cells(rng, cols)))
            rows += 1
        for la in range(201, 201 + las):
            cells = [
                "3",
                str(la),
                "",
                "",
                f"Authority {la}",
                f"Authority {la}",
                "4000",
                "1300",
                "2700",
            ]
            writer.writerow(fix_ci(cols, cells + measure_cells(rng, cols)))
            rows += 1
        for rectype in ("4", "5"):
            cells = [rectype, "", "", "", "England", "", "560000", "180000", "380000"]
            writer.writerow(fix_ci(cols, cells + measure_cells(rng, cols)))
            rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--schools", type=int, default=20000)
    args = parser.parse_args()
    rows = generate(args.path, args.schools)
    print(
        f"Wrote {rows} rows x {len(header())} columns to {args.path} "
        f"({args.path.stat().st_size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
