"""Portal users: one account per person, signing in by email, with one role.

A headteacher (or a delegated school colleague) is linked to one school; a trust user to one
trust. What each role may do is named in each app's ``rules.py``; the role predicates live in
``pep_portal.accounts.roles``.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    BOARD_MEMBER = "board_member", "Board member"
    OFFICER = "officer", "Officer"
    HEADTEACHER = "headteacher", "Headteacher"
    SCHOOL_STAFF = "school_staff", "School colleague (delegated by the head)"
    TRUST_USER = "trust_user", "Trust user"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD_MEMBER)
    job_title = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Headteachers and school colleagues: the school they act for.",
    )
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Trust users: the trust whose schools they see.",
    )
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").lower()
        if self.role in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and not self.school_id:
            raise ValidationError({"school": "A headteacher or school colleague needs a school."})
        if self.role == Role.TRUST_USER and not self.trust_id:
            raise ValidationError({"trust": "A trust user needs a trust."})
        if self.role not in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and self.school_id:
            raise ValidationError(
                {"school": "Only headteachers and school colleagues have a school."}
            )
        if self.role != Role.TRUST_USER and self.trust_id:
            raise ValidationError({"trust": "Only trust users have a trust."})
