"""The audit log page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from pep_portal.accounts.permissions import permission_required

from . import audit
from .audit_forms import AuditFilterForm


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
