"""Forms for the action plan: milestone updates, the board view's filters, plan import."""

from __future__ import annotations

import datetime as dt

from django import forms

from pep_portal.platform.filter_forms import FilterForm
from pep_portal.platform.rag import PROGRESS_RAG_CHOICES
from pep_portal.platform.uploads import DOCUMENTS_AND_IMAGES, check_size, describe

from .models import LeadRole, StatusChoices
from .services import evidence_max_bytes


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=StatusChoices.choices, widget=forms.RadioSelect
    )
    progress = forms.IntegerField(
        label="Progress (%)",
        min_value=0,
        max_value=100,
        help_text="0 to 100. A complete milestone is recorded as 100%.",
    )
    note = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What has happened since the last update, and what happens next.",
    )
    evidence_url = forms.URLField(
        label="Evidence link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A link to a published document, e.g. a strategy on the council's website.",
    )
    evidence_file = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text=f"Upload {describe(DOCUMENTS_AND_IMAGES)}.",
    )
    rag_override = forms.ChoiceField(
        label="Override the RAG (optional)",
        required=False,
        choices=[("", "No override: show the computed RAG"), *PROGRESS_RAG_CHOICES],
        help_text="Only when the computed colour is misleading. Give the reason below.",
    )
    override_reason = forms.CharField(
        label="Reason for the override",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = evidence_max_bytes() // (1024 * 1024)
        self.fields["evidence_file"].help_text += f" Up to {limit_mb} MB."

    def clean(self):
        data = super().clean()
        if data.get("rag_override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "Give a reason for overriding the RAG.")
        if not data.get("rag_override"):
            data["override_reason"] = ""
        return data


class BoardFilterForm(FilterForm):
    rag = forms.ChoiceField(
        label="RAG", required=False, choices=[("", "Any colour"), *PROGRESS_RAG_CHOICES]
    )
    lead = forms.ChoiceField(label="Lead", required=False)
    due_within_weeks = forms.IntegerField(
        label="Due in the next (weeks)", required=False, min_value=1, max_value=104
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    since = forms.DateField(
        label="Changes since",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The last board meeting.",
    )

    def __init__(self, *args, since_default: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "Any lead")] + [
            (lr.code, f"{lr.code}: {lr.title}") for lr in LeadRole.objects.order_by("code")
        ]
        self.fields["since"].initial = since_default
        self.since_default = since_default

    def filters(self) -> dict:
        """The cleaned filters (empty ones dropped). ``refused``: a value could not be used;
        the page says which (includes/filter_problems.html) and lists no milestone and no
        change, rather than the whole plan as if it were the answer."""
        data = self.applied()
        refused = data is None
        data = data or {}
        return {
            "refused": refused,
            "rag": data.get("rag") or None,
            "lead": data.get("lead") or None,
            "due_within_weeks": data.get("due_within_weeks"),
            "overdue": bool(data.get("overdue")),
            "since": data.get("since") or self.since_default,
        }


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Action plan workbook (.xlsx)",
        help_text="The layout of the action plan's XLSX export: sheets Plan, Lead roles, "
        "Priorities, Actions and milestones, Success measures.",
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        check_size(f, purpose="national_data")
        head = f.read(4)
        f.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                "This is not an Excel workbook (.xlsx). Save the plan as .xlsx and upload it."
            )
        return f
