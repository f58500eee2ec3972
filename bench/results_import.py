"""Benchmark: import a full-size KS2 performance-tables file; compare with pandas.read_csv.

    .venv/bin/python bench/results_import.py [--schools 20000] [--path FILE] [--tracemalloc]

Generates the file (bench/generate_results.py) unless --path is given, migrates a fresh
SQLite database in a temporary directory (or uses DATABASE_URL if set), registers the
schools the file names, then times, in the same run:

  floor     pandas.read_csv of the same file (all columns as text), wall time and peak
            Python memory (tracemalloc); on PostgreSQL also the read plus a COPY of the
            same result rows (those the first import wrote) into a copy of the results table
            (``CREATE TABLE ... (LIKE outcomes_result INCLUDING ALL)``: the same columns,
            indexes and constraints), the floor of a set-based import
  import    manage.py import_results' code path (pep_portal.imports.services.import_file),
            all-or-nothing in one transaction: wall time, rows/s, results written, and the
            peak resident memory growth (ru_maxrss) -- or, with --tracemalloc, the peak
            Python allocation (slower: tracemalloc itself costs time)
  re-import the same file again (idempotent: every result compared, nothing written)
  revised   (--revised) the same file as status=revised: every result updated, its
            previous state kept in ResultRevision

The database must be empty of results (a fresh SQLite file by default; with DATABASE_URL,
a freshly created database) for the first figure to be a first import.

and prints the ratio of each to the floor. Nothing is asserted: figures are for
BENCHMARKS.md and the issue's closing note.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def copy_floor(connection) -> float:
    """Seconds to COPY every stored result into an indexed copy of the results table, without
    and with its foreign keys."""
    import io

    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, "outcomes_result")
            if c.name != "id"
        ]
        names = ", ".join(columns)
        buf = io.BytesIO()
        cursor.cursor.copy_expert(f"COPY (SELECT {names} FROM outcomes_result) TO STDOUT", buf)
        cursor.execute("DROP TABLE IF EXISTS bench_result_copy")
        cursor.execute("CREATE TABLE bench_result_copy (LIKE outcomes_result INCLUDING ALL)")
        buf.seek(0)
        t = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY bench_result_copy ({names}) FROM STDIN", buf)
        seconds = time.perf_counter() - t
        # The same with the results table's foreign keys (LIKE does not copy them), checked
        # when the COPY commits, as the import's are.
        cursor.execute("TRUNCATE bench_result_copy")
        for column, target in FOREIGN_KEYS:
            cursor.execute(
                f"ALTER TABLE bench_result_copy ADD FOREIGN KEY ({column}) REFERENCES {target} "
                "(id) DEFERRABLE INITIALLY DEFERRED"
            )
        buf.seek(0)
        t = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY bench_result_copy ({names}) FROM STDIN", buf)
        with_keys = time.perf_counter() - t
        cursor.execute("DROP TABLE bench_result_copy")
    return seconds, with_keys


FOREIGN_KEYS = (
    ("measure_id", "outcomes_measure"),
    ("school_id", "schools_school"),
    ("la_id", "schools_localauthority"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20000)
    parser.add_argument("--path", type=Path)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument(
        "--revised",
        action="store_true",
        help="also time a third import as status=revised (every result updated)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="pep-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(tmp / "media"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from generate_results import generate

    from pep_portal.imports.services import import_file
    from schools.models import LocalAuthority, School

    path = args.path or tmp / "2016_ks2_england.csv"
    if not args.path:
        t = time.perf_counter()
        rows = generate(path, args.schools)
        print(
            f"generated {rows} rows in {time.perf_counter() - t:.1f}s: {path} "
            f"({path.stat().st_size / 1e6:.1f} MB)"
        )
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    las = LocalAuthority.objects.bulk_create(
        [LocalAuthority(code=c, name=f"Authority {c}") for c in range(201, 351)],
        ignore_conflicts=True,
    )
    by_code = dict(LocalAuthority.objects.values_list("code", "pk"))
    School.objects.bulk_create(
        [
            School(urn=100001 + n, la_id=by_code[201 + n % 150], name=f"School {100001 + n}")
            for n in range(args.schools)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    del las

    rss_before = rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    t, c = time.perf_counter(), time.process_time()
    summary = import_file(kind="results", path=str(path), year="2016")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    if args.tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        mem = f"peak Python allocation {peak / 1e6:.0f} MB (tracemalloc)"
    else:
        mem = f"peak RSS growth {rss_mb() - rss_before:.0f} MB (ru_maxrss {rss_mb():.0f} MB)"
    written = summary["results created"]
    print(
        f"import  {summary['rows']} rows, {written} results created in {wall:.1f}s "
        f"({summary['rows'] / wall:.0f} rows/s, {written / wall:.0f} results/s); {mem}"
    )

    import pandas as pd  # after the import, so ru_maxrss above is the import's own

    tracemalloc.start()
    t, c = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    floor, floor_cpu = time.perf_counter() - t, time.process_time() - c
    _, floor_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shape = frame.shape
    del frame
    print(
        f"floor   pandas.read_csv: {floor:.2f}s, peak {floor_peak / 1e6:.0f} MB "
        f"({shape[0]} rows x {shape[1]} columns)"
    )
    print(f"import ratio to floor: {wall / floor:.1f}x")
    if connection.vendor == "postgresql":
        copy_s, keys_s = copy_floor(connection)
        print(
            f"floor   COPY of the {written} result rows into a copy of the results table: "
            f"{copy_s:.2f}s; read_csv + COPY {floor + copy_s:.2f}s"
        )
        print(f"import ratio to read_csv + COPY: {wall / (floor + copy_s):.2f}x")
        print(
            f"floor   the same COPY with the table's foreign keys: {keys_s:.2f}s; "
            f"read_csv + COPY {floor + keys_s:.2f}s; import ratio "
            f"{wall / (floor + keys_s):.2f}x"
        )

    t, c = time.perf_counter(), time.process_time()
    again = import_file(kind="results", path=str(path), year="2016")
    wall2, cpu2 = time.perf_counter() - t, time.process_time() - c
    print(
        f"re-import (idempotent): {again['results unchanged']} unchanged, "
        f"{again['results created']} created, "
        f"{again['results updated (previous values kept in history)']} updated "
        f"in {wall2:.1f}s; ratio to floor: {wall2 / floor:.1f}x"
    )
    figures = [
        ("import", wall, cpu, written),
        ("re-import", wall2, cpu2, again["results unchanged"]),
    ]
    if args.revised:
        # Every result changes status: each one updated, its previous state kept in history.
        t, c = time.perf_counter(), time.process_time()
        revised = import_file(kind="results", path=str(path), year="2016", status="revised")
        wall3, cpu3 = time.perf_counter() - t, time.process_time() - c
        updated = revised["results updated (previous values kept in history)"]
        print(
            f"revised (status changes on every result): {updated} updated, "
            f"{revised['results unchanged']} unchanged in {wall3:.1f}s; "
            f"ratio to floor: {wall3 / floor:.1f}x"
        )
        figures.append(("revised", wall3, cpu3, updated))
    print()
    print(
        "Wall time depends on what else the machine runs; CPU is this process's own time "
        "(on PostgreSQL the server's work is not in it). Ratios are to the floor's."
    )
    print(
        f"{'run':<10} {'rows':>7} {'results':>9} {'wall s':>8} {'floor s':>8} {'ratio':>7} "
        f"{'cpu s':>7} {'floor cpu':>9} {'cpu ratio':>9}"
    )
    for name, seconds, cpu_s, results in figures:
        print(
            f"{name:<10} {summary['rows']:>7} {results:>9} {seconds:>8.1f} {floor:>8.2f} "
            f"{seconds / floor:>6.1f}x {cpu_s:>7.1f} {floor_cpu:>9.2f} {cpu_s / floor_cpu:>8.1f}x"
        )
    print(f"peak RSS growth during the first import: {mem}")


if __name__ == "__main__":
    main()
