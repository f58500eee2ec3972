"""Load test: the portal under gunicorn on loopback, board members reading the dashboard
pages while trusts sync through the API. Stops by itself.

    .venv/bin/python bench/load.py                      # 100 board members (think 5-10 s),
                                                        # 10 trusts syncing once each,
                                                        # England-scale data, private servers
    .venv/bin/python bench/load.py --trust-mode loop    # the trusts sync back to back instead
    .venv/bin/python bench/load.py --data demo --seconds 20

The deployment shape of docker-compose.yml: two gunicorn pools, pages (``web``, 3 workers x 2
threads) and API (``api``, 1 worker x 2 threads), each started here on its own port; the
clients send /api/ to the API pool and everything else to the pages pool, as the compose
file's nginx does. PostgreSQL and a Redis cache (the dashboards' page cache, throttles).

By default it starts its OWN PostgreSQL and Redis on free ports in a temp dir (never the
machine's shared ones), migrates, generates the England-scale data (manage.py
generate_england) and runs the nightly recompute so the dashboards have their figures.
--database-url uses an existing, already-loaded database instead (still a private Redis).

Board members arrive over the first think time and then read a page for a uniformly drawn
5-10 s (``--think``) before the next, seeded per member. Trusts (``--trust-mode once``, the
default) each run ONE full sync on a fixed schedule (trust k starts at ``--sync-start`` + k x
``--sync-stagger`` s): every page of its schools, then every 500-result page of its schools'
results, following the ``Link`` header, with the production per-token throttles. The run
lasts ``--seconds`` and is extended until every sync has finished (at most 600 s more).
``--trust-mode loop``: the trusts sync back to back for the whole run (throttles lifted).

Prints, per page: requests, errors, p50 and p95 in ms; board pages overall and while at least
one sync was running; each sync's start, time, pages, rows and completion; requests per
second; the floor (/healthz: one SELECT 1 and a cache round trip, measured in the same run);
and the machine's load average before and after. Also writes JSON to
bench/results/load-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.private import (  # noqa: E402  (the same private-server helpers as the fault tests)
    PrivatePostgres,
    PrivateRedis,
    free_port,
    port_open,
    wait_until,
)

SETUP = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from pep_portal.api_tokens.services import api_token_create
from pep_portal.accounts.models import Role, User
from pep_portal.navigation import nav_for
from schools.models import Trust

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

boards = []
for i in range({boards}):
    u, _ = User.objects.get_or_create(email=f"board{{i}}@load.example", defaults={{"role": Role.BOARD_MEMBER}})
    boards.append(session_for(u))
pages = [item["url"] for item in nav_for(User.objects.get(email="board0@load.example"), "/")]
if not Trust.objects.filter(schools__isnull=False).exists():
    # generate_england makes no trusts: group academies into {trusts} trusts of 40 schools.
    from schools.models import School
    academies = list(School.objects.filter(category__startswith="academy").order_by("urn")[: 40 * {trusts}])
    for n in range({trusts}):
        trust, _ = Trust.objects.get_or_create(name=f"Load Test Academy Trust {{n + 1}}")
        School.objects.filter(pk__in=[s.pk for s in academies[n::{trusts}]]).update(trust=trust)
    # update() sends no model signal: tell the page caches, as the portal's own writers do.
    from pep_portal.platform.versioned_cache import rows_changed
    rows_changed(School, Trust)
trusts = []
for t in Trust.objects.annotate(n=Count("schools")).filter(n__gt=0).order_by("-n", "pk")[:{trusts}]:
    u, _ = User.objects.get_or_create(email=f"trust{{t.pk}}@load.example", defaults={{"role": Role.TRUST_USER, "trust": t}})
    _, text = api_token_create(user=u, name="load test")
    trusts.append({{"trust": t.pk, "schools": t.n, "token": text}})
print("LOAD-SETUP " + json.dumps({{"boards": boards, "pages": pages, "trusts": trusts}}))
"""


