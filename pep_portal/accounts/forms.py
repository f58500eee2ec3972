from django import forms

from .models import Role, User

STAFF_ROLES = (Role.OFFICER, Role.ADMIN)

# The school and trust a user acts for: the register's models, reached through the user's own
# foreign keys (the register is a layer up; accounts never imports it).
School = User._meta.get_field("school").related_model
Trust = User._meta.get_field("trust").related_model


def role_choices_for(user) -> list[tuple[str, str]]:
    """The roles this user may give: administrators any; officers every role but officer
    and administrator (those accounts are managed by administrators only)."""
    if user is not None and user.has_perm("pep_portal.manage_officers"):
        return list(Role.choices)
    return [c for c in Role.choices if c[0] not in STAFF_ROLES]


class RoleForm(forms.Form):
    """A role, and the school or trust it acts for; the roles offered are those ``manager``
    may give (role_choices_for)."""

    role = forms.ChoiceField(choices=Role.choices)
    school = forms.ModelChoiceField(
        queryset=School.objects.filter(status__in=School.OPEN_STATUSES).order_by("name"),
        required=False,
        help_text="For headteachers and school colleagues.",
    )
    trust = forms.ModelChoiceField(
        queryset=Trust.objects.order_by("name"), required=False, help_text="For trust users."
    )

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices_for(manager)

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


class RoleChangeForm(RoleForm):
    """Change an existing account's role (the user detail page)."""


class InviteForm(RoleForm):
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    job_title = forms.CharField(max_length=200, required=False)

    field_order = ["email", "first_name", "last_name", "job_title", "role", "school", "trust"]

    def __init__(self, *args, inviter=None, **kwargs):
        # Officers invite every role but officers and administrators.
        super().__init__(*args, manager=inviter, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address.")
        return email
