"""The nightly run's Celery tasks: thin wrappers over pep_portal.nightly.services.

Task names are kept from before the move (pep_portal.tasks.*): queued messages and the
beat schedule (django-celery-beat rows) name them.
"""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from . import services as nightly

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


@shared_task(name="pep_portal.tasks.nightly_run_task", base=NightlyTask, bind=True, **NIGHTLY_RETRY)
def nightly_run_task(self, run_id: int) -> None:
    nightly.nightly_run_begin(run_id=run_id, queue=_queue(self))


@shared_task(
    name="pep_portal.tasks.nightly_stage_task", base=NightlyTask, bind=True, **NIGHTLY_RETRY
)
def nightly_stage_task(self, run_id: int, stage: int) -> None:
    nightly.nightly_stage_start(run_id=run_id, stage=stage, queue=_queue(self))


@shared_task(name="pep_portal.tasks.nightly_chunk_task", base=NightlyTask, **NIGHTLY_RETRY)
def nightly_chunk_task(run_id: int, step_name: str, index: int, chunk=None) -> int:
    return nightly.nightly_chunk_run(run_id=run_id, step_name=step_name, index=index, chunk=chunk)


@shared_task(name="pep_portal.tasks.nightly_scheduled_task", acks_late=True, max_retries=0)
def nightly_scheduled_task() -> int | None:
    """What Celery beat calls (django-celery-beat's 'Nightly recompute' periodic task)."""
    from .models import NightlyRun

    try:
        return nightly.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE).pk
    except nightly.NightlyRunAlreadyRunning:
        return None
