"""Portal-wide pages: home, health check, users and invitations, import jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import objectgetter

from . import audit, selectors, services
from .audit_forms import AuditFilterForm
from .forms import InviteForm, RoleChangeForm
from .homepage import home_sections
from .imports import importer_kinds, progress_get
from .models import User
from .permissions import permission_required


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and cache status as JSON: 200 when both answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("healthz", "ok", timeout=5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value not kept"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@login_not_required
def bad_request(request, exception=None):
    """400: a page saying what was wrong with the request (JSON under /api/)."""
    message = getattr(exception, "message", "") or "The request could not be understood."
    if request.path.startswith("/api/"):
        body: dict = {"status": 400, "detail": str(exception) if exception else message}
        name = getattr(exception, "name", None)
        if name:
            body["errors"] = {name: [message]}
        return JsonResponse(body, status=400)
    return render(request, "400.html", {"message": message}, status=400)


@permission_required("pep_portal.view_home")
def home(request):
    """The person's tasks first (each with its deadline), then their own things."""
    return render(request, "pep_portal/home.html", home_sections(user=request.user))


@permission_required("pep_portal.view_users")
def user_list(request):
    rows = [
        {"account": u, "can_manage": request.user.has_perm("pep_portal.manage_user", u)}
        for u in selectors.user_list(user=request.user)
    ]
    return render(request, "pep_portal/user_list.html", {"rows": rows})


@permission_required("pep_portal.invite_user")
def user_invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(invited_by=request.user, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("user_list")
    return render(request, "pep_portal/user_invite.html", {"form": form})


get_user = objectgetter(User, "pk")


@permission_required("pep_portal.manage_user", fn=get_user)
def user_detail(request, pk: int):
    """One account and what the viewer may do with it: resend, change role, deactivate."""
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    if request.method == "POST" and not request.user.has_perm(
        "pep_portal.change_user_role", account
    ):
        raise PermissionDenied("You cannot change this account's role.")
    form = RoleChangeForm(
        request.POST or None,
        manager=request.user,
        initial={"role": account.role, "school": account.school, "trust": account.trust},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_role_change(user=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"{account.email} is now {account.get_role_display()}.")
            return redirect("user_detail", pk=account.pk)
    return render(
        request,
        "pep_portal/user_detail.html",
        {
            "account": account,
            "form": form,
            "invited": services.user_is_invited(account),
            "can_change_role": account != request.user
            and request.user.has_perm("pep_portal.change_user_role", account),
            "can_deactivate": account != request.user
            and request.user.has_perm("pep_portal.deactivate_user", account),
        },
    )


@require_POST
@permission_required("pep_portal.manage_user", fn=get_user)
def user_resend_invitation(request, pk: int):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    try:
        services.user_invitation_resend(user=account, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"A new invitation was sent to {account.email}.")
    return redirect("user_detail", pk=account.pk)


@require_POST
@permission_required("pep_portal.deactivate_user", fn=get_user)
def user_set_active(request, pk: int):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    active = request.POST.get("active") == "1"
    services.user_active_set(user=account, by=request.user, active=active)
    messages.success(request, f"{account.email} is {'reactivated' if active else 'deactivated'}.")
    return redirect("user_detail", pk=account.pk)


@permission_required("pep_portal.view_import_jobs")
def import_list(request):
    jobs = selectors.import_job_list(user=request.user)[:100]
    return render(request, "pep_portal/import_list.html", {"jobs": jobs, "kinds": importer_kinds()})


@permission_required("pep_portal.view_import_jobs")
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=pk)
    return render(
        request,
        "pep_portal/import_detail.html",
        {"job": job, "label": importer_kinds().get(job.kind, job.kind)},
    )


@never_cache
@permission_required("pep_portal.view_import_jobs")
def import_progress(request, pk: int):
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=pk)
    rows = progress_get(job.pk) if job.status == job.Status.RUNNING else job.rows_read
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "rows": rows or 0,
            "finished": job.status in (job.Status.SUCCEEDED, job.Status.FAILED),
        }
    )


@permission_required("pep_portal.view_audit_log")
def audit_log(request):
    """Every change through the portal, the admin or the API: who, when, old and new values."""
    form = AuditFilterForm(request.GET or None, model_choices=audit.audited_model_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit.audit_entry_list(user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pep_portal/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
