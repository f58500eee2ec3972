"""Writes for the nightly run: start, stages, chunks, publish, fail, stale runs, pruning.

The life of a run::

    nightly_run_start        (web request, beat or command: creates the run = takes the lock)
      -> nightly_run_begin   (worker: clean up old snapshots, start stage 0)
      -> nightly_stage_start (worker: fan the stage's chunks out as a Celery chord whose
                              callback starts the next stage)
           -> nightly_chunk_run x N (worker: one chunk of one step, in one transaction)
      -> nightly_run_publish (worker: switch CurrentSnapshot to this run, in one transaction)

Any failure marks the run failed (``nightly_run_fail``) and it is never published; the
pointer still names the last good run, so the pages keep serving that snapshot. A run whose
worker was killed stops sending heartbeats; the next trigger (or the status page) marks it
failed once it has been silent for NIGHTLY_STALE_SECONDS.
"""

from __future__ import annotations

import logging
import resource
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery import chord, group
from django.conf import settings
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db import connections as db_connections
from django.db.models import F, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from pep_portal.accounts.models import User

from . import get_step, setting, snapshot_models, stages
from .models import CurrentSnapshot, NightlyChunk, NightlyRun

logger = logging.getLogger(__name__)

ACTIVE = (NightlyRun.Status.QUEUED, NightlyRun.Status.RUNNING)


class NightlyRunAlreadyRunning(Exception):
    """Another run is queued or running: a second one may not start."""

    def __init__(self, run: NightlyRun | None):
        self.run = run
        super().__init__(
            f"A nightly run is already in progress (run {run.pk})." if run else "A run is active."
        )


class _RunNoLongerActive(Exception):
    """Raised inside a chunk transaction to roll back the rows of a run that has ended."""


def stale_after() -> timedelta:
    return timedelta(seconds=setting("NIGHTLY_STALE_SECONDS", 1800))


def nightly_queue() -> str | None:
    """The Celery queue the run's tasks go to (NIGHTLY_QUEUE; default: Celery's default)."""
    return getattr(settings, "NIGHTLY_QUEUE", None) or None


def keep_published() -> int:
    return int(setting("NIGHTLY_KEEP_PUBLISHED", 3))


def _peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux


# --- Starting a run ---------------------------------------------------------------------


def nightly_run_start(
    *, trigger: str, user: User | None = None, enqueue: bool = True, background: bool = False
) -> NightlyRun:
    """Create a run and queue it after the commit. Raises NightlyRunAlreadyRunning.

    The partial unique constraint on NightlyRun.active is the lock: of two concurrent
    triggers exactly one INSERT succeeds. A run that stopped sending heartbeats is marked
    failed first, so a killed worker never blocks the nightly run for good.

    ``background``: when Celery runs tasks eagerly (no broker: the embedded demo), run the
    tasks in a thread of this process instead of inside the caller, so a web request
    returns at once and its page can show the run's progress. With a broker it changes
    nothing: the workers run it.
    """
    nightly_runs_fail_stale()
    run = NightlyRun(trigger=trigger, triggered_by=user, heartbeat_at=timezone.now())
    run.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        raise NightlyRunAlreadyRunning(NightlyRun.objects.filter(active=True).first())
    if enqueue:
        from .tasks import nightly_run_task

        queue = nightly_queue()
        if background and settings.CELERY_TASK_ALWAYS_EAGER and settings.NIGHTLY_EAGER_IN_THREAD:
            transaction.on_commit(lambda: _run_in_thread(run.pk, queue))
        else:
            transaction.on_commit(lambda: nightly_run_task.apply_async((run.pk,), queue=queue))
    return run


_threads: list[threading.Thread] = []


def _run_in_thread(run_id: int, queue: str | None) -> None:
    from .tasks import nightly_run_task

    def run() -> None:
        try:
            nightly_run_task.apply_async((run_id,), queue=queue)  # eager: runs here
        finally:
            db_connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name=f"nightly-run-{run_id}", daemon=True)
    _threads.append(thread)
    thread.start()


def nightly_background_join(timeout: float | None = None) -> None:
    """Wait for runs started in a thread (``background=True`` without a broker)."""
    while _threads:
        _threads.pop().join(timeout)


