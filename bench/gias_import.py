"""Benchmark: import a full-size GIAS establishment CSV into the configured database.

    .venv/bin/python bench/gias_import.py [PATH] [--rows 50000] [--encoding cp1252]
                                          [--tracemalloc]

PATH defaults to var/bench/edubasealldata_bench.csv, generated (bench/generate_gias.py) when
missing. The database is DATABASE_URL, or var/bench/gias_bench.sqlite3 when unset; it is
migrated, and the register's tables in it are emptied before each fresh import.

Prints, measured in this run:
  - first import (empty register): wall time, peak RSS (getrusage maxrss);
  - the same file again (idempotent re-import: everything unchanged): wall time;
  - the floor: pandas.read_csv of the same file (all columns as text), wall time;
  - the ratio of each import to the floor;
  - with --tracemalloc: peak Python heap of a further fresh import under tracemalloc (tracing
    slows it ten-fold or more, so its time is not compared).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DIR = ROOT / "var" / "bench"


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "path", nargs="?", type=Path, default=BENCH_DIR / "edubasealldata_bench.csv"
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--encoding", default="cp1252")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'gias_bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.local")
    if not args.path.exists():
        from generate_gias import generate

        print(f"Generating {args.rows} rows into {args.path} ...", flush=True)
        generate(args.path, rows=args.rows, encoding=args.encoding)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from pep_portal.imports.services import import_file
    from schools.models import LocalAuthority, OfstedInspection, School, Trust

    call_command("migrate", verbosity=0)

    def empty_register() -> None:
        """Delete the register in plain SQL: no per-object signals (the audit log) on 50,000."""
        with connection.cursor() as cursor:
            for model in (OfstedInspection, School, Trust, LocalAuthority):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")

    with args.path.open("rb") as fh:
        header = fh.readline()
        rows = sum(1 for _ in fh)
    columns = header.count(b",") + 1
    size_mb = args.path.stat().st_size / 1e6
    print(f"File: {args.path} ({size_mb:.1f} MB, {rows} rows x {columns} columns)")
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")

    empty_register()
    gc.collect()
    rss_before = maxrss_mb()
    t0 = time.perf_counter()
    first = import_file(kind="gias", path=str(args.path))
    first_s = time.perf_counter() - t0
    rss_after = maxrss_mb()
    t0 = time.perf_counter()
    again = import_file(kind="gias", path=str(args.path))
    again_s = time.perf_counter() - t0
    assert again["created"] == again["updated"] == 0, again

    import pandas as pd

    from pep_portal.imports.framework import detect_encoding

    t0 = time.perf_counter()
    frame = pd.read_csv(
        args.path, dtype=str, keep_default_na=False, encoding=detect_encoding(args.path)
    )
    floor_s = time.perf_counter() - t0
    assert len(frame) == rows
    del frame

    print(
        f"First import:  {first_s:6.2f} s  created {first['created']}, "
        f"trusts {first['trusts created']}, LAs {first['local authorities created']}, "
        f"inspections {first['Ofsted inspections added']}"
    )
    print(f"Re-import:     {again_s:6.2f} s  unchanged {again['unchanged']}")
    print(f"Floor (pandas.read_csv, dtype=str): {floor_s:6.2f} s")
    print(
        f"Ratio to floor: first import {first_s / floor_s:.1f}x, re-import {again_s / floor_s:.1f}x"
    )
    print(
        f"Peak RSS: {rss_before:.0f} MB before the import, {rss_after:.0f} MB after "
        f"(+{rss_after - rss_before:.0f} MB)"
    )

    if args.tracemalloc:
        empty_register()
        gc.collect()
        tracemalloc.start()
        t0 = time.perf_counter()
        import_file(kind="gias", path=str(args.path))
        traced_s = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Peak Python heap during a fresh import (tracemalloc): {peak / 1e6:.1f} MB "
              f"(run took {traced_s:.1f} s under tracing)")  # fmt: skip


if __name__ == "__main__":
    main()
