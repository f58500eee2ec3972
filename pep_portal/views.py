"""Portal-wide pages: home, health check, users and invitations, import jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import audit, selectors, services
from .audit_forms import AuditFilterForm
from .forms import InviteForm
from .imports import importer_kinds, progress_get
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
    return render(request, "pep_portal/home.html")


@permission_required("pep_portal.view_users")
def user_list(request):
    return render(
        request, "pep_portal/user_list.html", {"users": selectors.user_list(user=request.user)}
    )


@permission_required("pep_portal.invite_user")
def user_invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(invited_by=request.user, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("user_list")
    return render(request, "pep_portal/user_invite.html", {"form": form})


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