def nightly_runs_fail_stale(*, now: datetime | None = None) -> list[int]:
    """Mark failed every active run that has been silent longer than the stale limit."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    stale = list(
        NightlyRun.objects.filter(active=True, heartbeat_at__lt=cutoff).values_list("pk", flat=True)
    )
    minutes = max(1, round(stale_after().total_seconds() / 60))
    for run_id in stale:
        nightly_run_fail(
            run_id=run_id,
            error=(
                f"No progress for more than {minutes} minute(s): the worker running it was "
                "probably stopped or killed. The previous snapshot is still served."
            ),
        )
    return stale


# --- Running it (called by the thin tasks in pep_portal.nightly.tasks) ----------------------------


def _heartbeat(run_id: int, **fields: Any) -> None:
    NightlyRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), **fields)


def nightly_run_begin(*, run_id: int, queue: str | None = None) -> None:
    """First task of a run: clean up old snapshots, then start the first stage."""
    updated = NightlyRun.objects.filter(pk=run_id, status=NightlyRun.Status.QUEUED).update(
        status=NightlyRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        stages_total=len(stages()),
    )
    if not updated:
        return  # redelivered, or failed while queued: nothing to do
    try:
        nightly_snapshots_prune()
    except Exception as exc:
        logger.exception("Nightly run %s: pruning old snapshots failed", run_id)
        nightly_run_fail(run_id=run_id, error=f"Cleaning up old snapshots failed: {exc!r}")
        return
    nightly_stage_start(run_id=run_id, stage=0, queue=queue)


def nightly_stage_start(*, run_id: int, stage: int, queue: str | None = None) -> None:
    """Fan a stage's chunks out as a chord whose callback starts the next stage."""
    run = NightlyRun.objects.filter(pk=run_id).only("status", "stage").first()
    if run is None or run.status != NightlyRun.Status.RUNNING:
        return
    all_stages = stages()
    if stage >= len(all_stages):
        nightly_run_publish(run_id=run_id)
        return
    steps = all_stages[stage]
    try:
        work = [
            (step, i, chunk) for step in steps for i, chunk in enumerate(step.chunk_list(run_id))
        ]
    except Exception as exc:
        logger.exception("Nightly run %s: listing the chunks of stage %s failed", run_id, stage)
        nightly_run_fail(run_id=run_id, error=f"{steps[0].label}: listing the work failed: {exc!r}")
        return
    _heartbeat(
        run_id,
        stage=stage,
        stage_name=", ".join(s.label for s in steps),
        chunks_total=len(work),
    )
    from .tasks import nightly_chunk_task, nightly_stage_task

    # Every task of a run stays on the queue the run was sent to (NIGHTLY_QUEUE).
    options = {"queue": queue} if queue else {}
    next_stage = nightly_stage_task.si(run_id, stage + 1).set(**options)
    if not work:
        next_stage.apply_async()
        return
    header = group(
        nightly_chunk_task.si(run_id, step.name, i, chunk).set(**options) for step, i, chunk in work
    )
    chord(header)(next_stage)


def nightly_chunk_run(*, run_id: int, step_name: str, index: int, chunk: Any) -> int:
    """Run one chunk of one step in one transaction. Failures mark the run failed.

    A chunk already recorded for this run (a redelivered task) is skipped, and a chunk of a
    run that has ended (failed meanwhile, e.g. marked stale) is rolled back, so nothing a
    late worker writes can mix into a snapshot.
    """
    if not NightlyRun.objects.filter(pk=run_id, status=NightlyRun.Status.RUNNING).exists():
        return 0
    if NightlyChunk.objects.filter(nightly_run_id=run_id, step=step_name, index=index).exists():
        return 0
    started = time.monotonic()
    try:
        step = get_step(step_name)
        with transaction.atomic():
            rows = step.run(run_id=run_id, chunk=chunk)
            # Lock the run row: a run failed meanwhile must not get rows from this chunk.
            run = NightlyRun.objects.select_for_update().only("status").get(pk=run_id)
            if run.status != NightlyRun.Status.RUNNING:
                raise _RunNoLongerActive
            peak = _peak_rss_kb()
            NightlyChunk.objects.create(
                nightly_run_id=run_id,
                step=step_name,
                index=index,
                rows_written=rows,
                seconds=time.monotonic() - started,
                peak_memory_kb=peak,
            )
            _heartbeat(
                run_id,
                rows_written=F("rows_written") + rows,
                peak_memory_kb=Greatest(F("peak_memory_kb"), peak),
            )
        return rows
    except _RunNoLongerActive:
        return 0
    except (OperationalError, InterfaceError):
        raise  # a database blip: the task retries (and fails the run when retries run out)
    except IntegrityError:
        # The same chunk was recorded concurrently (a duplicate delivery): not an error.
        if NightlyChunk.objects.filter(nightly_run_id=run_id, step=step_name, index=index).exists():
            return 0
        raise
    except Exception as exc:
        logger.exception("Nightly run %s: step %s chunk %s failed", run_id, step_name, index)
        nightly_run_fail(
            run_id=run_id,
            error=f"Step “{step_name}”, part {index + 1}: {type(exc).__name__}: {exc}",
        )
        return 0


