"""Reads for import jobs."""

from django.db.models import QuerySet

from pep_portal.accounts.models import ImportJob, User


def import_job_list(*, user: User, kind: str | None = None) -> QuerySet[ImportJob]:
    """Officers see every job; anyone else the jobs they started (a head's predictions)."""
    qs = ImportJob.objects.select_related("created_by")
    if not user.has_perm("pep_portal.view_import_jobs"):
        qs = qs.filter(created_by=user) if user.is_authenticated else qs.none()
    return qs.filter(kind=kind) if kind else qs
