from celery import shared_task

from . import services


@shared_task(acks_late=True, max_retries=0)
def import_job_run_task(job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@shared_task(acks_late=True, max_retries=0)
def import_jobs_requeue_task() -> int:
    """Celery beat, every minute: send again import jobs queued while Redis was down."""
    from . import outbox

    return outbox.import_jobs_requeue()


# --- The nightly run: thin wrappers over pep_portal.nightly.services ----------------------

from celery import Task  # noqa: E402
from django.db import InterfaceError, OperationalError  # noqa: E402

from .nightly import services as nightly  # noqa: E402

NIGHTLY_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "max_retries": 3,
    "acks_late": True,
}


class NightlyTask(Task):
    """A nightly task that gives up (retries exhausted) fails its run, with the reason."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        run_id = args[0] if args else kwargs.get("run_id")
        if run_id is not None:
            nightly.nightly_run_fail(
                run_id=run_id, error=f"{self.name.rsplit('.', 1)[-1]}: {type(exc).__name__}: {exc}"
            )


def _queue(task) -> str | None:
    """The queue this task came from: the run's later tasks are sent to the same one."""
    return (task.request.delivery_info or {}).get("routing_key") or None


@shared_task(base=NightlyTask, bind=True, **NIGHTLY_RETRY)
def nightly_run_task(self, run_id: int) -> None:
    nightly.nightly_run_begin(run_id=run_id, queue=_queue(self))


@shared_task(base=NightlyTask, bind=True, **NIGHTLY_RETRY)
def nightly_stage_task(self, run_id: int, stage: int) -> None:
    nightly.nightly_stage_start(run_id=run_id, stage=stage, queue=_queue(self))


@shared_task(base=NightlyTask, **NIGHTLY_RETRY)
def nightly_chunk_task(run_id: int, step_name: str, index: int, chunk=None) -> int:
    return nightly.nightly_chunk_run(run_id=run_id, step_name=step_name, index=index, chunk=chunk)


@shared_task(acks_late=True, max_retries=0)
def nightly_scheduled_task() -> int | None:
    """What Celery beat calls (django-celery-beat's 'Nightly recompute' periodic task)."""
    from .models import NightlyRun

    try:
        return nightly.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE).pk
    except nightly.NightlyRunAlreadyRunning:
        return None
