"""The consultation's part in the nightly run: send the closing reminders.

The step only queues the reminders task once the step's transaction has committed, so the
emails are never tied to a chunk that might roll back; the task itself sends each reminder
once (pep_portal.platform.notifications.send_once), so a repeated run sends nothing twice.
"""

from django.db import transaction

from pep_portal.nightly import nightly_step


@nightly_step("consultation_reminders", order=90, label="Consultation closing reminders")
def consultation_reminders(*, run_id, chunk) -> int:
    from .tasks import reminders_send_task

    transaction.on_commit(reminders_send_task.delay)
    return 0
