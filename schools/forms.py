from django import forms

from pep_portal.imports.forms import ImportUploadForm
from pep_portal.platform.filter_forms import FilterForm

from . import selectors
from .models import Category, Phase


class SchoolFilterForm(FilterForm):
    """The directory's filters (GET). A value it cannot use is said on the page and lists no
    school (platform.filter_forms); an LA or trust that exists is always a valid filter."""

    q = forms.CharField(label="Name or URN", required=False, max_length=100)
    la = forms.TypedChoiceField(label="Local authority", required=False, coerce=int)
    phase = forms.ChoiceField(label="Phase", required=False, choices=[("", "Any"), *Phase.choices])
    category = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any"), *Category.choices]
    )
    trust = forms.TypedChoiceField(label="Trust", required=False, coerce=int)
    ofsted = forms.ChoiceField(
        label="Latest Ofsted", required=False, choices=[("", "Any"), *selectors.OFSTED_CHOICES]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=selectors.STATUS_CHOICES)

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        """choices: the LA and trust lists ({"la": ..., "trust": ...}, as
        selectors.register_filter_choices gives them); read from the register if None."""
        super().__init__(*args, **kwargs)
        if choices is None:
            choices = {
                "la": selectors.local_authority_choices(),
                "trust": selectors.trust_choices(),
            }
        raw = {name: str(self.data.get(name, "")).strip() for name in ("la", "trust")}
        offered = {name: {str(value) for value, _ in choices[name]} for name in raw}
        unoffered = {name: value for name, value in raw.items() if value not in offered[name]}
        named = selectors.filter_choices_named(**unoffered) if any(unoffered.values()) else {}
        for name in ("la", "trust"):
            self.fields[name].choices = [("", "Any"), *choices[name], *named.get(name, [])]
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> dict | None:
        """The filters, as keyword arguments for selectors.school_list (open schools unless
        a status is chosen); None when a value was refused."""
        data = self.applied()
        if data is not None:
            data.setdefault("status", selectors.STATUS_OPEN)
        return data


class RegisterUploadForm(ImportUploadForm):
    KINDS = [
        ("gias", "GIAS establishment CSV (full or names-only download)"),
        ("ofsted", "Ofsted inspections CSV (URN, inspection date, overall effectiveness)"),
    ]

    kind = forms.ChoiceField(label="What is the file?", choices=KINDS, widget=forms.RadioSelect)
    la_codes = forms.CharField(
        label="Only these local authorities (GIAS files)",
        required=False,
        help_text="LA codes separated by commas, e.g. 851, 852. Leave blank for all.",
    )
    field_order = ["kind", "file", "la_codes"]

    def clean_la_codes(self) -> list[int]:
        raw = self.cleaned_data["la_codes"].replace(";", ",")
        codes = []
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            if not part.isdigit() or not 0 <= int(part) <= 999:
                raise forms.ValidationError(f"'{part}' is not an LA code (three digits, e.g. 851).")
            codes.append(int(part))
        return codes

    def options(self) -> dict:
        codes = self.cleaned_data.get("la_codes")
        return {"la_codes": codes} if codes and self.cleaned_data["kind"] == "gias" else {}
