"""The action plan's steps in the nightly run (found by pep_portal.nightly autodiscovery).

RAG is recomputed first (so reminders and the pages see today's colours), then reminders are
emailed. Neither writes snapshot rows: milestone RAG lives on the milestones themselves.
"""

from pep_portal.nightly import nightly_step

from . import services


@nightly_step("actionplan_rag", order=30, label="Action plan: milestone RAG")
def actionplan_rag(*, run_id, chunk) -> int:
    return services.milestone_rag_recompute()["milestones"]


@nightly_step("actionplan_reminders", order=90, label="Action plan: reminders to leads")
def actionplan_reminders(*, run_id, chunk) -> int:
    return services.reminders_send()["reminders"]
