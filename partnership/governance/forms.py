"""Forms for boards and meetings: they validate input only; the services do the work."""

from __future__ import annotations

from django import forms

from pep_portal.platform.uploads import DOCUMENTS, describe

from .models import Action, AgendaItem, Attendance, Meeting, Membership, Person, Represents

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MembershipForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        help_text="Someone already on a board; or give a new person's details below.",
    )
    new_person_name = forms.CharField(max_length=200, required=False, label="New person: name")
    new_person_organisation = forms.CharField(
        max_length=200, required=False, label="New person: organisation"
    )
    new_person_email = forms.EmailField(required=False, label="New person: email")
    position = forms.ChoiceField(choices=Membership.Position.choices)
    represents = forms.ChoiceField(choices=Represents.choices)
    voting = forms.BooleanField(
        required=False, initial=True, help_text="Untick for a co-opted non-voting member."
    )
    start_date = forms.DateField(widget=DATE)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("new_person_name"):
            self.add_error("person", "Choose a person or give a new person's name.")
        return data


class MembershipReviewForm(forms.Form):
    reviewed_on = forms.DateField(widget=DATE, help_text="Usually the first meeting of the year.")
    continuing = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every member who continues this year; the others leave.",
    )
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, members=(), board=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continuing"].queryset = Membership.objects.filter(
            pk__in=[m.pk for m in members]
        ).select_related("person")
        self.fields["continuing"].initial = [m.pk for m in members]
        self.fields["continuing"].label_from_instance = lambda m: (
            f"{m.person.name} ({m.get_position_display()}, {m.get_represents_display()})"
        )
        if board is not None:
            self.fields["meeting"].queryset = board.meetings.order_by("-starts_at")


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(widget=DATETIME, label="Starts")
    ends_at = forms.DateTimeField(widget=DATETIME, label="Ends", required=False)
    location = forms.CharField(max_length=200)


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    presenter = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(
        choices=[(AgendaItem.Kind.BUSINESS, "Item of business"), (AgendaItem.Kind.AOB, "AOB")]
    )


class PaperForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none())
    title = forms.CharField(max_length=300, required=False, help_text="Defaults to the file name.")
    file = forms.FileField(help_text=f"{describe(DOCUMENTS)}; up to 20 MB.")

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class PapersPublishForm(forms.Form):
    late_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason, if the papers are late",
        help_text="Papers are due a week before the meeting; late papers are marked as late.",
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}))


class MinutesAgreeForm(forms.Form):
    minutes_of = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), label="Agree the draft minutes of"
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["minutes_of"].queryset = candidates


class DecisionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Decision")

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    owner_name = forms.CharField(
        max_length=200, required=False, help_text="When the owner is not a member."
    )
    due_date = forms.DateField(widget=DATE)
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        if people is not None:
            self.fields["owner"].queryset = people


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    progress_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    at_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label="Closed at meeting"
    )

    def __init__(self, *args, board=None, **kwargs):
        super().__init__(*args, **kwargs)
        if board is not None:
            self.fields["at_meeting"].queryset = board.meetings.order_by("-starts_at")


class AttendanceForm(forms.Form):
    """One choice per member, built from the members on the meeting's date."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [("", "Not recorded"), *Attendance.Status.choices]
        for membership, status in rows:
            name = f"member_{membership.pk}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                initial=status,
                label=membership.person.name,
                widget=forms.Select(
                    attrs={
                        "data-voting": "1" if membership.voting else "0",
                        "class": "js-attendance",
                    }
                ),
            )
            self.rows.append((membership, self[name]))

    def statuses(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("member_")
        }
