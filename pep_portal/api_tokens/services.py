"""Writes for personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

if TYPE_CHECKING:
    from pep_portal.accounts.models import User

MAX_TOKENS_PER_USER = 20


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """Make a named token for the user; return it and the token text (shown once only).

    ``expires_on``: the last day the token works (it stops at midnight that night, London
    time); None = until revoked.
    """
    if not user.has_perm("api_tokens.manage_own_tokens"):
        raise PermissionDenied("You may not create API tokens.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. 'Nightly sync'."})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date is in the past."})
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            f"You have {MAX_TOKENS_PER_USER} tokens already: revoke one you no longer use."
        )
    expiry = None
    if expires_on is not None:
        end = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
        expiry = timezone.make_aware(end) - timezone.now()
    probe = ApiToken(user=user, name=name, digest="x", token_key="x")
    probe.full_clean(exclude=["digest", "token_key"])
    token, text = ApiToken.objects.create(user=user, expiry=expiry, name=name)
    return token, text


@transaction.atomic
def api_token_revoke(*, user: User, token_digest: str) -> None:
    """Delete one of the user's tokens: it stops working at once."""
    token = ApiToken.objects.filter(digest=token_digest).first()
    if token is None or not user.has_perm("api_tokens.revoke_token", token):
        raise ApiToken.DoesNotExist("No such token.")
    token.delete()


def api_token_mark_used(*, token: ApiToken, now: dt.datetime) -> None:
    """Record that a token was just used (one UPDATE; no signals, no full save)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
