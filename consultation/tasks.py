"""Thin Celery tasks: ids in, one service call."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def response_receipt_send_task(response_id: int, user_id: int) -> None:
    services.response_receipt_send(response_id=response_id, user_id=user_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=300, max_retries=3)
def reminders_send_task() -> int:
    """Run nightly (or hourly): each reminder goes once, so running it more often is safe."""
    return services.reminders_send()
