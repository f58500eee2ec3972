"""The portal's own home sections: failed imports and the last nightly run (officers), and
API tokens (trust users)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from .homepage import MINE, TASK, HomeItem, HomeSection, home_section
from .imports import importer_kinds
from .models import ImportJob
from .nightly.selectors import nightly_run_list
from .roles import is_staff_officer, is_trust_user
from .selectors import import_job_list

FAILED_IMPORTS_DAYS = 14


@home_section(order=30)
def failed_imports(*, user, now) -> HomeSection | None:
    """Imports rejected in the last two weeks and not since imported again."""
    if not is_staff_officer(user):
        return None
    jobs = import_job_list(user=user)
    since = now - dt.timedelta(days=FAILED_IMPORTS_DAYS)
    succeeded_kinds = {
        (kind, name)
        for kind, name in jobs.filter(
            status=ImportJob.Status.SUCCEEDED, finished_at__gte=since
        ).values_list("kind", "original_name")
    }
    labels = importer_kinds()
    items = []
    for job in jobs.filter(status=ImportJob.Status.FAILED, finished_at__gte=since)[:10]:
        if (job.kind, job.original_name) in succeeded_kinds:
            continue
        first = (job.errors or [{}])[0]
        items.append(
            HomeItem(
                title=f"{labels.get(job.kind, job.kind)}: {job.original_name}",
                url=reverse("import_detail", args=[job.pk]),
                when=job.finished_at,
                when_label="Rejected",
                detail=str(first.get("message", ""))[:160],
                overdue=True,
            )
        )
    return HomeSection(
        key="failed_imports",
        heading="Failed imports",
        items=items,
        summary=f"{len(items)} import{'s' if len(items) != 1 else ''} rejected in the last "
        f"{FAILED_IMPORTS_DAYS} days, to fix and upload again"
        if items
        else "",
        empty="No import was rejected in the last two weeks.",
        more_url=reverse("imports"),
        more_label="All imports",
    )


@home_section(order=60)
def last_nightly_run(*, user, now) -> HomeSection | None:
    if not is_staff_officer(user):
        return None
    run = nightly_run_list(user=user).order_by("-created_at", "-pk").first()
    if run is None:
        return HomeSection(
            key="nightly",
            heading="Last nightly run",
            empty="No nightly run yet: the pages show no computed figures until one succeeds.",
            more_url=reverse("nightly_runs"),
            more_label="Nightly runs",
        )
    failed = run.status == run.Status.FAILED
    item = HomeItem(
        title=f"Run {run.pk}: {run.get_status_display().lower()}",
        url=reverse("nightly_run_detail", args=[run.pk]),
        when=run.finished_at or run.started_at or run.created_at,
        when_label="Finished" if run.finished_at else "Started",
        detail=_run_detail(run, failed),
        overdue=failed,
    )
    return HomeSection(
        key="nightly",
        heading="Last nightly run",
        kind=TASK if failed else MINE,
        items=[item],
        summary="The last run failed: pages still show the previous good figures."
        if failed
        else "",
        more_url=reverse("nightly_runs"),
        more_label="Nightly runs and recompute now",
    )


def _run_detail(run, failed: bool) -> str:
    if failed and run.errors:
        first = run.errors[0]
        return str(first.get("message", first) if isinstance(first, dict) else first)[:200]
    if run.published:
        return f"Published: the pages show its figures ({run.rows_written:,} rows)."
    return run.stage_name


@home_section(order=90)
def api_access(*, user, now) -> HomeSection | None:
    if not is_trust_user(user):
        return None
    from .api_tokens.selectors import api_token_list

    active = sum(1 for t in api_token_list(user=user) if not t.is_expired)
    return HomeSection(
        key="api",
        heading="API access",
        kind=MINE,
        items=[
            HomeItem(
                title="Your API tokens",
                url=reverse("api_tokens"),
                when=None,
                detail=f"{active} active token{'s' if active != 1 else ''}. Create one to pull "
                "your trust's schools' data into your own systems.",
            ),
            HomeItem(title="How to use the API", url=reverse("api_guide")),
        ],
    )
