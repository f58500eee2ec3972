"""Thin Celery tasks: ids in, one service call."""

from celery import shared_task

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def response_receipt_send_task(response_id: int, user_id: int) -> None:
    notifications.response_receipt_send(response_id=response_id, user_id=user_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=300, max_retries=3)
def reminders_send_task() -> int:
    """Run nightly (or hourly): each reminder goes once, so running it more often is safe."""
    return notifications.reminders_send()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def invitations_send_task() -> int:
    """Celery beat, every five minutes (and when a page finds one due): invite the audience
    of each consultation that has opened; each school is invited once."""
    return notifications.invitations_send()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def response_published_send_task(consultation_id: int) -> int:
    return notifications.response_published_send(consultation_id=consultation_id)
