"""The board dashboards' pages. Each reads the published nightly snapshot through
``partnership.dashboards.selectors`` (a fixed number of queries) and renders; nothing is
computed on request. Every page needs a named permission (``partnership/rules.py``)."""

from __future__ import annotations

import dataclasses

from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode

from pep_portal.accounts.permissions import permission_required
from schools.models import Trust

from . import exports, selectors
from .forms import GridFilterForm
from .page_cache import cached_page
from .render import grid_rows_html


def _school(request, urn: int):
    # Read once per request: the permission check's object is the page's school.
    if not hasattr(request, "_dashboard_school"):
        request._dashboard_school = selectors.school_for_page(urn=urn)
    return request._dashboard_school


def _trust(request, pk: int, **kwargs):
    if not hasattr(request, "_dashboard_trust"):
        request._dashboard_trust = selectors.trust_for_page(pk=pk)
    return request._dashboard_trust


def _base(info: selectors.SnapshotInfo, year: int | None, **extra) -> dict:
    return {
        "info": info,
        "data_year": year,
        "data_year_label": selectors.year_label(year),
        "provisional": year in info.provisional_years if year else False,
        "key_stage_pages": [
            (slug, title) for slug, (title, _) in selectors.KEY_STAGE_PAGES.items()
        ],
        **extra,
    }


OVERVIEW_TEMPLATE = "partnership/dashboards/overview.html"
GRID_TEMPLATE = "partnership/dashboards/schools_grid.html"
SCHOOL_TEMPLATE = "partnership/dashboards/school_page.html"


def overview_context(request) -> dict:
    info = selectors.snapshot_info()
    page = selectors.overview(info=info)
    user = request.user
    own_school = user.school if user.school_id else None
    return _base(
        info,
        page.year if page else None,
        page=page,
        suppressed=page.suppressed if page else 0,
        charts=page.charts if page else [],
        can_see_city=user.has_perm("partnership.view_city_dashboards"),
        can_see_grid=user.has_perm("partnership.view_schools_grid"),
        own_school=own_school
        if own_school and user.has_perm("partnership.view_school_page", own_school)
        else None,
    )


@permission_required("partnership.view_dashboards")
def overview(request):
    return cached_page(request, OVERVIEW_TEMPLATE, lambda: overview_context(request))


@permission_required("partnership.view_city_dashboards")
def headlines(request):
    def context():
        info = selectors.snapshot_info()
        page = selectors.headlines_page(info=info)
        return _base(info, page.year if page else None, page=page)

    return cached_page(request, "partnership/dashboards/headlines.html", context)


@permission_required("partnership.view_city_dashboards")
def key_stage(request, slug: str):
    if slug not in selectors.KEY_STAGE_PAGES:
        raise Http404("No such key stage page.")

    def context():
        info = selectors.snapshot_info()
        page = selectors.key_stage_page(info=info, slug=slug)
        return _base(
            info,
            page.year if page else None,
            page=page,
            title=selectors.KEY_STAGE_PAGES[slug][0],
            slug=slug,
            suppressed=page.suppressed if page else 0,
            charts=page.charts if page else [],
        )

    return cached_page(request, "partnership/dashboards/key_stage.html", context)


def _grid_context(request, *, trust: Trust | None = None):
    info = selectors.snapshot_info()
    trusts = [] if trust else selectors.partnership_trust_choices()
    headline = selectors.headline_measures()
    form = GridFilterForm(
        request.GET or None,
        trusts=trusts,
        with_trust=trust is None,
        years=selectors.snapshot_grid_years(info=info, measures=headline),
        sorts=selectors.sort_options(headline),
    )
    filters = form.applied()  # None: a filter was refused; the page says which, lists none
    sort = (filters or {}).pop("sort", "name")
    grid = selectors.grid(
        user=request.user,
        info=info,
        trust=trust,
        filters=filters or {},
        sort=sort,
        headline=headline,
    )
    if grid is not None and filters is None:
        grid = dataclasses.replace(grid, rows=[])
    return info, form, grid


