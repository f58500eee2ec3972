from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What it is for, so you know which to revoke later, e.g. 'Nightly sync'.",
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on (optional)",
        help_text="The last day the token works. Leave empty to keep it until you revoke it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
