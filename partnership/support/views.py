"""Pages for support deployments and the support figures."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.filter_forms import choice_filter
from pep_portal.platform.params import query_year
from schools.models import School

from ..calculations.academic_year import academic_year_label
from ..categorisation.models import Concern
from ..form_pages import form_page, page_form
from . import selectors, services
from .forms import (
    DeploymentCloseForm,
    DeploymentForm,
)
from .models import Deployment, Focus

# --- School-to-school support ---------------------------------------------------------------


@permission_required("partnership.view_deployment_list")
def deployment_list(request):
    deployments = selectors.deployment_list(user=request.user)
    filter_form = choice_filter(
        request.GET, name="status", label="Status", choices=Deployment.Status.choices
    )
    filters = filter_form.applied()  # None: refused; the page says why and lists none
    if filters is None:
        deployments = deployments.none()
    elif filters:
        deployments = deployments.filter(status=filters["status"])
    return render(
        request,
        "partnership/deployment_list.html",
        {
            "deployments": deployments[:500],
            "statuses": Deployment.Status.choices,
            "status": request.GET.get("status", ""),
            "filter_form": filter_form,
            "can_manage": request.user.has_perm("partnership.manage_deployments"),
            "can_see_figures": request.user.has_perm("partnership.view_support_figures"),
        },
    )


@permission_required("partnership.manage_deployments")
def deployment_create(request):
    form = DeploymentForm(request.POST or None)

    def save(data):
        leader = data["leader"] or services.system_leader_create(**form.new_leader_fields())
        return services.deployment_create(
            leader=leader, created_by=request.user, **form.deployment_fields()
        )

    return form_page(
        request,
        form,
        save=save,
        success=lambda deployment: redirect("partnership:deployment_detail", pk=deployment.pk),
        message="Deployment recorded.",
        title="Record a deployment",
        back=reverse("partnership:deployment_list"),
    )


def _deployment(request, pk):
    return get_object_or_404(
        Deployment.objects.select_related(
            "leader", "home_school", "home_trust", "supported_school"
        ),
        pk=pk,
    )


@permission_required("partnership.view_deployment", fn=_deployment)
def deployment_detail(request, pk):
    deployment = _deployment(request, pk)
    can_manage = request.user.has_perm("partnership.manage_deployments")
    form, answer = page_form(
        request,
        DeploymentCloseForm,
        allowed=can_manage and deployment.status != Deployment.Status.CLOSED,
        initial={"days": deployment.days},
        save=lambda data: services.deployment_close(deployment=deployment, **data),
        message="Deployment closed with its impact note.",
    )
    if answer is not None:
        return answer
    return render(
        request,
        "partnership/deployment_detail.html",
        {"deployment": deployment, "form": form, "can_manage": can_manage},
    )


@permission_required("partnership.view_support_figures")
def support_figures(request):
    year = query_year(request.GET) or selectors.current_academic_year()
    figures = selectors.support_figures_for_year(year=year)
    focus_names = dict(Focus.choices)
    concern_names = dict(Concern.choices)
    return render(
        request,
        "partnership/support_figures.html",
        {
            "year": year,
            "year_label": academic_year_label(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "figures": figures,
            "days_by_focus": [(focus_names.get(k, k), v) for k, v in figures.days_by_focus.items()],
            "by_category": [(concern_names[c.category], c) for c in figures.by_category],
            "gap_schools": School.objects.filter(pk__in=figures.concern_without_support).order_by(
                "name"
            ),
        },
    )