def _sort_links(request, grid) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling the direction) and the
    aria-sort value of its header."""
    params = {k: v for k, v in request.GET.items() if k != "sort" and v}
    links = {}
    for key in selectors.sort_options(grid.columns):
        current = grid.sort.lstrip("-") == key
        descending = grid.sort.startswith("-")
        next_sort = f"-{key}" if current and not descending else key
        links[key] = {
            "url": "?" + urlencode({**params, "sort": next_sort}),
            "aria": ("descending" if descending else "ascending") if current else "none",
        }
    return links


def _sorting(request, grid, *, compare_form: str = "") -> dict:
    if grid is None:
        return {"sort_links": {}, "column_links": [], "grid_rows_html": []}
    links = _sort_links(request, grid)
    return {
        "sort_links": links,
        "column_links": [(m, links[m.code]) for m in grid.columns],
        "grid_rows_html": grid_rows_html(grid, compare_form=compare_form),
    }


def _query(request) -> str:
    return urlencode({k: v for k, v in request.GET.items() if v})


def schools_grid_context(request) -> dict:
    info, form, grid = _grid_context(request)
    return _base(
        info,
        grid.year if grid else None,
        form=form,
        grid=grid,
        **_sorting(request, grid, compare_form="compare-form"),
        query=_query(request),
        suppressed=grid.suppressed if grid else 0,
        compare_max=selectors.COMPARE_MAX,
    )


@permission_required("partnership.view_schools_grid")
def schools_grid(request):
    return cached_page(request, GRID_TEMPLATE, lambda: schools_grid_context(request))


@permission_required("partnership.view_schools_grid")
def schools_grid_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404("Export as csv or xlsx.")
    info, form, grid = _grid_context(request)
    form.refuse_if_invalid()  # a file of nothing would look like the answer
    return exports.grid_export(grid, fmt=fmt, name="schools-grid")


def _int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit() and len(v.strip()) <= 9]


@permission_required("partnership.view_schools_grid")
def schools_compare(request):
    """Two to five schools chosen in the grid, side by side (?urn=...&urn=...&year=...)."""
    urns = list(dict.fromkeys(_int_list(request.GET.getlist("urn"))))
    years = selectors.grid_years()
    year = _int_list([request.GET.get("year", "")])
    year = year[0] if year and year[0] in years else None
    info = selectors.snapshot_info()
    comparison = None
    if len(urns) >= 2:
        comparison = selectors.compare(user=request.user, info=info, urns=urns, year=year)
    return render(
        request,
        "partnership/dashboards/compare.html",
        _base(
            info,
            comparison.grid.year if comparison else None,
            comparison=comparison,
            chosen=len(urns),
            too_many=len(urns) > selectors.COMPARE_MAX,
            compare_max=selectors.COMPARE_MAX,
            charts=comparison.charts if comparison else [],
            suppressed=comparison.grid.suppressed if comparison else 0,
        ),
    )


def school_page_context(request, school) -> dict:
    # The page reads the run with the school's summary and names the school's LA, never
    # the partnership's (selectors.school_page).
    page = selectors.school_page(school=school)
    info = page.info
    return _base(
        info,
        page.year,
        page=page,
        school=school,
        suppressed=page.suppressed,
        can_see_trust=school.trust_id is not None
        and request.user.has_perm("partnership.view_trust_dashboard", school.trust),
        similar=page.similar,
    )


@permission_required("partnership.view_school_page", fn=_school)
def school_page(request, urn: int):
    school = _school(request, urn)
    if school is None:
        raise Http404("No school with that URN.")
    user = request.user
    return cached_page(
        request,
        SCHOOL_TEMPLATE,
        lambda: school_page_context(request, school),
        # The page's own questions about this school: its confidential data, its trust page.
        scope_extra=(
            user.has_perm("schools.view_confidential_data", school),
            school.trust_id is not None
            and user.has_perm("partnership.view_trust_dashboard", school.trust),
        ),
    )


@permission_required("partnership.view_trust_dashboard", fn=_trust)
def trust_page(request, pk: int):
    trust = _trust(request, pk)
    if trust is None:
        raise Http404("No such trust.")

    def context():
        info, form, grid = _grid_context(request, trust=trust)
        return _base(
            info,
            grid.year if grid else None,
            trust=trust,
            form=form,
            grid=grid,
            aggregates=selectors.trust_aggregates(grid) if grid else None,
            **_sorting(request, grid),
            query=_query(request),
            suppressed=grid.suppressed if grid else 0,
        )

    return cached_page(request, "partnership/dashboards/trust_page.html", context)


@permission_required("partnership.view_trust_dashboard", fn=_trust)
def trust_export(request, pk: int, fmt: str):
    trust = _trust(request, pk)
    if trust is None or fmt not in exports.FORMATS:
        raise Http404("No such trust or format.")
    info, form, grid = _grid_context(request, trust=trust)
    form.refuse_if_invalid()  # a file of nothing would look like the answer
    return exports.grid_export(grid, fmt=fmt, name=f"trust-{trust.pk}-schools")
