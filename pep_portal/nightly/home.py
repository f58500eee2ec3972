"""The nightly run's home section: the last run, a task when it failed (officers)."""

from __future__ import annotations

from django.urls import reverse

from pep_portal.accounts.roles import is_staff_officer
from pep_portal.platform.homepage import MINE, TASK, HomeItem, HomeSection, home_section

from .selectors import nightly_run_list


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
