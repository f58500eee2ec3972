"""Action-plan pages: the board view, actions, milestones, updates, evidence, export, import."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from rules.contrib.views import objectgetter

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.pages import import_upload_page
from pep_portal.platform.form_pages import fields, form_saved
from pep_portal.platform.private_files import private_file_response
from pep_portal.platform.uploads import upload_purpose

from . import exports, selectors, services
from . import rag as ragmod
from .forms import BoardFilterForm, MilestoneUpdateForm, PlanImportForm
from .importers import KIND as IMPORT_KIND
from .models import Action, Milestone, MilestoneUpdate


def _plan_from_request(request):
    plans = selectors.plan_list(user=request.user)
    plan_id = request.GET.get("plan")
    if plan_id:
        if not plan_id.isdigit():
            raise Http404("No such plan.")
        return get_object_or_404(plans, pk=int(plan_id))
    return plans.first()


@require_GET
@permission_required("actionplan.view_plan")
def plan(request):
    """The board view: the plan on one page, with filters and the changes since a date."""
    current = _plan_from_request(request)
    today = selectors.today_local()
    form = BoardFilterForm(request.GET or None, since_default=selectors.default_since(today=today))
    filters = form.filters()
    context = {
        "plan": current,
        "plans": selectors.plan_list(user=request.user),
        "form": form,
        "filters": filters,
        "today": today,
        "can_import": request.user.has_perm("actionplan.import_plan"),
    }
    if current is not None:
        context.update(
            board=selectors.plan_board(
                user=request.user,
                plan=current,
                rag=filters["rag"],
                lead=filters["lead"],
                due_within_weeks=filters["due_within_weeks"],
                overdue=filters["overdue"],
                today=today,
                none_match=filters["refused"],
            ),
            changes=[]
            if filters["refused"]
            else selectors.plan_changes_since(
                user=request.user, plan=current, since=filters["since"]
            ),
            definitions=ragmod.rag_definitions(current.amber_window_days),
            success_rows=selectors.success_measure_rows(user=request.user, plan=current),
            lead_roles=selectors.lead_role_list(user=request.user),
        )
    return render(request, "actionplan/plan.html", context)


@require_GET
@permission_required("actionplan.view_plan")
def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.select_related("priority__plan").prefetch_related("leads"), pk=pk
    )
    today = selectors.today_local()
    milestones = list(
        selectors.milestone_list(user=request.user, plan=action.priority.plan, today=today).filter(
            action=action
        )
    )
    for m in milestones:
        m.is_overdue = ragmod.is_overdue(status=m.status, due_date=m.due_date, today=today)
        m.lead_roles = selectors.milestone_lead_roles(m)
        m.can_update = request.user.has_perm("actionplan.update_milestone", m)
    return render(
        request,
        "actionplan/action_detail.html",
        {
            "action": action,
            "milestones": milestones,
            "timeline": selectors.action_timeline(user=request.user, action=action),
            "definitions": ragmod.rag_definitions(action.priority.plan.amber_window_days),
        },
    )


@require_GET
@permission_required("actionplan.view_plan")
def milestone_detail(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.select_related("action__priority__plan", "lead"), pk=pk
    )
    today = selectors.today_local()
    milestone.is_overdue = ragmod.is_overdue(
        status=milestone.status, due_date=milestone.due_date, today=today
    )
    return render(
        request,
        "actionplan/milestone_detail.html",
        {
            "milestone": milestone,
            "lead_roles": selectors.milestone_lead_roles(milestone),
            "timeline": selectors.milestone_timeline(user=request.user, milestone=milestone),
            "can_update": request.user.has_perm("actionplan.update_milestone", milestone),
            "definitions": ragmod.rag_definitions(milestone.action.priority.plan.amber_window_days),
        },
    )


@upload_purpose("evidence")
@permission_required("actionplan.update_milestone", fn=objectgetter(Milestone, "pk"))
def milestone_update(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.select_related("action__priority__plan", "lead"), pk=pk
    )
    if request.method == "POST":
        form = MilestoneUpdateForm(request.POST, request.FILES)
        if form_saved(
            request,
            form,
            lambda data: services.milestone_update_record(
                milestone=milestone,
                author=request.user,
                **fields(
                    data,
                    "status",
                    "progress",
                    "note",
                    "evidence_url",
                    "evidence_file",
                    "rag_override",
                    "override_reason",
                ),
            ),
            message=f"Update to milestone {milestone.action.number} saved.",
        ):
            return redirect("actionplan:milestone", pk=milestone.pk)
    else:
        form = MilestoneUpdateForm(
            initial={
                "status": milestone.status,
                "progress": milestone.progress,
                "rag_override": milestone.rag_override,
                "override_reason": milestone.override_reason,
            }
        )
    return render(
        request,
        "actionplan/milestone_update.html",
        {
            "milestone": milestone,
            "form": form,
            "definitions": ragmod.rag_definitions(milestone.action.priority.plan.amber_window_days),
        },
    )


@require_GET
@permission_required("actionplan.view_evidence")
def evidence_download(request, pk: int):
    """An uploaded evidence file, served through this permission-checked view only."""
    update = get_object_or_404(MilestoneUpdate, pk=pk)
    if not update.evidence_file:
        raise Http404("This update has no evidence file.")
    return private_file_response(
        update.evidence_file,
        filename=update.evidence_name,
        content_type=update.evidence_content_type,
        missing="The evidence file is missing.",
    )


def _export(request, respond):
    current = _plan_from_request(request)
    if current is None:
        raise Http404("There is no plan to export.")
    return respond(user=request.user, plan=current)


@require_GET
@permission_required("actionplan.export_plan")
def export_csv(request):
    return _export(request, exports.plan_csv_response)


@require_GET
@permission_required("actionplan.export_plan")
def export_xlsx(request):
    return _export(request, exports.plan_xlsx_response)


@require_GET
@permission_required("actionplan.view_plan")
def plan_json(request):
    """The plan as JSON (the feed the REST API exposes)."""
    current = _plan_from_request(request)
    feed = selectors.plan_feed(user=request.user, plan=current) if current else None
    if feed is None:
        raise Http404("There is no plan.")
    return JsonResponse(feed)


@upload_purpose("national_data")
@permission_required("actionplan.import_plan")
def plan_import(request):
    return import_upload_page(
        request,
        PlanImportForm(request.POST or None, request.FILES or None),
        kind=IMPORT_KIND,
        template="actionplan/plan_import.html",
    )
