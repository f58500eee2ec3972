"""Writes for accounts: invitations."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

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
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by: User,
    school=None,
    trust=None,
    job_title: str = "",
) -> User:
    """Create an account with no usable password and email a one-time set-password link."""
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
