"""The schools grid's filters (GET parameters), validated like any other input."""

from __future__ import annotations

from django import forms

from partnership.categorisation.models import Concern
from pep_portal.platform.filter_forms import FilterForm
from pep_portal.platform.rag import FIGURE_RAG_CHOICES
from schools.models import Phase

NONE = "none"


class GridFilterForm(FilterForm):
    q = forms.CharField(
        label="School name or URN",
        required=False,
        max_length=100,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    year = forms.TypedChoiceField(
        label="Year", required=False, coerce=int, empty_value=None, choices=[]
    )
    phase = forms.ChoiceField(required=False, choices=[("", "Any phase"), *Phase.choices])
    trust = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])
    category = forms.ChoiceField(
        label="3Ms decision",
        required=False,
        choices=[("", "Any decision"), *Concern.choices, (NONE, "No decision yet")],
    )
    suggestion = forms.ChoiceField(
        label="3Ms suggestion",
        required=False,
        choices=[("", "Any suggestion"), *Concern.choices, (NONE, "No suggestion")],
    )
    rag = forms.ChoiceField(
        label="Overall RAG",
        required=False,
        choices=[("", "Any rating"), *FIGURE_RAG_CHOICES],
    )

    # The column the grid is sorted by (a heading's link sets it; "-" first: the other way).
    sort = forms.ChoiceField(
        label="Sort",
        required=False,
        choices=[],
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "“%(value)s” is not a column the grid can be sorted by "
            "(choose a column heading to sort by it)."
        },
    )

    def __init__(
        self,
        *args,
        trusts: list[tuple[int, str]] = (),
        with_trust=True,
        years: list[int] = (),
        sorts: list[str] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(s, s) for key in sorts for s in (key, f"-{key}")]
        self.fields["year"].choices = [
            ("", "Latest (with RAG)"),
            *[(y, f"{y - 1}/{str(y)[-2:]}") for y in years],
        ]
        if with_trust:
            self.fields["trust"].choices = [("", "Any trust"), *trusts]
        else:
            del self.fields["trust"]
