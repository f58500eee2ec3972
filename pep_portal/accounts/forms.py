from django import forms

from schools.models import School, Trust

from .models import Role, User


class InviteForm(forms.Form):
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    job_title = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    school = forms.ModelChoiceField(
        queryset=School.objects.filter(status=School.Status.OPEN).order_by("name"),
        required=False,
        help_text="For headteachers and school colleagues.",
    )
    trust = forms.ModelChoiceField(
        queryset=Trust.objects.order_by("name"), required=False, help_text="For trust users."
    )

    def __init__(self, *args, inviter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inviter is not None and not inviter.is_superuser and inviter.role != Role.ADMIN:
            # Officers invite every role but administrators.
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address.")
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and not data.get("school"):
            self.add_error("school", "Choose the school this person acts for.")
        if role == Role.TRUST_USER and not data.get("trust"):
            self.add_error("trust", "Choose the trust this person works for.")
        if role not in (Role.HEADTEACHER, Role.SCHOOL_STAFF):
            data["school"] = None
        if role != Role.TRUST_USER:
            data["trust"] = None
        return data
