"""The audit log page, and the 400 page (bad input: pep_portal/platform/params.py)."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from pep_portal.accounts.permissions import permission_required

from . import audit
from .audit_forms import AuditFilterForm


@permission_required("pep_portal.view_audit_log")
def audit_log(request):
    """Every change through the portal, the admin or the API: who, when, old and new values."""
    form = AuditFilterForm(
        request.GET or None,
        model_choices=audit.audited_model_choices(also=request.GET.get("model", "")),
    )
    filters = form.applied()  # None: a filter was refused; the page says which, lists none
    entries = [] if filters is None else audit.audit_entry_list(user=request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.shown_changes = audit.masked_changes(entry)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pep_portal/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


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
