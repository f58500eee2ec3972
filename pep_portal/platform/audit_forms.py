from django import forms

from .audit import ACTIONS
from .filter_forms import FilterForm


class AuditFilterForm(FilterForm):
    actor = forms.CharField(required=False, label="Who (email contains)")
    model = forms.ChoiceField(
        required=False,
        label="What",
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of record the portal keeps "
            "(choose one from the list)."
        },
    )
    action = forms.ChoiceField(
        required=False,
        choices=[("", "Any change")] + [(k, k.capitalize()) for k in ACTIONS],
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of change: create, update, delete "
            "or access."
        },
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    job = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, label="Import job number"
    )

    def __init__(self, *args, model_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Anything")] + list(model_choices)
