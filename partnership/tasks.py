"""Celery tasks: ids in, one service call each."""

from celery import shared_task

from .governance import services as governance_services


@shared_task(acks_late=True, autoretry_for=(OSError,), max_retries=3, retry_backoff=True)
def board_pack_generate_task(pack_id: int) -> None:
    governance_services.board_pack_generate(pack_id=pack_id)


@shared_task(acks_late=True, max_retries=0)
def reminders_send_task() -> dict:
    """Run hourly (or at least daily): sending is idempotent per meeting, person and kind."""
    return governance_services.reminders_send()
