"""Import jobs: the list, one job, and its progress while it runs."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from pep_portal.accounts.permissions import permission_required

from . import selectors
from .framework import importer_kinds, progress_get


@permission_required("pep_portal.view_import_jobs")
def import_list(request):
    jobs = selectors.import_job_list(user=request.user)[:100]
    return render(request, "pep_portal/import_list.html", {"jobs": jobs, "kinds": importer_kinds()})


def _job(request, pk: int):
    return get_object_or_404(selectors.import_job_list(user=request.user), pk=pk)


@permission_required("pep_portal.view_import_job", fn=_job)
def import_detail(request, pk: int):
    job = _job(request, pk)
    return render(
        request,
        "pep_portal/import_detail.html",
        {"job": job, "label": importer_kinds().get(job.kind, job.kind)},
    )


@never_cache
@permission_required("pep_portal.view_import_job", fn=_job)
def import_progress(request, pk: int):
    job = _job(request, pk)
    rows = progress_get(job.pk) if job.status == job.Status.RUNNING else job.rows_read
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "rows": rows or 0,
            "finished": job.status in (job.Status.SUCCEEDED, job.Status.FAILED),
        }
    )
