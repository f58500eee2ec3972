"""Reads for the nightly run: the run list, one run's progress, the served snapshot."""

from __future__ import annotations

from django.db.models import QuerySet, Subquery

from pep_portal.accounts.models import User

from .models import CurrentSnapshot, NightlyRun


def nightly_run_list(*, user: User) -> QuerySet[NightlyRun]:
    if not user.has_perm("pep_portal.view_nightly_runs"):
        return NightlyRun.objects.none()
    return NightlyRun.objects.select_related("triggered_by")


def current_run_id() -> int | None:
    """The published run the pages read (None before the first run has succeeded)."""
    return CurrentSnapshot.objects.filter(singleton=1).values_list("run_id", flat=True).first()


def current_run_stamp() -> tuple[int | None, object]:
    """The published run's id and when it was switched in (one query): what a page cached
    from the snapshot is keyed by. (None, None) before the first run has succeeded."""
    row = CurrentSnapshot.objects.filter(singleton=1).values_list("run_id", "switched_at").first()
    return row if row else (None, None)


def published_run_id() -> Subquery:
    """The published run's id as a subquery (NULL before the first run): a page reads its
    snapshot rows, or the run itself, in the same query as the pointer."""
    return Subquery(CurrentSnapshot.objects.filter(singleton=1).values("run_id")[:1])


# The same subquery as SQL, for a hot read written once as SQL (pep_portal/platform/sql_rows.py).
PUBLISHED_RUN_SQL = (
    '(SELECT U0."run_id" FROM "pep_portal_currentsnapshot" U0 WHERE U0."singleton" = 1 LIMIT 1)'
)


def current_run() -> NightlyRun | None:
    """The published run (one query: the pointer is read as a subquery). Every dashboard
    page reads it: its SQL is written once, what the ORM wrote for
    ``NightlyRun.objects.filter(pk=published_run_id()).first()`` (issue 20: ~0.7 ms less
    CPU than building and compiling that queryset), run as a raw queryset (Django's
    converters and model instance)."""
    columns = ", ".join(f'"{f.column}"' for f in NightlyRun._meta.concrete_fields)
    runs = NightlyRun.objects.raw(
        f'SELECT {columns} FROM "pep_portal_nightlyrun" WHERE "id" = (SELECT "run_id"'
        ' FROM "pep_portal_currentsnapshot" WHERE "singleton" = 1 LIMIT 1)'
        ' ORDER BY "created_at" DESC, "id" DESC LIMIT 1'
    )
    return next(iter(runs), None)


def active_run() -> NightlyRun | None:
    return NightlyRun.objects.filter(active=True).first()


def nightly_run_progress(*, run: NightlyRun) -> dict:
    """What the progress bar shows: stage i of n, chunks done of the stage's total."""
    done = run.chunks.filter(step__in=_stage_steps(run)).count() if run.status == "running" else 0
    return {
        "id": run.pk,
        "status": run.status,
        "status_display": run.get_status_display(),
        "finished": run.finished,
        "published": run.published,
        "stage": run.stage + 1 if run.stages_total else 0,
        "stages_total": run.stages_total,
        "stage_name": run.stage_name,
        "chunks_done": done,
        "chunks_total": run.chunks_total,
        "rows_written": run.rows_written,
        "errors": run.errors,
    }


def _stage_steps(run: NightlyRun) -> list[str]:
    from . import stages

    all_stages = stages()
    if run.stage < len(all_stages):
        return [s.name for s in all_stages[run.stage]]
    return []


def nightly_run_steps(*, run: NightlyRun) -> list[dict]:
    """Per step: parts finished, rows written, worker seconds, peak memory."""
    from django.db.models import Count, Max, Sum

    return list(
        run.chunks.values("step")
        .annotate(
            parts=Count("pk"),
            rows=Sum("rows_written"),
            seconds=Sum("seconds"),
            peak_kb=Max("peak_memory_kb"),
        )
        .order_by("step")
    )