def snapshot_tables_analyze() -> None:
    """Refresh PostgreSQL's planner statistics on the snapshot tables.

    They are bulk-loaded (COPY) and pages read them straight after publishing; without fresh
    statistics the first page after a run planned badly (2.7 s instead of ~60 ms on the
    England-scale data) until autovacuum caught up.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in snapshot_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def nightly_run_publish(*, run_id: int) -> bool:
    """Switch the served snapshot to this run, in one transaction. False if it cannot."""
    snapshot_tables_analyze()
    with transaction.atomic():
        pointer, _ = CurrentSnapshot.objects.select_for_update().get_or_create(singleton=1)
        run = NightlyRun.objects.select_for_update().get(pk=run_id)
        if run.status != NightlyRun.Status.RUNNING:
            return False
        now = timezone.now()
        totals = run.chunks.aggregate(rows=Sum("rows_written"))
        run.rows_written = totals["rows"] or 0
        run.status = NightlyRun.Status.SUCCEEDED
        run.active = None
        run.published = True
        run.published_at = now
        run.finished_at = now
        run.heartbeat_at = now
        run.stage_name = "Published"
        run.save()
        pointer.run = run
        pointer.switched_at = now
        pointer.save()
    logger.info("Nightly run %s published (%s rows)", run_id, run.rows_written)
    return True


def nightly_run_fail(*, run_id: int, error: str) -> bool:
    """Record a failure and end the run (releasing the lock). False if it had already ended."""
    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE:
            return False
        now = timezone.now()
        run.status = NightlyRun.Status.FAILED
        run.active = None
        run.finished_at = now
        run.started_at = run.started_at or now
        run.errors = [*run.errors, error]
        run.rows_written = run.chunks.aggregate(rows=Sum("rows_written"))["rows"] or 0
        run.save()
    logger.warning("Nightly run %s failed: %s", run_id, error)
    return True


# --- Cleaning up --------------------------------------------------------------------------


def nightly_snapshots_prune(*, keep: int | None = None) -> int:
    """Delete the snapshot rows of runs that are not served and not needed.

    Kept: the current run, any active run, and the newest ``keep`` published runs. Deleted:
    everything written by failed runs, and older published runs. Run records stay (history).
    """
    keep = keep_published() if keep is None else keep
    current = CurrentSnapshot.objects.filter(singleton=1).values_list("run_id", flat=True).first()
    kept_published = list(
        NightlyRun.objects.filter(published=True)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:keep]
    )
    doomed = list(
        NightlyRun.objects.filter(snapshot_pruned=False, active__isnull=True)
        .exclude(pk__in=[*kept_published, current] if current else kept_published)
        .values_list("pk", flat=True)
    )
    if not doomed:
        return 0
    deleted = 0
    for model in snapshot_models():
        qs = model.objects.filter(run_id__in=doomed)
        deleted += qs._raw_delete(qs.db)  # no per-row cascade collection: snapshots are leaves
    NightlyRun.objects.filter(pk__in=doomed).update(snapshot_pruned=True)
    return deleted


# --- Waiting (the recompute command, the demo loader) -------------------------------------


def nightly_run_start_or_join(*, trigger: str, user: User | None = None) -> NightlyRun:
    """Start a run, or return the one already in progress."""
    try:
        return nightly_run_start(trigger=trigger, user=user)
    except NightlyRunAlreadyRunning as exc:
        if exc.run is None:
            raise
        return exc.run


def nightly_run_wait(
    run: NightlyRun,
    *,
    timeout: float = 3600,
    poll: float = 0.5,
    on_progress: Callable[[NightlyRun], object] | None = None,
) -> NightlyRun:
    """Wait for a run to finish (eager runs already have); failing it when it goes stale."""
    deadline = time.monotonic() + timeout
    run.refresh_from_db()
    while not run.finished:
        if time.monotonic() > deadline:
            raise TimeoutError(f"Nightly run {run.pk} did not finish within {timeout:.0f} s.")
        time.sleep(poll)
        nightly_runs_fail_stale()
        run.refresh_from_db()
        if on_progress:
            on_progress(run)
    return run
