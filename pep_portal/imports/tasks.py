from celery import shared_task

from . import services


# Named as before the move (queued messages and the beat schedule name tasks).
@shared_task(name="pep_portal.tasks.import_job_run_task", acks_late=True, max_retries=0)
def import_job_run_task(job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@shared_task(name="pep_portal.tasks.import_jobs_requeue_task", acks_late=True, max_retries=0)
def import_jobs_requeue_task() -> int:
    """Celery beat, every minute: send again import jobs queued while Redis was down."""
    from . import outbox

    return outbox.import_jobs_requeue()
