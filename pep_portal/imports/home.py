"""Import jobs' home section: imports rejected lately (officers)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from pep_portal.accounts.roles import is_staff_officer
from pep_portal.platform.homepage import HomeItem, HomeSection, home_section

from .framework import importer_kinds
from .models import ImportJob
from .selectors import import_job_list

FAILED_IMPORTS_DAYS = 14


@home_section(order=30)
def failed_imports(*, user, now) -> HomeSection | None:
    """Imports rejected in the last two weeks and not since imported again."""
    if not is_staff_officer(user):
        return None
    jobs = import_job_list(user=user)
    since = now - dt.timedelta(days=FAILED_IMPORTS_DAYS)
    succeeded_kinds = {
        (kind, name)
        for kind, name in jobs.filter(
            status=ImportJob.Status.SUCCEEDED, finished_at__gte=since
        ).values_list("kind", "original_name")
    }
    labels = importer_kinds()
    items = []
    for job in jobs.filter(status=ImportJob.Status.FAILED, finished_at__gte=since)[:10]:
        if (job.kind, job.original_name) in succeeded_kinds:
            continue
        first = (job.errors or [{}])[0]
        items.append(
            HomeItem(
                title=f"{labels.get(job.kind, job.kind)}: {job.original_name}",
                url=reverse("import_detail", args=[job.pk]),
                when=job.finished_at,
                when_label="Rejected",
                detail=str(first.get("message", ""))[:160],
                overdue=True,
            )
        )
    return HomeSection(
        key="failed_imports",
        heading="Failed imports",
        items=items,
        summary=f"{len(items)} import{'s' if len(items) != 1 else ''} rejected in the last "
        f"{FAILED_IMPORTS_DAYS} days, to fix and upload again"
        if items
        else "",
        empty="No import was rejected in the last two weeks.",
        more_url=reverse("imports"),
        more_label="All imports",
    )
