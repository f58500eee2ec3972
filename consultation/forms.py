"""Forms validate what people type; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pep_portal.platform.uploads import DOCUMENTS_AND_IMAGES, describe
from schools.models import Phase, Trust
from schools.selectors import partnership_schools

from .models import Audience, Question

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A moment in UK time: the browser's date and time picker, or typed as 2026-03-01 09:00
    or 01/03/2026 09:00."""

    widget = LocalDateTimeInput
    input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown in the list of consultations and at the top of the page.",
    )
    document = forms.CharField(
        label="Consultation document",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "Paste the text (blank lines start new paragraphs) or write simple HTML: "
            "headings (h2-h4), paragraphs, lists, bold, italics, links and tables. "
            "Anything else is removed."
        ),
    )
    opens_at = LocalDateTimeField(
        label="Opens at",
        help_text=(
            "UK time. Once you schedule the consultation it opens by itself at this moment: "
            "schools are invited by email and can answer from then. Until then it is a draft "
            "only officers see."
        ),
    )
    closes_at = LocalDateTimeField(
        label="Closes at",
        help_text="UK time. The server refuses answers from this moment on.",
    )
    audience = forms.ChoiceField(
        label="Who is consulted", choices=Audience.choices, widget=forms.RadioSelect
    )
    audience_phase = forms.ChoiceField(
        label="Phase (when consulting one phase)",
        choices=[("", "—")] + list(Phase.choices),
        required=False,
    )
    audience_schools = forms.ModelMultipleChoiceField(
        label="Schools (when consulting chosen schools)",
        queryset=partnership_schools().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Hold Ctrl (or Cmd) to choose several.",
    )
    audience_trusts = forms.ModelMultipleChoiceField(
        label="Trusts (when consulting the schools of chosen trusts)",
        queryset=Trust.objects.filter(schools__la__in_partnership=True).distinct().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Hold Ctrl (or Cmd) to choose several.",
    )

    @classmethod
    def initial_for(cls, consultation) -> dict:
        tz = timezone.get_current_timezone()
        return {
            "title": consultation.title,
            "summary": consultation.summary,
            "document": consultation.document_html,
            "opens_at": timezone.localtime(consultation.opens_at, tz),
            "closes_at": timezone.localtime(consultation.closes_at, tz),
            "audience": consultation.audience,
            "audience_phase": consultation.audience_phase,
            "audience_schools": list(consultation.audience_schools.all()),
            "audience_trusts": list(consultation.audience_trusts.all()),
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of question", choices=Question.Kind.choices)
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))
    help_text = forms.CharField(
        label="Help text", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    choices = forms.CharField(
        label="Choices, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Single and multiple choice: the options. Interest in joining: the boards or groups "
            "(for example “Strategic Board” and “Operational Group”). Agree/disagree and yes/no "
            "questions have fixed choices."
        ),
    )
    allow_comment = forms.BooleanField(label="Offer a comment box", required=False)
    comment_label = forms.CharField(
        label="Comment box label", required=False, max_length=200,
        help_text="For example “Are there others that should be included?”",
    )  # fmt: skip
    max_length = forms.IntegerField(
        label="Most characters in a free-text answer or comment",
        min_value=10,
        max_value=20000,
        initial=2000,
    )
    mandatory = forms.BooleanField(label="Must be answered to submit", required=False)
    position = forms.IntegerField(label="Position", min_value=1, max_value=999, required=False)

    def cleaned_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = self.cleaned_choices()
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "choices": "\n".join(question.choices or []),
            "allow_comment": question.allow_comment,
            "comment_label": question.comment_label,
            "max_length": question.max_length,
            "mandatory": question.mandatory,
            "position": question.position,
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(help_text=f"{describe(DOCUMENTS_AND_IMAGES)}; up to 20 MB.")
    title = forms.CharField(
        required=False, max_length=200, help_text="Optional: how the file is listed."
    )


class ResponseForm(forms.Form):
    """One field per question (``q<id>``) and one per comment box (``q<id>_comment``).

    Nothing is required here: mandatory questions are enforced by the service on submit.
    """

    def __init__(self, *args, questions, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        for q in self.questions:
            saved = answers.get(q.pk)
            name = f"q{q.pk}"
            label = f"Q{q.position}. {q.text}"
            help_text = q.help_text
            options = [(o, o) for o in q.options]
            if q.kind == Question.Kind.FREE_TEXT:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=q.max_length,
                    widget=forms.Textarea(attrs={"rows": 6, "maxlength": q.max_length}),
                    help_text=help_text,
                )
            elif q.is_list_kind:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=help_text,
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=options,
                    widget=forms.RadioSelect,
                    help_text=help_text,
                )
            self.fields[name] = field
            if saved is not None:
                self.initial[name] = saved.value
            if q.allow_comment:
                self.fields[f"{name}_comment"] = forms.CharField(
                    label=q.comment_label or "Comments (optional)",
                    required=False,
                    max_length=q.max_length,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": q.max_length}),
                )
                if saved is not None:
                    self.initial[f"{name}_comment"] = saved.comment

    def items(self):
        """(question, field, comment field or None) for the template."""
        for q in self.questions:
            comment = self[f"q{q.pk}_comment"] if q.allow_comment else None
            yield q, self[f"q{q.pk}"], comment

    def answers(self) -> dict[int, dict]:
        result = {}
        for q in self.questions:
            result[q.pk] = {
                "value": self.cleaned_data.get(f"q{q.pk}"),
                "comment": self.cleaned_data.get(f"q{q.pk}_comment", ""),
            }
        return result


class AnnotateForm(forms.Form):
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Separate tags with commas, for example: funding, governance",
    )
    note = forms.CharField(
        label="Add a note", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="We asked, you said, we did",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "What you asked, what schools told you and what the partnership is doing about "
            "it. Every school consulted can read it once published, and is emailed a link. "
            "Simple HTML or plain paragraphs."
        ),
    )
