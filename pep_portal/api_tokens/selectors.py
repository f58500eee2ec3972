"""Reads for personal API tokens."""

from django.db.models import QuerySet

from .models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (nobody lists anyone else's here)."""
    if not user.has_perm("api_tokens.manage_own_tokens"):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created")
