"""Load test: gunicorn serving the portal on loopback, N board members browsing the dashboard
pages and M trusts syncing through the API, for a fixed time. Stops by itself.

    .venv/bin/python bench/load.py                      # 50 board members, 10 trusts, 60 s,
                                                        # England-scale data, private servers
    .venv/bin/python bench/load.py --data demo --seconds 20

By default it starts its OWN PostgreSQL and Redis on free ports in a temp dir (never the
machine's shared ones), migrates, generates the England-scale data (manage.py
generate_england) and runs the nightly recompute so the dashboards have their figures.
--database-url uses an existing, already-loaded database instead.

Prints, per page: requests, errors, p50 and p95 in ms; requests per second overall; and the
floor: /healthz (one SELECT 1 and a cache round-trip) measured in the same run, with each
page's p50 as a ratio to it. Also writes JSON to bench/results/load-<time>.json.
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


def run_load(base: str, setup: dict, seconds: float, think: float = 0.0) -> tuple[dict, float]:
    import random

    import requests

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def record(label: str, began: float, outcome) -> None:
        elapsed = (time.monotonic() - began) * 1000
        with lock:
            timings[label].append(elapsed)
            if outcome != 200:
                errors[label].append(str(outcome))

    def get(session, label, url, **kw):
        began = time.monotonic()
        try:
            response = session.get(url, timeout=60, **kw)
            outcome = response.status_code
        except Exception as exc:
            response, outcome = None, type(exc).__name__
        record(label, began, outcome)
        return response

    def board_member(n: int, session_key: str) -> None:
        session = requests.Session()
        session.cookies.set("sessionid", session_key)
        pages = setup["pages"]
        rng = random.Random(n)
        if think:  # members arrive over the first think time, not all in the same instant
            time.sleep(rng.uniform(0, think))
        i = n
        while time.monotonic() < deadline:
            page = pages[i % len(pages)]
            i += 1
            get(session, page, base + page)
            if i % 10 == 0:
                get(session, "/healthz", base + "/healthz")
            if think:  # reading the page: uniformly 0.5x-1.5x the mean, seeded per member
                time.sleep(
                    min(
                        rng.uniform(0.5 * think, 1.5 * think), max(0.0, deadline - time.monotonic())
                    )
                )

    def trust_sync(trust: dict) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {trust['token']}"
        while time.monotonic() < deadline:
            for label, first in [
                ("/api/v1/schools/", f"/api/v1/schools/?trust={trust['trust']}&page_size=100"),
                ("/api/v1/results/", f"/api/v1/results/?trust={trust['trust']}&page_size=500"),
            ]:
                url = base + first
                pages = 0
                while url and time.monotonic() < deadline and pages < 20:
                    response = get(session, label, url)
                    pages += 1
                    # The Link header, not the body: parsing 500-row pages in this process
                    # would hold the GIL and add the client's own wait to every timing.
                    url = (
                        response.links.get("next", {}).get("url") if response is not None else None
                    )

    threads = [
        threading.Thread(target=board_member, args=(n, key))
        for n, key in enumerate(setup["boards"])
    ] + [threading.Thread(target=trust_sync, args=(t,)) for t in setup["trusts"]]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.monotonic() - started
    return {"timings": timings, "errors": errors}, wall


def report(results: dict, wall: float, meta: dict) -> dict:
    timings, errors = results["timings"], results["errors"]
    floor = statistics.median(timings["/healthz"]) if timings.get("/healthz") else float("nan")
    rows = []
    for label in sorted(timings):
        values = timings[label]
        p50 = percentile(values, 50)
        rows.append(
            {
                "page": label,
                "requests": len(values),
                "errors": len(errors.get(label, [])),
                "error_kinds": sorted(set(errors.get(label, [])))[:5],
                "p50_ms": round(p50, 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p50_vs_floor": round(p50 / floor, 1) if floor == floor else None,
            }
        )
    total = sum(r["requests"] for r in rows)
    summary = {
        **meta,
        "seconds": round(wall, 1),
        "requests": total,
        "errors": sum(r["errors"] for r in rows),
        "requests_per_second": round(total / wall, 1),
        "floor_healthz_p50_ms": round(floor, 1),
        "pages": rows,
    }
    print()
    print(
        f"Load test: {meta['boards']} board members (think {meta['think_seconds']} s) + {meta['trusts']} trusts (API), "
        f"{summary['seconds']} s, gunicorn {meta['gunicorn']}, data: {meta['data']}"
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


def _stop_on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # so the private servers are stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--trusts", type=int, default=10)
    parser.add_argument("--data", choices=["england", "demo"], default="england")
    parser.add_argument("--schools", type=int, default=20000, help="England-scale schools")
    parser.add_argument("--database-url", help="an existing, loaded database (skips set-up)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="board members' mean seconds reading each page (default 0: back-to-back requests)",
    )
    args = parser.parse_args()

    servers = []
    tmp = Path(tempfile.mkdtemp(prefix="pep-load-"))
    gunicorn = None
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
            "API_THROTTLE_RATE": "100000/min",  # measure the portal, not the throttle
            "API_THROTTLE_SUSTAINED_RATE": "10000000/hour",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
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
        port = free_port()
        gunicorn_args = [
            sys.executable,
            "-m",
            "gunicorn",
            "pep_portal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        gunicorn = subprocess.Popen(
            gunicorn_args,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=open(tmp / "gunicorn.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: port_open(port), 60, "gunicorn to listen")
        base = f"http://127.0.0.1:{port}"
        print(f"Running {args.seconds:.0f} s of load ...", flush=True)
        results, wall = run_load(base, setup, args.seconds, args.think)
        meta = {
            "boards": args.boards,
            "think_seconds": args.think,
            "trusts": len(setup["trusts"]),
            "data": args.data if not args.database_url else "given database",
            "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
            "cpus": os.cpu_count(),
            "command": "bench/load.py " + " ".join(sys.argv[1:]),
        }
        summary = report(results, wall, meta)
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(json.dumps(summary, indent=2))
        print(f"\nJSON: {path}")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        for server in reversed(servers):
            server.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
