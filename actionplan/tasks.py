"""Thin Celery tasks: the nightly RAG recompute and the lead reminders."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=60, max_retries=3)
def milestone_rag_recompute_task() -> dict:
    return services.milestone_rag_recompute()


@shared_task(acks_late=True, max_retries=0)
def reminders_send_task() -> dict:
    """Celery beat, every morning (CELERY_BEAT_SCHEDULE "actionplan-reminders")."""
    # No automatic retry: the sent-log makes a rerun safe, and tomorrow's run catches up.
    return services.reminders_send()
