from celery import shared_task

from . import services


@shared_task(acks_late=True, max_retries=0)
def import_job_run_task(job_id: int) -> None:
    services.import_job_run(job_id=job_id)
