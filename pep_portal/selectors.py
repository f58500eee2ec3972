"""Reads for portal-wide things."""

from django.db.models import QuerySet

from .models import ImportJob, User


def user_list(*, user: User) -> QuerySet[User]:
    """Accounts the user may see: officers and admins see everyone; others nobody."""
    if user.has_perm("pep_portal.view_users"):
        return User.objects.select_related("school", "trust").order_by("role", "email")
    return User.objects.none()


def import_job_list(*, user: User, kind: str | None = None) -> QuerySet[ImportJob]:
    """Officers see every job; anyone else the jobs they started (a head's predictions)."""
    qs = ImportJob.objects.select_related("created_by")
    if not user.has_perm("pep_portal.view_import_jobs"):
        qs = qs.filter(created_by=user) if user.is_authenticated else qs.none()
    return qs.filter(kind=kind) if kind else qs
