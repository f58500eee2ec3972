"""Reads for import jobs."""

from django.db.models import QuerySet

from pep_portal.accounts.models import User

from .models import ImportJob


def import_job_list(*, user: User, kind: str | None = None) -> QuerySet[ImportJob]:
    """Officers see every job; anyone else the jobs they started (a head's predictions)."""
    qs = ImportJob.objects.select_related("created_by")
    if not user.has_perm("pep_portal.view_import_jobs"):
        qs = qs.filter(created_by=user) if user.is_authenticated else qs.none()
    return qs.filter(kind=kind) if kind else qs


def last_import_finished_at():
    """When the latest import finished (one query): pages cached from the snapshot that also
    show live rows (school names, provisional flags) are keyed by it."""
    from django.db.models import Max

    return ImportJob.objects.aggregate(at=Max("finished_at"))["at"]
