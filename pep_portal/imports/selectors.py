"""Reads for import jobs."""

from django.db.models import QuerySet

from pep_portal.accounts.models import ImportJob, User


def import_job_list(*, user: User, kind: str | None = None) -> QuerySet[ImportJob]:
    if not user.has_perm("pep_portal.view_import_jobs"):
        return ImportJob.objects.none()
    qs = ImportJob.objects.select_related("created_by")
    return qs.filter(kind=kind) if kind else qs


def last_import_finished_at():
    """When the latest import finished (one query): pages cached from the snapshot that also
    show live rows (school names, provisional flags) are keyed by it."""
    from django.db.models import Max

    return ImportJob.objects.aggregate(at=Max("finished_at"))["at"]
