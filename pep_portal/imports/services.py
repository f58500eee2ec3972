"""Writes for import jobs: store an upload, run it (all-or-nothing), record the outcome."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pep_portal.accounts.models import User
from pep_portal.nightly.models import NightlyRun
from pep_portal.nightly.services import NightlyRunAlreadyRunning, nightly_run_start
from pep_portal.platform.audit import import_job_context

from . import outbox
from .framework import ImportRejected, RowError, get_importer, progress_reporter, progress_set
from .models import ImportJob

logger = logging.getLogger(__name__)

# Redis redelivers an unacknowledged task after its visibility timeout (one hour).
IMPORT_JOB_STALE_SECONDS = 3600


def import_job_create(
    *,
    kind: str,
    uploaded_file: UploadedFile,
    user: User | None,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Store an uploaded file and queue its import (after the commit)."""
    get_importer(kind)  # unknown kinds fail before anything is stored
    name = Path(uploaded_file.name or "").name
    if not name:
        raise ValidationError("The uploaded file has no name.")
    job = ImportJob(
        kind=kind,
        original_name=name[:255],
        options=options or {},
        created_by=user,
    )
    job.file.save(name, uploaded_file, save=False)
    job.full_clean()
    job.save()
    from .tasks import import_job_run_task

    # If Redis is down the job stays queued and outbox.import_jobs_requeue sends it later.
    outbox.publish_on_commit(import_job_run_task, job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job: the whole file in one transaction; the outcome on the job."""
    # Claim the job atomically: a task sent twice (requeued after a broker outage) or
    # redelivered runs once. A job left running by a killed worker is claimable again once
    # stale (its transaction was rolled back, so running it again is safe).
    now = timezone.now()
    stale = now - dt.timedelta(seconds=IMPORT_JOB_STALE_SECONDS)
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ImportJob.Status.QUEUED)
            | Q(status=ImportJob.Status.RUNNING, started_at__lt=stale)
        )
        .update(status=ImportJob.Status.RUNNING, started_at=now)
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job  # already ran or running elsewhere: running twice changes nothing
    progress_set(job.pk, 0)
    try:
        with import_job_context(job.pk, job.created_by):
            summary = import_file(kind=job.kind, path=job.file.path, job_id=job.pk, **job.options)
    except ImportRejected as exc:
        job.status = ImportJob.Status.FAILED
        job.errors = [e.as_dict() for e in exc.errors]
    except Exception as exc:  # an importer bug must still end the job with a message
        logger.exception("Import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.errors = [
            RowError(
                f"The import failed unexpectedly ({type(exc).__name__}). "
                "Nothing was written. The error has been logged."
            ).as_dict()
        ]
    else:
        job.status = ImportJob.Status.SUCCEEDED
        job.summary = summary
        job.rows_read = int(summary.get("rows", 0))
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "rows_read", "finished_at"])
    if job.status == ImportJob.Status.SUCCEEDED:
        figures_refresh(user=job.created_by)
    return job


def figures_refresh(*, user: User | None) -> None:
    """Start a nightly run so the pages show what was just imported: they read figures
    from the published snapshot only. A run already in progress is left to finish (the
    next one, at the latest tonight's, reads the import)."""
    try:
        nightly_run_start(trigger=NightlyRun.Trigger.OFFICER, user=user, background=True)
    except NightlyRunAlreadyRunning:
        logger.info("A nightly run is in progress; the import's figures follow in the next.")


def import_file(
    *, kind: str, path: str, job_id: int | None = None, **options: Any
) -> dict[str, Any]:
    """Import one file all-or-nothing; raises ImportRejected (nothing written) when bad."""
    _, importer = get_importer(kind)
    with transaction.atomic():
        return importer(str(path), progress=progress_reporter(job_id), **options)
