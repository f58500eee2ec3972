"""Benchmark the nightly run at England scale on PostgreSQL with real Celery workers.

    createdb -h 127.0.0.1 -U postgres pep_england
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pep_england REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_england
    .venv/bin/python bench/nightly.py [--workers 1 2]

Reports, for each worker count: wall time of the run (started -> published), rows written,
peak memory of any worker process (VmHWM of each process of the worker's tree: the prefork
pool's children and their parent), worker-seconds per step (``NightlyChunk.seconds``); and
how many workers England needs to finish within an hour at the measured rate; and the floor measured in the same session: one SQL
pass over every result row computing the same window functions (RANK() for ranks and NTILE(4)
for quartiles, partitioned by measure, year, group and area type). Ratio = run / floor.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.local")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only")
# A queue of its own, so a test run sharing this Redis never takes the benchmark's tasks.
os.environ["NIGHTLY_QUEUE"] = f"nightly-bench-{os.getpid()}"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from outcomes.models import Result  # noqa: E402
from pep_portal.celery import app  # noqa: E402
from pep_portal.nightly import selectors, services  # noqa: E402
from pep_portal.nightly.models import NightlyRun  # noqa: E402

FLOOR_SQL = """
SELECT count(*), sum(r), sum(q) FROM (
  SELECT
    RANK() OVER (PARTITION BY measure_id, academic_year, pupil_group, area_type
                 ORDER BY value DESC) AS r,
    NTILE(4) OVER (PARTITION BY measure_id, academic_year, pupil_group, area_type
                   ORDER BY value) AS q
  FROM outcomes_result WHERE value IS NOT NULL
) t
"""


def floor() -> tuple[float, int]:
    with connection.cursor() as c:
        started = time.monotonic()
        c.execute(FLOOR_SQL)
        count = c.fetchone()[0]
    return time.monotonic() - started, count


def tree_pids(root: int) -> list[int]:
    pids, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        pids.extend(int(c) for c in children)
        frontier.extend(int(c) for c in children)
    return pids


def hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_with_workers(n: int) -> dict:
    env = {**os.environ, "CONN_MAX_AGE": "0"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pep_portal",
            "worker",
            "-l",
            "warning",
            "-c",
            str(n),
            "--pool=prefork",
            "-Q",
            os.environ["NIGHTLY_QUEUE"],
            "-n",
            f"bench{n}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(f"bench{n}@" in k for r in app.control.ping(timeout=1) for k in r):
            if time.monotonic() > deadline:
                raise RuntimeError("worker did not start")
        run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
        peak = 0
        while True:
            run.refresh_from_db()
            peak = max([peak, *(hwm_kb(p) for p in tree_pids(proc.pid))])
            if run.finished:
                break
            time.sleep(0.5)
        if run.status != NightlyRun.Status.SUCCEEDED:
            raise RuntimeError(f"run failed: {run.errors}")
        steps = selectors.nightly_run_steps(run=run)
        return {
            "steps": {s["step"]: (s["parts"], s["seconds"] or 0.0) for s in steps},
            "workers": n,
            "seconds": run.duration.total_seconds(),
            "rows": run.rows_written,
            "peak_mb": max(peak, run.peak_memory_kb) / 1024,
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL, after generate_england) and REDIS_URL.")
    results = Result.objects.count()
    print(f"Result rows: {results:,}")
    floor_s, ranked = floor()
    floor_s = min(floor_s, floor()[0])
    print(f"Floor (one SQL pass, RANK + NTILE over {ranked:,} values): {floor_s:.1f} s")
    runs = [run_with_workers(n) for n in args.workers]
    print()
    print("| workers | run wall time | ratio to floor | rows written | peak worker memory |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in runs:
        print(
            f"| {r['workers']} | {r['seconds']:.1f} s | {r['seconds'] / floor_s:.2f}x | "
            f"{r['rows']:,} | {r['peak_mb']:.0f} MB |"
        )
    for r in runs:
        busy = sum(seconds for _, seconds in r["steps"].values())
        print(
            f"\n{r['workers']} worker(s): "
            + "; ".join(
                f"{step} {parts} parts, {seconds:.0f} worker-s"
                for step, (parts, seconds) in sorted(r["steps"].items())
            )
            + f"; {busy:.0f} worker-s in all"
        )
        # Parts run in parallel within a stage; the run's wall time beyond the parts' own time
        # (queueing, stage switches, publishing) does not shrink with more workers.
        fixed = max(0.0, r["seconds"] - busy / r["workers"])
        needed = max(1, -(-busy // max(1.0, 3600 - fixed)))
        print(
            f"  England within an hour: {int(needed)} worker(s) "
            f"({busy:.0f} worker-s of parts + {fixed:.0f} s that do not parallelise)"
        )
    if len(runs) >= 2:
        cut = 1 - runs[1]["seconds"] / runs[0]["seconds"]
        print(f"\n{runs[1]['workers']} workers vs {runs[0]['workers']}: wall time cut by {cut:.0%}")


if __name__ == "__main__":
    main()
