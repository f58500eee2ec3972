"""Writes for accounts: invitations, roles, deactivation."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pep_portal.platform.site import absolute_url

from .models import Role, User


def invitation_url(user: User) -> str:
    """A one-time link to set a password: allauth's reset-from-key URL and token generator.

    The token is tied to the password hash, last login and email, so it stops working as
    soon as the password is set (one-time), and after PASSWORD_RESET_TIMEOUT.
    """
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return absolute_url(path)


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by: User,
    school: Any = None,  # a schools.School / Trust: not imported, schools is a higher layer
    trust: Any = None,
    job_title: str = "",
) -> User:
    """Create an account with no usable password and email a one-time set-password link.

    Officer and administrator accounts are invited by administrators only."""
    _check_may_grant(by=invited_by, role=role)
    user = User(
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        school=school,
        trust=trust,
        job_title=job_title.strip(),
        invited_by=invited_by,
        invited_at=timezone.now(),
        is_staff=role in (Role.OFFICER, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    transaction.on_commit(lambda: invitation_send(user=user))
    return user


STAFF_ROLES = (Role.OFFICER, Role.ADMIN)


def _check_may_grant(*, by: User, role: str) -> None:
    if role in STAFF_ROLES and not by.has_perm("pep_portal.manage_officers"):
        raise PermissionDenied(
            "Only an administrator can give someone an officer's or administrator's account."
        )


def _check(by: User, perm: str, target: User, *, not_self: bool = False) -> None:
    # Superusers pass every has_perm, so the "not yourself" rule is also checked here.
    if not_self and by.pk == target.pk:
        raise PermissionDenied("You cannot change your own role or deactivate yourself.")
    if not by.has_perm(perm, target):
        if target.role in STAFF_ROLES or target.is_superuser:
            raise PermissionDenied(
                "Only an administrator can manage officer and administrator accounts."
            )
        raise PermissionDenied("You cannot do this to this account.")


def user_is_invited(user: User) -> bool:
    """Invited and not yet signed up: no password chosen."""
    return user.is_active and not user.has_usable_password()


@transaction.atomic
def user_invitation_resend(*, user: User, by: User) -> User:
    """Send a fresh one-time link to someone who has not yet chosen a password."""
    _check(by, "pep_portal.manage_user", user)
    if not user.is_active:
        raise ValidationError(f"{user.email} is deactivated: reactivate the account first.")
    if user.has_usable_password():
        raise ValidationError(
            f"{user.email} has already chosen a password; they can reset it from the sign-in page."
        )
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    transaction.on_commit(lambda: invitation_send(user=user))
    return user


@transaction.atomic
def user_role_change(
    *, user: User, by: User, role: str, school: Any = None, trust: Any = None
) -> User:
    """Give an account another role (a school for school roles, a trust for trust users)."""
    _check(by, "pep_portal.change_user_role", user, not_self=True)
    _check_may_grant(by=by, role=role)
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles."})
    user.role = role
    user.school = school if role in (Role.HEADTEACHER, Role.SCHOOL_STAFF) else None
    user.trust = trust if role == Role.TRUST_USER else None
    user.is_staff = role in STAFF_ROLES
    user.is_superuser = role == Role.ADMIN
    user.full_clean()
    user.save(update_fields=["role", "school", "trust", "is_staff", "is_superuser"])
    return user


@transaction.atomic
def user_active_set(*, user: User, by: User, active: bool) -> User:
    """Deactivate (signed out at their next request, API tokens refused) or reactivate."""
    _check(by, "pep_portal.deactivate_user", user, not_self=True)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


def invitation_send(*, user: User) -> None:
    context = {
        "user": user,
        "link": invitation_url(user),
        "inviter": user.invited_by,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    send_mail(
        subject="You are invited to PEP Portal",
        message=render_to_string("account/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
