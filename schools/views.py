"""Pages of the schools register: directory, school, trust, and the officers' upload."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import cached_property

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.pages import import_upload_page
from pep_portal.platform.uploads import upload_purpose

from . import register_cache, selectors
from .forms import RegisterUploadForm, SchoolFilterForm
from .panels import school_panels

PAGE_SIZE = 50


class _CountedPaginator(Paginator):
    """A paginator told its count (the register summary's, cached) instead of counting."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@permission_required("schools.view_school_list")
def school_list(request):
    # The summary and the filter lists come from the cache for this register version and
    # the viewer's scope (schools/register_cache.py); the page of 50 schools is read only
    # when its rendering is not cached (the paginator is told the summary's count).
    version = register_cache.register_version()
    form = SchoolFilterForm(
        request.GET or None,
        choices=selectors.register_filter_choices(user=request.user, version=version),
    )
    filters = form.filters() if request.GET else {"status": selectors.STATUS_OPEN}
    if filters is None:  # a value was refused: the page says which, and lists no school
        schools = selectors.school_list(user=request.user).none()
        summary = selectors.ofsted_summary(schools)
    else:
        schools = selectors.school_list(user=request.user, **filters)
        summary = selectors.register_summary(user=request.user, version=version, filters=filters)
    page = _CountedPaginator(schools, PAGE_SIZE, count=summary.schools).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/school_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "summary": summary,
            "filtered": bool(request.GET),
            # The rendered filters and list, cached for this register version, scope and
            # query: on a hit the page of schools is never read.
            "register_key": selectors.register_page_key(
                user=request.user, version=version, query=request.GET.lists()
            ),
            "register_cache_seconds": register_cache.timeout(),
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
