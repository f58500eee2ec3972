"""Forms for categorisation and letters: they validate input only."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from schools.selectors import partnership_schools

from ..governance.models import (
    Meeting,
)
from .models import CategorisationReview, Concern, LetterTemplate

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CategorisationReviewForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. 'Autumn 2016 review'.")
    review_date = forms.DateField(widget=DATE)
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.select_related("board").order_by("-starts_at"), required=False
    )


class CategorisationForm(forms.Form):
    review = forms.ModelChoiceField(queryset=CategorisationReview.objects.all())
    category = forms.ChoiceField(choices=Concern.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class LetterForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    template = forms.ModelChoiceField(queryset=LetterTemplate.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = partnership_schools().order_by("name")


class LetterSentForm(forms.Form):
    sent_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    response_due = forms.DateField(
        widget=DATE, required=False, help_text="Defaults to the template's response period."
    )


class LetterResponseForm(forms.Form):
    received_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
