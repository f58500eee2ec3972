"""The partnership's part in the nightly run: meeting reminders (papers a week ahead, the
meeting a day ahead). Queued after the step commits; sending is once-only per meeting,
person and kind (pep_portal.platform.notifications.send_once), so repeated runs send nothing
twice."""

from django.db import transaction

from pep_portal.nightly import nightly_step


@nightly_step("partnership_reminders", order=91, label="Board meeting reminders")
def partnership_reminders(*, run_id, chunk) -> int:
    from .tasks import reminders_send_task

    transaction.on_commit(reminders_send_task.delay)
    return 0
