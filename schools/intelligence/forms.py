from __future__ import annotations

from django import forms

from pep_portal.platform.filter_forms import FilterForm
from schools.models import DataSharingAgreement, School, SoftIntelligence, Workforce
from schools.selectors import partnership_schools

from .services import SOFT_FIELDS, WORKFORCE_FIELDS


def _schools():
    return partnership_schools().order_by("name")


class SoftIntelligenceForm(forms.ModelForm):
    school = forms.ModelChoiceField(queryset=School.objects.none())

    class Meta:
        model = SoftIntelligence
        fields = ["school", "academic_year", "term", *SOFT_FIELDS, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools()

    def validate_unique(self):  # the service replaces a term's record
        pass


class WorkforceForm(forms.ModelForm):
    school = forms.ModelChoiceField(queryset=School.objects.none())

    class Meta:
        model = Workforce
        fields = ["school", "academic_year", *WORKFORCE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools()

    def validate_unique(self):
        pass


class AgreementForm(forms.ModelForm):
    class Meta:
        model = DataSharingAgreement
        fields = ["version", "signed_by_name", "signed_by_role", "signed_on"]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}


class WorkforceYearForm(FilterForm):
    """The workforce comparison's year (``?year=2018``): one the school has figures for."""

    year = forms.TypedChoiceField(
        label="Year",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "“%(value)s” is not a year this school has workforce figures "
            "for (choose one from the list)."
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = years[0] if years else None
