"""Server time and query count of the board dashboards on the England-scale snapshot.

    createdb pep_bench_dash
    export DATABASE_URL=postgres:///pep_bench_dash
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_england
    .venv/bin/python manage.py recompute          # the nightly run writes the snapshot
    .venv/bin/python bench/dashboards.py --requests 60

For the city overview, the schools grid (every school of the partnership's LA, sorted by a
measure) and a school on a page: the median and p95 of the full server time of a signed-in
request (middleware, session, permission, selectors, template) and its SQL query count;
and the FLOOR measured in the same run: the same template rendered (with the request's
context processors) from a context built once beforehand. Goal: within 2x of the floor and
under 150 ms p95.

``--cached`` (issue 20) measures instead, through the test client and the full middleware:
each page uncached (DASHBOARD_PAGE_CACHE_SECONDS=0), cached (warm cache, a second board
member's requests), and the floor the issue names: the same template, from a context built
once, behind a bare ``login_required`` view (session and user loaded); median and p95 of
each, as ratios to the floor's median and p95, with the cache backend in use (Redis when
REDIS_CACHE_URL is set, as in production) and the machine's load average before and after.
Works on any database with a published run, e.g. the demo:

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py load_demo
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/dashboards.py --cached

``--pages grid`` (or ``overview``, ``school``) measures only those pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.local")
os.environ.setdefault("SECRET_KEY", "bench-dashboards")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cached", action="store_true", help="cached vs uncached vs floor")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=("overview", "grid", "school"),
        default=("overview", "grid", "school"),
        help="measure only these pages (default: all three)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from outcomes.models import SchoolSummary
    from partnership.dashboards import views
    from pep_portal.accounts.models import Role, User
    from pep_portal.nightly.selectors import current_run
    from schools.models import School
    from schools.selectors import partnership_schools

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    analyze_never_analysed(connection)
    run = current_run()
    if run is None:
        sys.exit("No published snapshot: run `manage.py recompute` first.")
    user, _ = User.objects.get_or_create(
        email="bench-board@pep.example", defaults={"role": Role.BOARD_MEMBER}
    )
    la_schools = partnership_schools()
    school = (
        SchoolSummary.objects.filter(run_id=run.pk, school__la__in_partnership=True)
        .order_by("-reds", "school__urn")
        .select_related("school")
        .first()
        .school
    )
    client = Client()
    client.force_login(user)
    factory = RequestFactory()

    def request_for(path: str):
        request = factory.get(path)
        request.user = user
        request.session = client.session
        return request

    sort = "?sort=-abs_overall_pct"
    cases = [
        (
            "overview",
            reverse("partnership:overview"),
            views.OVERVIEW_TEMPLATE,
            lambda r: views.overview_context(r),
        ),
        (
            f"grid ({la_schools.count()} schools)",
            reverse("partnership:schools_grid") + sort,
            views.GRID_TEMPLATE,
            lambda r: views.schools_grid_context(r),
        ),
        (
            "school page",
            reverse("partnership:school_page", args=[school.urn]),
            views.SCHOOL_TEMPLATE,
            lambda r: views.school_page_context(r, school),
        ),
    ]
    wanted = {"overview": 0, "grid": 1, "school": 2}
    cases = [cases[wanted[page]] for page in args.pages]
    print(
        f"Snapshot run {run.pk}; {School.objects.count()} schools in England, "
        f"{la_schools.count()} in the partnership's LA; {args.requests} requests each "
        f"after {args.warmup} warm-up; database {connection.vendor}."
    )
    header = (
        f"{'page':<22} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'floor med':>9} {'floor p95':>9} {'ratio med':>9} {'ratio p95':>9}"
    )
    if args.cached:
        return cached_vs_floor(args, cases, request_for, user)
    print(header)
    print("-" * len(header))
    for name, url, template, build in cases:
        for _ in range(args.warmup):
            assert client.get(url).status_code == 200
        times = []
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = len(ctx.captured_queries)
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        request = request_for(url)
        context = build(request)
        for _ in range(args.warmup):
            render_to_string(template, context, request=request)
        floor = []
        for _ in range(args.requests):
            started = time.perf_counter()
            render_to_string(template, context, request=request)
            floor.append((time.perf_counter() - started) * 1000)
        med, p95 = statistics.median(times), percentile(times, 0.95)
        fmed, fp95 = statistics.median(floor), percentile(floor, 0.95)
        print(
            f"{name:<22} {med:9.1f} {p95:8.1f} {queries:7d} {fmed:9.1f} {fp95:9.1f} "
            f"{med / fmed:9.2f} {p95 / fp95:9.2f}"
        )


def timed(client, url: str, n: int, **headers) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304), (url, response.status_code)
    return times


def cached_vs_floor(args, cases, request_for, user) -> None:
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.core.cache import cache
    from django.shortcuts import render
    from django.test import Client
    from django.urls import clear_url_caches, path

    from pep_portal import urls as root_urls
    from pep_portal.accounts.models import Role, User

    other, _ = User.objects.get_or_create(
        email="bench-board-2@pep.example", defaults={"role": Role.BOARD_MEMBER}
    )
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(other)
    floors = {}
    for i, (name, url, template, build) in enumerate(cases):
        context = build(request_for(url))

        @login_required
        def floor_view(request, template=template, context=context):
            return render(request, template, context)

        floors[name] = f"/bench-floor/{i}/"
        root_urls.urlpatterns.append(path(f"bench-floor/{i}/", floor_view))
    clear_url_caches()

    from django.core.cache import caches

    backend = type(caches["default"]).__name__
    print(f"Cache: {backend}; load average before: {load_average()}")
    print(
        f"{'page':<22} {'uncached med/p95':>17} {'cached med/p95':>17} {'304':>8} "
        f"{'floor med/p95':>17} {'uncached/floor':>15} {'cached/floor':>15}"
    )
    for name, url, _template, _build in cases:
        settings.DASHBOARD_PAGE_CACHE_SECONDS = 0
        timed(first, url, args.warmup)
        uncached = timed(first, url, args.requests)
        settings.DASHBOARD_PAGE_CACHE_SECONDS = 3600
        cache.clear()
        first.get(url)  # fills the cache; the second board member reads it
        timed(second, url, args.warmup)
        cached = timed(second, url, args.requests)
        etag = second.get(url)["ETag"]
        not_modified = timed(second, url, args.requests, if_none_match=etag)
        timed(second, floors[name], args.warmup)
        floor = timed(second, floors[name], args.requests)

        def fmt(v):
            return f"{statistics.median(v):6.1f}/{percentile(v, 0.95):6.1f} ms"

        def ratio(v, floor=floor):
            med = statistics.median(v) / statistics.median(floor)
            return f"{med:.2f}/{percentile(v, 0.95) / percentile(floor, 0.95):.2f}"

        print(
            f"{name:<22} {fmt(uncached):>17} {fmt(cached):>17} "
            f"{statistics.median(not_modified):6.1f}ms {fmt(floor):>17} "
            f"{ratio(uncached):>15} {ratio(cached):>15}"
        )
    print(f"Load average after: {load_average()}")


def analyze_never_analysed(connection) -> None:
    """ANALYZE the big tables PostgreSQL has no statistics for yet (rows loaded by COPY, by
    ``generate_england`` or a nightly run, before autovacuum gets to them): without them the
    planner guesses, and a page that takes 0.1 s can take seconds (the grid's year list
    walked 4.4 million index entries). Production: autovacuum analyses them; the benchmark
    measures that steady state."""
    if connection.vendor != "postgresql":
        return
    tables = (
        "outcomes_result",
        "pep_portal_schoolfigure",
        "pep_portal_schoolsummary",
        "pep_portal_indicatorfigure",
        "pep_portal_dashboardfigure",
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT coalesce(last_analyze, last_autoanalyze) FROM pg_stat_user_tables "
                "WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            if row is not None and row[0] is None:
                print(f"ANALYZE {table} (never analysed)")
                cursor.execute(f"ANALYZE {table}")


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    main()
