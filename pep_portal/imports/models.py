"""Import jobs: one file an officer uploaded (or a command ran) for an importer, with its
outcome.

Moved here from ``pep_portal.accounts`` (issue 17): the table keeps its name
(``pep_portal_importjob``), so no row was copied and every user's import history stays.
"""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One file an officer uploaded (or a command ran) for import, with its outcome.

    The file is stored under MEDIA_ROOT/imports/ (never served directly). Progress while a
    job runs is kept in the cache (``pep_portal.imports.framework.progress_*``) so it is visible
    outside the import's transaction; the final outcome is written here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Rejected"

    kind = models.CharField(max_length=40, help_text="Which importer: gias, ofsted, results, ...")
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "pep_portal_importjob"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.original_name} ({self.get_status_display()})"
