"""The nightly run's own records: each run, its finished chunks, and the published pointer.

A run computes every figure the pages read into snapshot rows tagged with its id (the apps'
snapshot models, named by their steps: ``nightly_step(snapshot_models=...)``); pages read the
rows of the run ``CurrentSnapshot`` points at.

Moved here from ``pep_portal.accounts`` (issue 17): the tables keep their names
(``pep_portal_nightlyrun`` ...), so no row was copied.
"""

from django.conf import settings
from django.db import models


class NightlyRun(models.Model):
    """One nightly computation: its outcome, and whether its snapshot is the one served."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        OFFICER = "officer", "Officer (recompute now)"
        COMMAND = "command", "Command line"
        DEMO = "demo", "Demo data load"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # True while queued or running, NULL once finished: a unique constraint on it is the lock
    # that stops two runs interleaving (works the same on PostgreSQL and SQLite).
    active = models.BooleanField(null=True, default=True, editable=False)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from a worker (stale-run detection)."
    )
    stage = models.PositiveSmallIntegerField(default=0)
    stage_name = models.CharField(max_length=200, blank=True)
    stages_total = models.PositiveSmallIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0, help_text="Chunks in the current stage.")
    rows_written = models.BigIntegerField(default=0)
    peak_memory_kb = models.BigIntegerField(
        default=0, help_text="Largest resident memory of a worker process running a chunk."
    )
    errors = models.JSONField(default=list, blank=True)
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    snapshot_pruned = models.BooleanField(
        default=False, help_text="Its snapshot rows were deleted (failed, or superseded)."
    )

    class Meta:
        db_table = "pep_portal_nightlyrun"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="one_active_nightly_run",
            )
        ]

    def __str__(self) -> str:
        return f"Nightly run {self.pk} ({self.get_status_display()})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class NightlyChunk(models.Model):
    """One finished chunk of one step of a run (written in the same transaction as its rows).

    Its existence makes a redelivered chunk task a no-op, and counts progress.
    """

    nightly_run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="chunks")
    step = models.CharField(max_length=80)
    index = models.PositiveIntegerField()
    rows_written = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    peak_memory_kb = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pep_portal_nightlychunk"
        ordering = ["nightly_run", "step", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["nightly_run", "step", "index"], name="uniq_nightly_chunk"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.nightly_run_id} {self.step} #{self.index}"


class CurrentSnapshot(models.Model):
    """The single pointer to the published run whose snapshot rows the pages read.

    Publishing a run is one UPDATE of this row, in one transaction: readers see the old
    snapshot or the new one, never a mixture.
    """

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    run = models.ForeignKey(NightlyRun, null=True, on_delete=models.PROTECT, related_name="+")
    switched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "pep_portal_currentsnapshot"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="one_current_snapshot")
        ]

    def __str__(self) -> str:
        return f"Current snapshot: run {self.run_id}"
