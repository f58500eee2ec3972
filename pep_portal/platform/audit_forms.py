from django import forms

from .audit import ACTIONS


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Who (email contains)")
    model = forms.ChoiceField(required=False, label="What")
    action = forms.ChoiceField(
        required=False, choices=[("", "Any change")] + [(k, k.capitalize()) for k in ACTIONS]
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
