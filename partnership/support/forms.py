"""Forms for support deployments: they validate input only."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from schools.selectors import partnership_schools

from .models import Deployment, Focus, SystemLeader

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeploymentForm(forms.Form):
    leader = forms.ModelChoiceField(
        queryset=SystemLeader.objects.select_related("home_school").order_by("name"),
        required=False,
    )
    new_leader_name = forms.CharField(max_length=200, required=False, label="New leader: name")
    new_leader_designation = forms.ChoiceField(
        choices=[("", "---------"), *SystemLeader._meta.get_field("designation").choices],
        required=False,
        label="New leader: designation",
    )
    new_leader_home_school = forms.ModelChoiceField(
        queryset=None, required=False, label="New leader: home school"
    )
    supported_school = forms.ModelChoiceField(queryset=None)
    focus = forms.ChoiceField(choices=Focus.choices, label="Priority or focus")
    focus_detail = forms.CharField(max_length=300, required=False)
    commissioned_by = forms.ChoiceField(choices=Deployment.CommissionedBy.choices)
    days = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0.5)
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE, required=False)
    status = forms.ChoiceField(
        choices=[
            (Deployment.Status.PLANNED, "Planned"),
            (Deployment.Status.ACTIVE, "Active"),
        ]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schools = partnership_schools().order_by("name")
        self.fields["supported_school"].queryset = schools
        self.fields["new_leader_home_school"].queryset = schools

    def clean(self):
        data = super().clean()
        if not data.get("leader"):
            if not data.get("new_leader_name"):
                self.add_error("leader", "Choose a system leader or give a new leader's name.")
            elif not data.get("new_leader_designation"):
                self.add_error("new_leader_designation", "Give the new leader's designation.")
        end = data.get("end_date")
        if end and data.get("start_date") and end < data["start_date"]:
            self.add_error("end_date", "The end date is before the start date.")
        return data

    def new_leader_fields(self) -> dict:
        """The new leader's name, designation and home school (when no leader is chosen)."""
        return {
            name.removeprefix("new_leader_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("new_leader_")
        }

    def deployment_fields(self) -> dict:
        """The deployment's own fields: all but who is deployed."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "leader" and not name.startswith("new_leader_")
        }


class DeploymentCloseForm(forms.Form):
    end_date = forms.DateField(widget=DATE, initial=timezone.localdate)
    days = forms.DecimalField(
        max_digits=5, decimal_places=1, min_value=0.5, required=False, help_text="Days delivered."
    )
    impact_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
