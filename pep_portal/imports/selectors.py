"""Reads for import jobs."""

from django.db.models import QuerySet

from pep_portal.accounts.models import ImportJob, User


def import_job_list(*, user: User, kind: str | None = None) -> QuerySet[ImportJob]:
    if not user.has_perm("pep_portal.view_import_jobs"):
        return ImportJob.objects.none()
    qs = ImportJob.objects.select_related("created_by")
    return qs.filter(kind=kind) if kind else qs
