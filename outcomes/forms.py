"""Forms for the results upload page and the EES indicator-mapping step."""

from __future__ import annotations

from django import forms

from pep_portal.imports.forms import ImportUploadForm

from .importers import RESULT_LAYOUTS, EesScan, parse_academic_year
from .models import Measure, PupilGroup, ResultField, ResultStatus

NEIGHBOURS = "statistical_neighbours"
ROWS_PER_INDICATOR = 3


class ResultsUploadForm(ImportUploadForm):
    file = forms.FileField(
        help_text="CSV (any layout), XLSX (the portal template or DfE's statistical neighbours "
        "workbook) or parquet (LAIT's own data file)."
    )
    layout = forms.ChoiceField(
        choices=[("", "Detect from the header")]
        + sorted(RESULT_LAYOUTS.items())
        + [(NEIGHBOURS, "DfE statistical neighbours table")],
        required=False,
    )
    year = forms.CharField(
        required=False,
        max_length=7,
        help_text="Performance tables only: the academic year, e.g. 2016 or 2015/16 "
        "(otherwise taken from the file name).",
    )
    status = forms.ChoiceField(choices=ResultStatus.choices, initial=ResultStatus.PROVISIONAL)

    def clean_year(self):
        year = self.cleaned_data["year"].strip()
        if year:
            try:
                return str(parse_academic_year(year))
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return ""

    @property
    def kind(self) -> str:
        return NEIGHBOURS if self.cleaned_data.get("layout") == NEIGHBOURS else "results"

    def options(self) -> dict:
        if self.kind == NEIGHBOURS:
            return {"source_name": self.cleaned_data["file"].name}
        data = self.cleaned_data
        return {
            k: v
            for k, v in {
                "layout": data.get("layout"),
                "year": data.get("year"),
                "status": data.get("status"),
                "source_name": data["file"].name,
            }.items()
            if v
        }


class EesMappingForm(forms.Form):
    """For each unmapped indicator, up to three rows: filter values -> measure, group, field.

    Filter columns a row leaves on "Total / all" must hold a total (Total, All...) in the file.
    Rows without a measure are ignored; saved rows apply to this file and every later one.
    """

    def __init__(self, *args, scan: EesScan, **kwargs):
        super().__init__(*args, **kwargs)
        self.scan = scan
        measures = Measure.objects.filter(is_active=True).order_by("sort_order", "code")
        self.layout_rows: list[dict] = []
        for i, indicator in enumerate(scan.unmapped):
            for k in range(ROWS_PER_INDICATOR):
                prefix = f"m{i}_{k}"
                label = f"{indicator}, mapping {k + 1}"
                self.fields[f"{prefix}_measure"] = forms.ModelChoiceField(
                    queryset=measures,
                    required=False,
                    empty_label="(do not import)",
                    label=f"Measure for {label}",
                )
                self.fields[f"{prefix}_group"] = forms.ChoiceField(
                    choices=PupilGroup.choices,
                    required=False,
                    initial=PupilGroup.ALL,
                    label=f"Pupil group for {label}",
                )
                self.fields[f"{prefix}_field"] = forms.ChoiceField(
                    choices=ResultField.choices,
                    required=False,
                    initial=ResultField.VALUE,
                    label=f"What {indicator} holds ({label})",
                )
                filter_names = []
                for j, (column, values) in enumerate(scan.filters.items()):
                    name = f"{prefix}_f{j}"
                    self.fields[name] = forms.ChoiceField(
                        choices=[("", "Total / all")] + [(v, v) for v in values],
                        required=False,
                        label=f"{column} for {label}",
                    )
                    filter_names.append((column, name))
                self.layout_rows.append(
                    {"indicator": indicator, "k": k, "prefix": prefix, "filters": filter_names}
                )

    def rows_by_indicator(self) -> list[tuple[str, list[dict]]]:
        """For the template: bound fields grouped by indicator."""
        grouped: dict[str, list[dict]] = {}
        for row in self.layout_rows:
            p = row["prefix"]
            grouped.setdefault(row["indicator"], []).append(
                {
                    "number": row["k"] + 1,
                    "measure": self[f"{p}_measure"],
                    "group": self[f"{p}_group"],
                    "field": self[f"{p}_field"],
                    "filters": [self[name] for _, name in row["filters"]],
                }
            )
        return list(grouped.items())

    def clean(self):
        data = super().clean()
        seen = {}
        self.mappings: list[dict] = []
        for row in self.layout_rows:
            p = row["prefix"]
            measure = data.get(f"{p}_measure")
            if measure is None:
                continue
            filters = {col: data[name] for col, name in row["filters"] if data.get(name)}
            key = (row["indicator"], tuple(sorted(filters.items())))
            if key in seen:
                self.add_error(
                    f"{p}_measure",
                    f"Mapping {seen[key]} of {row['indicator']} already uses these filter values.",
                )
                continue
            seen[key] = row["k"] + 1
            group = data.get(f"{p}_group") or PupilGroup.ALL
            if group and measure.groups and group not in measure.groups:
                self.add_error(
                    f"{p}_group",
                    f"{measure.code} is not published for {PupilGroup(group).label.lower()}.",
                )
                continue
            self.mappings.append(
                {
                    "indicator": row["indicator"],
                    "filters": filters,
                    "measure": measure,
                    "pupil_group": group,
                    "field": data.get(f"{p}_field") or ResultField.VALUE,
                }
            )
        return data
