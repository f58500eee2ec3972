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
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from partnership.dashboards import views
    from pep_portal.accounts.models import Role, SchoolSummary, User
    from pep_portal.nightly.selectors import current_run
    from schools.models import School

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    run = current_run()
    if run is None:
        sys.exit("No published snapshot: run `manage.py recompute` first.")
    user, _ = User.objects.get_or_create(
        email="bench-board@pep.example", defaults={"role": Role.BOARD_MEMBER}
    )
    la_schools = School.objects.filter(la__in_partnership=True).exclude(status="closed")
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
    print(
        f"Snapshot run {run.pk}; {School.objects.count()} schools in England, "
        f"{la_schools.count()} in the partnership's LA; {args.requests} requests each "
        f"after {args.warmup} warm-up; database {connection.vendor}."
    )
    header = (
        f"{'page':<22} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'floor med':>9} {'floor p95':>9} {'ratio med':>9} {'ratio p95':>9}"
    )
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


if __name__ == "__main__":
    main()