def manage(env, *args, timeout=3600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def run_load(bases: dict, setup: dict, args) -> dict:
    """Drive the load; returns the timings, errors, syncs and the run's wall time."""
    import random

    import requests

    timings: dict[str, list[tuple[float, float]]] = defaultdict(list)  # (start, ms)
    errors: dict[str, list[str]] = defaultdict(list)
    syncs: list[dict] = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + args.seconds
    hard_stop = deadline + 600
    once = args.trust_mode == "once"

    def running() -> bool:
        now = time.monotonic()
        if now >= hard_stop:
            return False
        if now < deadline:
            return True
        return once and len(syncs) < len(setup["trusts"])  # until every sync has finished

    def get(session, label, path, **kw):
        base = bases["api"] if path.startswith("/api/") else bases["web"]
        began = time.monotonic()
        try:
            response = session.get(base + path if path.startswith("/") else path, timeout=120)
            outcome = response.status_code
        except Exception as exc:
            response, outcome = None, type(exc).__name__
        elapsed = (time.monotonic() - began) * 1000
        with lock:
            timings[label].append((began - started, elapsed))
            if outcome != 200:
                errors[label].append(str(outcome))
        return response if outcome == 200 else None

    def board_member(n: int, session_key: str) -> None:
        session = requests.Session()
        session.cookies.set("sessionid", session_key)
        pages = setup["pages"]
        rng = random.Random(n)
        low, high = args.think
        if high:  # members arrive over the first think time, not all in the same instant
            time.sleep(rng.uniform(0, high))
        i = n
        while running():
            page = pages[i % len(pages)]
            i += 1
            get(session, page, page)
            if i % 10 == 0:
                get(session, "/healthz", "/healthz")
            if high:
                time.sleep(max(0.0, min(rng.uniform(low, high), hard_stop - time.monotonic())))

    def sync(session, trust: dict) -> dict:
        """One full sync: every page of the trust's schools, then of their results."""
        began = time.monotonic()
        pages = rows = 0
        complete = True
        for label, first in [
            ("/api/v1/schools/", f"/api/v1/schools/?trust={trust['trust']}&page_size=100"),
            ("/api/v1/results/", f"/api/v1/results/?trust={trust['trust']}&page_size=500"),
        ]:
            url = first
            while url:
                if time.monotonic() >= hard_stop:
                    return {"complete": False, "pages": pages, "rows": rows, "began": began}
                response = get(session, label, url)
                if response is None:
                    complete = False
                    break
                pages += 1
                # The Link header, not the body: parsing 500-row pages in this process
                # would hold the GIL and add the client's own wait to every timing.
                rows += response.content.count(b'"id":') if label.endswith("results/") else 0
                url = response.links.get("next", {}).get("url")
        return {"complete": complete, "pages": pages, "rows": rows, "began": began}

    def trust_sync(k: int, trust: dict) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {trust['token']}"
        if once:
            time.sleep(
                max(0.0, started + args.sync_start + k * args.sync_stagger - time.monotonic())
            )
            done = sync(session, trust)
            with lock:
                syncs.append(
                    {
                        "trust": trust["trust"],
                        "schools": trust["schools"],
                        "started_at_s": round(done["began"] - started, 1),
                        "seconds": round(time.monotonic() - done["began"], 1),
                        "ended_at_s": round(time.monotonic() - started, 1),
                        "pages": done["pages"],
                        "rows": done["rows"],
                        "complete": done["complete"],
                    }
                )
            return
        while time.monotonic() < deadline:
            sync(session, trust)

    threads = [
        threading.Thread(target=board_member, args=(n, key))
        for n, key in enumerate(setup["boards"])
    ] + [threading.Thread(target=trust_sync, args=(k, t)) for k, t in enumerate(setup["trusts"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 900)
    return {
        "timings": timings,
        "errors": errors,
        "syncs": sorted(syncs, key=lambda s: s["started_at_s"]),
        "wall": time.monotonic() - started,
    }


def warm_up(bases: dict, setup: dict, rounds: int) -> None:
    """Not measured: each pool's workers import their code and fill their caches, as a
    server that has been up for a while has (``rounds`` concurrent passes over the pages)."""
    import requests

    def one_pass(n: int) -> None:
        session = requests.Session()
        session.cookies.set("sessionid", setup["boards"][n % len(setup["boards"])])
        for page in setup["pages"]:
            session.get(bases["web"] + page, timeout=300)
        for trust in setup["trusts"][:1]:
            session.get(
                f"{bases['api']}/api/v1/results/?trust={trust['trust']}&page_size=1",
                headers={"Authorization": f"Token {trust['token']}"},
                timeout=300,
            )

    threads = [threading.Thread(target=one_pass, args=(n,)) for n in range(rounds)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _summary(values: list[float]) -> dict:
    return {
        "requests": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
    }


def report(results: dict, meta: dict) -> dict:
    timings, errors, syncs, wall = (
        results["timings"],
        results["errors"],
        results["syncs"],
        results["wall"],
    )
    floor_values = [ms for _, ms in timings.get("/healthz", [])]
    floor = statistics.median(floor_values) if floor_values else float("nan")
    rows = []
    for label in sorted(timings):
        values = [ms for _, ms in timings[label]]
        p50 = percentile(values, 50)
        rows.append(
            {
                "page": label,
                **_summary(values),
                "errors": len(errors.get(label, [])),
                "error_kinds": sorted(set(errors.get(label, [])))[:5],
                "p50_vs_floor": round(p50 / floor, 1) if floor == floor else None,
            }
        )
    board = [
        (at, ms)
        for label, values in timings.items()
        if not label.startswith("/api/") and label != "/healthz"
        for at, ms in values
    ]
    windows = [(s["started_at_s"], s["ended_at_s"]) for s in syncs]
    during = [ms for at, ms in board if any(a <= at < b for a, b in windows)]
    total = sum(r["requests"] for r in rows)
    summary = {
        **meta,
        "seconds": round(wall, 1),
        "requests": total,
        "errors": sum(r["errors"] for r in rows),
        "requests_per_second": round(total / wall, 1),
        "floor_healthz_p50_ms": round(floor, 1),
        "board_pages": _summary([ms for _, ms in board]),
        "board_pages_while_syncing": _summary(during) if windows else None,
        "syncs": syncs,
        "pages": rows,
    }
    print()
    print(
        f"Load test: {meta['boards']} board members (think {meta['think_seconds']} s) + "
        f"{meta['trusts']} trusts ({meta['trust_mode']}), {summary['seconds']} s; "
        f"gunicorn {meta['gunicorn']}; data: {meta['data']}; {meta['cpus']} CPUs; "
        f"load average before {meta['load_before']}, after {meta['load_after']}"
    )
    print(f"Command: {meta['command']}")
    print()
    print("| page | requests | errors | p50 ms | p95 ms | p50 / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['page']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p50_vs_floor']} |"
        )
    b, w = summary["board_pages"], summary["board_pages_while_syncing"]
    print()
    print(f"Board pages: {b['requests']} requests, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms")
    if w:
        print(
            f"  while a sync ran: {w['requests']} requests, p50 {w['p50_ms']} ms, "
            f"p95 {w['p95_ms']} ms"
        )
    if syncs:
        print()
        print("| trust | schools | started at s | took s | pages | rows | complete |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for s in syncs:
            print(
                f"| {s['trust']} | {s['schools']} | {s['started_at_s']} | {s['seconds']} "
                f"| {s['pages']} | {s['rows']} | {'yes' if s['complete'] else 'NO'} |"
            )
    print()
    print(
        f"Total: {total} requests, {summary['errors']} errors, "
        f"{summary['requests_per_second']} requests/s; floor (/healthz p50) "
        f"{summary['floor_healthz_p50_ms']} ms"
    )
    for r in rows:
        if r["errors"]:
            print(f"  errors on {r['page']}: {r['error_kinds']}")
    return summary


def start_gunicorn(env: dict, port: int, workers: int, threads: int, log: Path):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pep_portal.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=open(log, "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _stop_on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # so the private servers are stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--trusts", type=int, default=10)
    parser.add_argument("--trust-mode", choices=["once", "loop"], default="once")
    parser.add_argument("--sync-start", type=float, default=10, help="first sync starts at (s)")
    parser.add_argument("--sync-stagger", type=float, default=3, help="seconds between syncs")
    parser.add_argument("--data", choices=["england", "demo"], default="england")
    parser.add_argument("--schools", type=int, default=20000, help="England-scale schools")
    parser.add_argument("--database-url", help="an existing, loaded database (skips set-up)")
    parser.add_argument("--web", default="3x2", help="pages pool: WORKERSxTHREADS (compose: 3x2)")
    parser.add_argument("--api", default="1x2", help="API pool: WORKERSxTHREADS (compose: 1x2)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[5.0, 10.0],
        metavar=("MIN", "MAX"),
        help="board members' seconds reading each page, drawn uniformly (0 0: back to back)",
    )
    args = parser.parse_args()

    servers = []
    tmp = Path(tempfile.mkdtemp(prefix="pep-load-"))
    pools = []
    try:
        redis = PrivateRedis()
        servers.append(redis)
        if args.database_url:
            database_url = args.database_url
        else:
            pg = PrivatePostgres()
            servers.append(pg)
            pg.createdb("portal")
            database_url = pg.url("portal")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
            "DEBUG": "0",
            "SECRET_KEY": "load-test-only",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            "REDIS_URL": redis.url,
            "REDIS_CACHE_URL": redis.url.replace("/0", "/1"),
            "MEDIA_ROOT": str(tmp / "media"),
            "REQUIRE_MFA_FOR_STAFF": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        if args.trust_mode == "loop":  # back to back: measure the portal, not the throttle
            env["API_THROTTLE_RATE"] = "100000/min"
            env["API_THROTTLE_SUSTAINED_RATE"] = "10000000/hour"
        else:  # one sync each, under the production per-token throttles
            env.pop("API_THROTTLE_RATE", None)
            env.pop("API_THROTTLE_SUSTAINED_RATE", None)
        timer = time.monotonic()
        # Set-up runs tasks in-process (no worker is running): without a broker they are eager.
        eager = {**env, "REDIS_URL": "", "REDIS_CACHE_URL": ""}
        if not args.database_url:
            print("Migrating a fresh private PostgreSQL ...", flush=True)
            manage(eager, "migrate", "--noinput")
            if args.data == "england":
                print(f"Generating England-scale data ({args.schools} schools) ...", flush=True)
                manage(eager, "generate_england", "--schools", str(args.schools))
            else:
                manage(eager, "load_demo")
            print("Running the nightly recompute (dashboard figures) ...", flush=True)
            manage(eager, "recompute")
        setup_out = manage(env, "shell", "-c", SETUP.format(boards=args.boards, trusts=args.trusts))
        setup = json.loads(setup_out.split("LOAD-SETUP ", 1)[1])
        print(
            f"Set-up took {time.monotonic() - timer:.0f} s; pages: {setup['pages']}; "
            f"trusts: {[t['schools'] for t in setup['trusts']]} schools each",
            flush=True,
        )
        if not setup["trusts"]:
            print("No trusts with schools: the API part is skipped.")
        bases = {}
        for name, shape in (("web", args.web), ("api", args.api)):
            workers, threads = (int(v) for v in shape.split("x"))
            port = free_port()
            pools.append(start_gunicorn(env, port, workers, threads, tmp / f"{name}.log"))
            wait_until(lambda port=port: port_open(port), 60, f"gunicorn ({name}) to listen")
            bases[name] = f"http://127.0.0.1:{port}"
        print("Warming up the pools (not measured) ...", flush=True)
        warm_up(bases, setup, rounds=6)
        load_before = load_average()
        print(f"Running {args.seconds:.0f} s of load (load average {load_before}) ...", flush=True)
        results = run_load(bases, setup, args)
        meta = {
            "boards": args.boards,
            "think_seconds": args.think,
            "trusts": len(setup["trusts"]),
            "trust_mode": args.trust_mode,
            "data": args.data if not args.database_url else "given database",
            "gunicorn": f"pages {args.web}, API {args.api} (workers x threads, gthread)",
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": load_average(),
            "command": "bench/load.py " + " ".join(sys.argv[1:]),
        }
        summary = report(results, meta)
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(json.dumps(summary, indent=2))
        print(f"\nJSON: {path}")
    finally:
        for pool in pools:
            pool.terminate()
            try:
                pool.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pool.kill()
        for server in reversed(servers):
            server.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
