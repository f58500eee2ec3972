from __future__ import annotations

from collections.abc import Callable

from django import forms

from pep_portal.platform.filter_forms import FilterForm
from pep_portal.platform.uploads import check_size
from schools.models import Phase
from schools.selectors import partnership_schools

from ..models import DataCollection, KeyStage, Measure, PupilGroup, Term

SCOPE_PRIMARY, SCOPE_SECONDARY, SCOPE_CHOSEN = "primary", "secondary", "chosen"
UPLOAD_SUFFIXES = (".csv", ".xlsx")


class CollectionChoiceForm(FilterForm):
    """Which collection a page shows (``?collection=<id>``): one of those it offers."""

    collection = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "“%(value)s” is not a collection this page can show you "
            "(choose one from the list)."
        },
    )

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.collections = list(collections)
        self.fields["collection"].choices = [(c.pk, c.title) for c in self.collections]

    def chosen(self, default: Callable[[], DataCollection | None]) -> DataCollection | None:
        """The collection asked for, else ``default()`` (the list shows it chosen); None
        when the one asked for was refused (the page says so and shows none)."""
        filters = self.applied()
        if filters is None:
            return None
        wanted = filters.get("collection")
        if wanted is None:
            chosen = default()
            self.fields["collection"].initial = chosen.pk if chosen else None
            return chosen
        return next(c for c in self.collections if c.pk == wanted)


class CollectionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text='e.g. "KS2 predictions, spring term 2017".')
    key_stage = forms.ChoiceField(
        choices=[
            (KeyStage.KS2, KeyStage.KS2.label),
            (KeyStage.KS4, KeyStage.KS4.label),
            (KeyStage.KS1, KeyStage.KS1.label),
            (KeyStage.PHONICS, KeyStage.PHONICS.label),
            (KeyStage.EYFSP, KeyStage.EYFSP.label),
        ]
    )
    academic_year = forms.IntegerField(
        min_value=2000, max_value=2100, help_text="The year the results are for: 2017 = 2016/17."
    )
    term = forms.ChoiceField(choices=Term.choices)
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.filter(
            is_active=True,
            key_stage__in=[
                KeyStage.KS2,
                KeyStage.KS4,
                KeyStage.KS1,
                KeyStage.PHONICS,
                KeyStage.EYFSP,
            ],
        ).order_by("sort_order", "code"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Measures of the chosen key stage only.",
    )
    groups = forms.MultipleChoiceField(
        choices=PupilGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[PupilGroup.ALL, PupilGroup.DISADVANTAGED, PupilGroup.BOYS, PupilGroup.SEN_SUPPORT],
    )
    scope = forms.ChoiceField(
        label="Schools",
        choices=[
            (SCOPE_PRIMARY, "Every open primary school in the partnership"),
            (SCOPE_SECONDARY, "Every open secondary school in the partnership"),
            (SCOPE_CHOSEN, "The schools chosen below"),
        ],
        widget=forms.RadioSelect,
        initial=SCOPE_PRIMARY,
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=partnership_schools().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Only used with 'The schools chosen below'.",
    )
    deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        base = partnership_schools()
        if scope == SCOPE_PRIMARY:
            data["school_list"] = list(base.filter(phase__in=[Phase.PRIMARY, Phase.MIDDLE_PRIMARY]))
        elif scope == SCOPE_SECONDARY:
            data["school_list"] = list(
                base.filter(phase__in=[Phase.SECONDARY, Phase.MIDDLE_SECONDARY, Phase.ALL_THROUGH])
            )
        else:
            data["school_list"] = list(data.get("schools") or [])
        if scope and not data["school_list"]:
            self.add_error("schools", "No schools match: choose at least one school.")
        return data


class PredictionsUploadForm(forms.Form):
    file = forms.FileField(help_text="The template for this collection, filled in (CSV or XLSX).")

    def clean_file(self):
        f = self.cleaned_data["file"]
        check_size(f, purpose="predictions")
        if not f.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError("Upload the template as a .csv or .xlsx file.")
        return f
