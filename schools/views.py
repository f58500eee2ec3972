"""Pages of the schools register: directory, school, trust, and the officers' upload."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.pages import import_upload_page
from pep_portal.platform.uploads import upload_purpose

from . import selectors
from .forms import RegisterUploadForm, SchoolFilterForm
from .panels import school_panels

PAGE_SIZE = 50


@permission_required("schools.view_school_list")
def school_list(request):
    form = SchoolFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"status": selectors.STATUS_OPEN}
    schools = selectors.school_list(user=request.user, **filters)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/school_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "summary": selectors.ofsted_summary(schools),
            "filtered": bool(request.GET),
        },
    )


@permission_required("schools.view_school", fn=selectors.school_or_404)
def school_detail(request, urn: int):
    school = selectors.school_or_404(request, urn)
    inspections = list(school.inspections.all())
    latest = inspections[0] if inspections else None
    latest_graded = next((i for i in inspections if i.overall_effectiveness), None)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "inspections": inspections,
            "latest": latest,
            "latest_graded": latest_graded,
            # Sections the apps above the register add (outcomes: the school's results).
            "panels": school_panels(school=school, user=request.user, request=request),
        },
    )


def _trust(request, pk: int):
    trust = selectors.trust_get(user=request.user, pk=pk)
    if trust is None:
        raise Http404("No such trust.")
    return trust


@permission_required("schools.view_trust", fn=_trust)
def trust_detail(request, pk: int):
    trust = _trust(request, pk)
    schools = selectors.school_list(user=request.user, trust=trust.pk, status=selectors.STATUS_ALL)
    return render(
        request,
        "schools/trust_detail.html",
        {
            "trust": trust,
            "schools": schools,
            "summary": selectors.ofsted_summary(
                selectors.school_list(user=request.user, trust=trust.pk)
            ),
        },
    )


@upload_purpose("national_data")
@permission_required("schools.import_register")
def import_register(request):
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    return import_upload_page(
        request,
        form,
        kind=lambda data: data["kind"],
        options=form.options,
        template="schools/import_register.html",
    )
