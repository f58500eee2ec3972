"""Outcomes pages. Thin: validate the filters, call one selector, render.

(The upload pages are in ``views_import.py``.)
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.filter_forms import FilterForm

from . import la_outcomes_cache, selectors
from .models import PupilGroup


class LaOutcomesFilterForm(FilterForm):
    la = forms.TypedChoiceField(
        label="Local authority",
        coerce=int,
        error_messages={
            "invalid_choice": "“%(value)s” is not a local authority with results "
            "(choose one from the list)."
        },
    )
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        help_text="The year the academic year ends.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a year with results for this local "
            "authority (choose one from the list)."
        },
    )
    group = forms.ChoiceField(
        label="Pupil group",
        error_messages={
            "invalid_choice": "“%(value)s” is not a pupil group with results for this local "
            "authority and year (choose one from the list)."
        },
    )

    # A year is offered for the LA, a group for the LA and year: once one is refused, the
    # ones after it cannot be judged (the lists are the defaults'), so only it is named.
    _DEPENDENT = {"la": ("year", "group"), "year": ("group",)}

    def __init__(self, *args, las, years, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [(la.code, f"{la.name} ({la.code})") for la in las]
        self.fields["year"].choices = [(y, f"{y - 1}/{str(y)[-2:]}") for y in years]
        self.fields["group"].choices = groups

    def clean(self):
        for name, after in self._DEPENDENT.items():
            if name in self._errors:
                for later in after:
                    self._errors.pop(later, None)
        return super().clean()


@permission_required("outcomes.view_la_outcomes")
def la_outcomes(request):
    """LA outcomes by key stage: value, national, gap, rank of N, quartile, last year's gap.

    The LA defaults to the partnership's, the year to the latest with results, the group to
    all pupils. A value that is not a choice is named above the filters (field, value, what
    is wrong: includes/filter_problems.html) and no figures are shown: another LA's, year's
    or group's would look like the answer to what was asked.

    The LA list, and the rendered filters and tables, come from the cache for the published
    snapshot, the results' version and the query (outcomes/la_outcomes_cache.py): on a hit
    nothing else is read (the context's form, outcomes and periods are built on first use).
    """
    version = la_outcomes_cache.outcomes_version()
    scope = selectors.la_outcomes_scope(request.user)
    las, default_la = la_outcomes_cache.cached(
        "las", version=version, scope=scope, params=None, compute=selectors.la_outcome_choices
    )
    if default_la not in las:
        default_la = las[0] if las else default_la
    if default_la is None:
        raise Http404("No local authority has any results yet.")
    # A refused LA is named by the form; the default's years and groups fill the lists.
    la = _pick(request.GET.get("la"), {la.code: la for la in las}) or default_la
    page: dict = {}

    def built(name: str):
        if not page:
            page.update(_la_outcomes_page(request, las=las, la=la))
        return page[name]

    return render(
        request,
        "outcomes/la_outcomes.html",
        {
            "outcomes": SimpleLazyObject(lambda: built("outcomes")),
            "form": SimpleLazyObject(lambda: built("form")),
            "periods": SimpleLazyObject(lambda: built("periods")),
            "page_key": la_outcomes_cache.key(
                "page",
                version=version,
                scope=scope,
                params=tuple(sorted((k, tuple(v)) for k, v in request.GET.lists())),
            ),
            "page_cache_seconds": la_outcomes_cache.timeout(),
        },
    )


def _la_outcomes_page(request, *, las, la) -> dict:
    """The page's form, outcomes and part-year figures for the chosen LA."""
    full_years = selectors.la_outcome_years(la=la)
    # Years with only part-year figures (year to date...) can be chosen, not defaulted to.
    periods = selectors.la_periods(la=la)
    years = sorted(set(full_years) | set(periods.years), reverse=True)
    year = _pick(request.GET.get("year"), {y: y for y in years}) or (
        full_years[0] if full_years else (years[0] if years else None)
    )
    groups = (
        selectors.la_outcome_groups(la=la, year=year) if year else [(PupilGroup.ALL, "All pupils")]
    )
    group = request.GET.get("group") or PupilGroup.ALL
    if group not in dict(groups):
        group = PupilGroup.ALL
    defaults = {"la": la.code, "year": year, "group": group}
    given = {k: v for k, v in request.GET.items() if v}  # a blank filter is the default
    form = LaOutcomesFilterForm(
        {**defaults, **given} if given else None,
        initial=defaults,
        las=las,
        years=years,
        groups=groups,
    )
    if not year or form.applied() is None:  # a refused filter: the page says which
        return {"outcomes": None, "form": form, "periods": []}
    outcomes = selectors.la_outcomes(user=request.user, la=la, year=year, group=group)
    return {"outcomes": outcomes, "form": form, "periods": periods.for_year(year)}


def _pick(raw, options: dict):
    """The option for a raw query value, or None when it is missing or not an option."""
    if raw in (None, ""):
        return None
    try:
        return options.get(int(raw))
    except (TypeError, ValueError):
        return None
