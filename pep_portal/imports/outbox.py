"""Queueing tasks so that a broker (Redis) outage loses nothing and runs nothing twice.

The database row a task works on is its outbox entry: an ImportJob in status "queued".
- ``publish_on_commit`` sends the task after the commit; if Redis is down the send fails
  quietly (logged) and the row simply stays queued: the user's request does not fail.
- ``import_jobs_requeue`` (Celery beat, every minute) sends again every job still queued a
  while after it was created: jobs queued during an outage, and tasks Redis lost on a restart
  (the broker keeps nothing on disk).
- The task claims its row atomically before working (pep_portal.imports.services.import_job_run), so
  a job sent twice, or redelivered, runs once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# kombu's publish retry: a short wait for a broker that is restarting, never minutes.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
REQUEUE_AFTER_SECONDS = 60
BROKER_ERRORS = (OperationalError, RedisError, OSError)


def publish(task, *args) -> bool:
    """Send a task; False (and a warning in the log) when the broker cannot take it."""
    if task.app.conf.task_always_eager:  # no broker (development, tests): run it here
        task.apply_async(args=args)
        return True
    try:
        # ignore_result: the outcome is on the row; nor does a send then depend on the result
        # backend's connection (which, once broken by an outage, never recovers by itself).
        task.apply_async(
            args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY, ignore_result=True
        )
    except BROKER_ERRORS as exc:
        logger.warning(
            "Could not queue %s%r (%s: %s); it stays queued and will be sent again",
            task.name,
            args,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def publish_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: publish(task, *args))


def import_jobs_requeue(*, older_than: int = REQUEUE_AFTER_SECONDS) -> int:
    """Send again every import job still queued ``older_than`` seconds after it was made."""
    from .models import ImportJob
    from .tasks import import_job_run_task

    cutoff = timezone.now() - dt.timedelta(seconds=older_than)
    ids = list(
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(publish(import_job_run_task, pk) for pk in ids)
