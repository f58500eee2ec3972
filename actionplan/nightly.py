"""The action plan's step in the nightly run (found by pep_portal.nightly autodiscovery):
milestone RAG, recomputed so the pages see today's colours. It writes no snapshot rows (RAG
lives on the milestones themselves).

The reminders to leads are not a step: an email cannot be taken back when a chunk's
transaction rolls back, so they run as their own Celery beat task (``actionplan-reminders``
in CELERY_BEAT_SCHEDULE, after the nightly run has recomputed the RAG), outside any nightly
transaction.
"""

from pep_portal.nightly import nightly_step

from . import services


@nightly_step("actionplan_rag", order=30, label="Action plan: milestone RAG")
def actionplan_rag(*, run_id, chunk) -> int:
    return services.milestone_rag_recompute()["milestones"]
