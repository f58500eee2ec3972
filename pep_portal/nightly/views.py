"""The officer's nightly-run page: recent runs, "recompute now", progress while it runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pep_portal.accounts.permissions import permission_required

from . import selectors, services
from .models import NightlyRun


@permission_required("pep_portal.view_nightly_runs")
def run_list(request):
    services.nightly_runs_fail_stale()  # a killed run shows as failed, not running forever
    runs = selectors.nightly_run_list(user=request.user)[:30]
    return render(
        request,
        "pep_portal/nightly_runs.html",
        {
            "runs": runs,
            "current": selectors.current_run(),
            "active": selectors.active_run(),
            "can_run": request.user.has_perm("pep_portal.run_nightly"),
        },
    )


@require_POST
@permission_required("pep_portal.run_nightly")
def recompute(request):
    try:
        # In the background: the officer lands on the run's page and watches its progress
        # (without a broker, the embedded demo runs it in a thread of this process).
        run = services.nightly_run_start(
            trigger=NightlyRun.Trigger.OFFICER, user=request.user, background=True
        )
    except services.NightlyRunAlreadyRunning as exc:
        messages.warning(request, "A run is already in progress: it was not started twice.")
        if exc.run:
            return redirect("nightly_run_detail", pk=exc.run.pk)
        return redirect("nightly_runs")
    return redirect("nightly_run_detail", pk=run.pk)


@permission_required("pep_portal.view_nightly_runs")
def run_detail(request, pk: int):
    run = get_object_or_404(selectors.nightly_run_list(user=request.user), pk=pk)
    return render(
        request,
        "pep_portal/nightly_run_detail.html",
        {
            "run": run,
            "progress": selectors.nightly_run_progress(run=run),
            "steps": selectors.nightly_run_steps(run=run),
            "is_current": selectors.current_run_id() == run.pk,
        },
    )


@never_cache
@permission_required("pep_portal.view_nightly_runs")
def run_progress(request, pk: int):
    services.nightly_runs_fail_stale()
    run = get_object_or_404(selectors.nightly_run_list(user=request.user), pk=pk)
    return JsonResponse(selectors.nightly_run_progress(run=run))
