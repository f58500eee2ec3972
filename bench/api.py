"""Benchmark: a page of 500 results from /api/v1/results/ (JSON and CSV) against a floor.

    createdb -h 127.0.0.1 -U postgres pep_bench_api
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pep_bench_api
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_england
    .venv/bin/python bench/api.py [--requests 300]

Needs England-scale data (``generate_england``) and a published nightly snapshot: when there
is none, the script runs the nightly computation once first (eagerly, in this process).

Every request goes through the whole portal stack in-process (Django's WSGI handler and
middleware, token authentication, named permissions, throttling, filters, cursor pagination,
the nightly figures, ETag, rendering). The floor, measured in the same run through the same
stack: a bare DRF view (no authentication, permission, throttle or database) returning the
SAME 500 rows, already in memory, with the same renderer. Reported: requests per second,
p50 and p95 latency, and throughput as a share of the floor (goal: at least 50%).
Also reported: the same page answered 304 to If-None-Match (the nightly sync's cost when
nothing changed).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.local")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["API_THROTTLE_RATE"] = "100000000/min"
os.environ["API_THROTTLE_SUSTAINED_RATE"] = "100000000/hour"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402
from rest_framework.permissions import AllowAny  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from outcomes.models import Result  # noqa: E402
from pep_portal.accounts.models import CurrentSnapshot, NightlyRun, Role, User  # noqa: E402
from pep_portal.api.renderers import CSVRenderer  # noqa: E402

FLOOR_ROWS: dict[str, list] = {}


class FloorView(APIView):
    """The floor: the same rows, already in memory, rendered; nothing else."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request):
        return Response({"next": None, "previous": None, "results": FLOOR_ROWS["rows"]})


urlpatterns = [
    path("bench-floor/", FloorView.as_view()),
    path("", include("pep_portal.urls")),
]


def ensure_snapshot() -> int:
    run_id = CurrentSnapshot.objects.filter(singleton=1).values_list("run_id", flat=True).first()
    if run_id:
        return run_id
    from pep_portal.nightly import services

    print("No published snapshot: running the nightly computation once (eager) ...", flush=True)
    started = time.perf_counter()
    run = services.nightly_run_wait(
        services.nightly_run_start_or_join(trigger=NightlyRun.Trigger.COMMAND), timeout=7200
    )
    print(f"  run {run.pk}: {run.get_status_display()} in {time.perf_counter() - started:.0f} s")
    return run.pk


def analyze_snapshot_tables() -> None:
    """Rows written by COPY have no planner statistics until autovacuum gets to them; without
    them PostgreSQL scans every figure of the run (seconds). Production: autovacuum (or the
    nightly publish step) analyses them; here we do it once, before timing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("pep_portal_schoolfigure", "pep_portal_indicatorfigure", "outcomes_result"):
            cursor.execute(
                "SELECT coalesce(last_analyze, last_autoanalyze) FROM pg_stat_user_tables "
                "WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            if row is None or row[0] is None:
                print(f"  ANALYZE {table} (never analysed)")
                cursor.execute(f"ANALYZE {table}")


def bench_user() -> str:
    from pep_portal.api_tokens.services import api_token_create

    user, _ = User.objects.get_or_create(
        email="bench-api@example.org", defaults={"role": Role.OFFICER, "is_staff": True}
    )
    _, token = api_token_create(user=user, name="bench")
    return token


def timed(client: Client, url: str, n: int, **headers) -> tuple[list[float], int, int]:
    for _ in range(max(5, n // 10)):  # warm up
        response = client.get(url, **headers)
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, **headers)
        latencies.append(time.perf_counter() - started)
    return latencies, response.status_code, len(response.content)


def report(name: str, latencies: list[float], status: int, size: int, floor_rps=None) -> float:
    total = sum(latencies)
    rps = len(latencies) / total
    p50 = statistics.median(latencies) * 1000
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000
    share = f"{100 * rps / floor_rps:5.0f}% of floor" if floor_rps else "  (floor)"
    print(
        f"  {name:<34} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"{size / 1024:7.0f} KiB  HTTP {status}  {share}"
    )
    return rps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]
    n = args.requests

    vendor = connection.vendor
    results = Result.objects.count()
    run_id = ensure_snapshot()
    analyze_snapshot_tables()
    token = bench_user()
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client = Client()

    # A page deep in the list: the cursor starts at the median result id.
    ids = Result.objects.order_by("pk").values_list("pk", flat=True)
    middle = ids[results // 2]
    cursor = base64.b64encode(f"p={middle}".encode()).decode()
    deep = f"/api/v1/results/?page_size=500&cursor={cursor}"
    from schools.models import Trust

    trust = Trust.objects.filter(schools__results__isnull=False).order_by("pk").values("pk").first()
    sync = f"/api/v1/results/?page_size=500&trust={trust['pk']}" if trust else deep

    print(f"Database: {vendor}, {results:,} results, published snapshot run {run_id}")
    print(f"Page: 500 results, {n} requests each (after a warm-up), in-process WSGI")
    first = client.get(deep, **auth)
    assert first.status_code == 200, first.content[:300]
    FLOOR_ROWS["rows"] = first.json()["results"]
    for name, url in (("deep page", deep), ("trust page", sync)):
        rows = client.get(url, **auth).json()["results"]
        with_figures = sum(1 for r in rows if r["nightly"])
        print(f"  ({name}: {len(rows)} rows, {with_figures} with nightly figures)")

    for fmt, floor_url, api_deep, api_sync in (
        ("JSON", "/bench-floor/?format=json", deep, sync),
        ("CSV", "/bench-floor/?format=csv", deep + "&format=csv", sync + "&format=csv"),
    ):
        print(f"{fmt}:")
        floor_rps = report("floor (bare DRF view, rows in memory)", *timed(client, floor_url, n))
        report("results, deep cursor page", *timed(client, api_deep, n, **auth), floor_rps)
        report("results, one trust (sync)", *timed(client, api_sync, n, **auth), floor_rps)
        etag = client.get(api_deep, **auth)["ETag"]
        report(
            "results, 304 (If-None-Match)",
            *timed(client, api_deep, n, HTTP_IF_NONE_MATCH=etag, **auth),
            floor_rps,
        )


if __name__ == "__main__":
    main()
