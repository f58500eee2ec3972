"""Benchmark: a page of 500 results from /api/v1/results/ (JSON and CSV) against a floor.

    createdb -h 127.0.0.1 -U postgres pep_bench_api
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pep_bench_api
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_england
    .venv/bin/python bench/api.py [--requests 300]

Needs England-scale data (``generate_england``) and a published nightly snapshot: when there
is none, the script runs the nightly computation once first (eagerly, in this process).

Every request goes through the whole portal stack in-process (Django's WSGI handler and
middleware, token authentication, named permissions, throttling, filters, cursor pagination,
the nightly figures, ETag, rendering). The floor (issue 20), measured in the same run through
the same stack, once per page: a bare DRF view with the same token authentication running ONE
query for the same 500 rows (``values()`` of the same result columns, with the measure code,
URN, school name and LA code joined), rendered by the same renderer; no permission, throttle,
filter, figures or ETag. Reported: requests per second, p50 and p95 latency, and throughput as
a share of that page's floor (goal: at least 50%), with the machine's load average before and
after. Also reported: the same page answered 304 to If-None-Match (the nightly sync's cost when
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
from django.db.models import F  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402
from rest_framework.permissions import IsAuthenticated  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from outcomes.api import RESULT_FIELDS  # noqa: E402
from outcomes.models import Result  # noqa: E402
from pep_portal.accounts.models import Role, User  # noqa: E402
from pep_portal.api.auth import ApiTokenAuthentication  # noqa: E402
from pep_portal.api.renderers import CSVRenderer  # noqa: E402
from pep_portal.nightly.models import CurrentSnapshot, NightlyRun  # noqa: E402

FLOOR_IDS: dict[str, list[int]] = {}
# The floor's joined columns: the measure's code, the school's URN and name, the LA's code
# (and the measure's polarity and places, which the portal's rows carry too).
FLOOR_VALUES = {
    "measure_code": F("measure__code"),
    "urn": F("school__urn"),
    "school_name": F("school__name"),
    "la_code": Coalesce(F("la__code"), F("school__la__code")),
    "measure_polarity": F("measure__polarity"),
    "measure_places": F("measure__decimal_places"),
}


class FloorView(APIView):
    """The floor: token authentication, one query for the page's 500 rows, rendered."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request, page):
        rows = list(
            Result.objects.filter(pk__in=FLOOR_IDS[page])
            .order_by("pk")
            .values(*RESULT_FIELDS, **FLOOR_VALUES)
        )
        return Response({"next": None, "previous": None, "results": rows})


urlpatterns = [
    path("bench-floor/<str:page>/", FloorView.as_view()),
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
    share = f"{rps / floor_rps:5.2f}x the floor" if floor_rps else "  (floor)"
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
    print("Load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    # The deep and trust pages are older years' rows (ids follow the generator's year order),
    # which have no nightly figures; the latest year's rows carry them (the join's full cost).
    latest = Result.objects.order_by("-academic_year").values_list("academic_year", flat=True)[0]
    pages = {"deep": deep, "trust": sync, "trust-latest": f"{sync}&year={latest}"}
    for name, url in pages.items():
        response = client.get(url, **auth)
        assert response.status_code == 200, response.content[:300]
        rows = response.json()["results"]
        FLOOR_IDS[name] = [r["id"] for r in rows]
        with_figures = sum(1 for r in rows if r["nightly"])
        print(f"  ({name} page: {len(rows)} rows, {with_figures} with nightly figures)")

    for fmt, suffix in (("JSON", ""), ("CSV", "&format=csv")):
        print(f"{fmt}:")
        for name, url in pages.items():
            floor_url = f"/bench-floor/{name}/?format={fmt.lower()}"
            floor_rps = report(
                f"floor: token + 1 query ({name})", *timed(client, floor_url, n, **auth)
            )
            report(f"results, {name} page", *timed(client, url + suffix, n, **auth), floor_rps)
            etag = client.get(url + suffix, **auth)["ETag"]
            report(
                f"results, {name} page, 304",
                *timed(client, url + suffix, n, HTTP_IF_NONE_MATCH=etag, **auth),
                floor_rps,
            )
    print("Load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
