"""API authentication, permissions and throttling.

- :class:`ApiTokenAuthentication`: personal tokens (django-rest-knox digests in
  ``api_tokens.ApiToken``) sent as ``Authorization: Token <token>`` (or ``Bearer``). An
  expired token is refused (and kept, so its owner sees it expired); a revoked one no longer
  exists. Its last use is recorded at most once a minute.
- :class:`NamedPermission`: the endpoint's named permissions (the pages' own, from each
  app's ``rules.py``); object permissions answer 404, never 403, so existence never leaks.
- :class:`TokenRateThrottle` and :class:`TokenSustainedRateThrottle`: requests per token
  (per user for the browsable API) in a minute (``settings.API_THROTTLE_RATE``) and in an
  hour (``settings.API_THROTTLE_SUSTAINED_RATE``); over either, 429 with ``Retry-After``.
  The sizing (a trust's whole nightly sync fits) is in settings/base.py.
"""

from __future__ import annotations

import binascii
import datetime as dt
from hmac import compare_digest

from django.conf import settings
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
API_PERMISSION = "api_tokens.use_api"


class ApiTokenAuthentication(TokenAuthentication):
    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in self.keywords:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid Authorization header: use 'Token <your token>'."
            )
        return self.authenticate_credentials(auth[1])

    def authenticate_credentials(self, token):
        from pep_portal.api_tokens.models import ApiToken
        from pep_portal.api_tokens.services import api_token_mark_used

        try:
            text = token.decode("utf-8")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        for candidate in ApiToken.objects.filter(
            token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user"):
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.expiry is not None and candidate.expiry <= now:
                raise exceptions.AuthenticationFailed("This token has expired.")
            if not candidate.user.is_active:
                raise exceptions.AuthenticationFailed("This account is disabled.")
            if (
                candidate.last_used_at is None
                or now - candidate.last_used_at > LAST_USED_RESOLUTION
            ):
                api_token_mark_used(token=candidate, now=now)
            return candidate.user, candidate
        raise exceptions.AuthenticationFailed("Invalid token.")

    def authenticate_header(self, request):
        return "Token"


class NamedPermission(BasePermission):
    """The view's ``permission_required`` (all of them), plus ``api_tokens.use_api``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required = (API_PERMISSION, *getattr(view, "permission_required", ()))
        return all(user.has_perm(perm) for perm in required)

    def has_object_permission(self, request, view, obj) -> bool:
        perm = getattr(view, "object_permission_required", None)
        if perm and not request.user.has_perm(perm, obj):
            raise exceptions.NotFound()
        return True


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token in a short window: a burst beyond it waits (429, Retry-After)."""

    scope = "api"
    rate_setting = "API_THROTTLE_RATE"

    def get_rate(self) -> str:
        return str(getattr(settings, self.rate_setting))

    def get_cache_key(self, request, view):
        from pep_portal.api_tokens.models import ApiToken

        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.digest[:40]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"throttle_{self.scope}_{ident}"


class TokenSustainedRateThrottle(TokenRateThrottle):
    """Requests per token over a longer window: a script looping on the API is held to it."""

    scope = "api_sustained"
    rate_setting = "API_THROTTLE_SUSTAINED_RATE"


try:  # documented in the OpenAPI schema as the "Token" scheme
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class ApiTokenScheme(OpenApiAuthenticationExtension):
        target_class = ApiTokenAuthentication
        name = "tokenAuth"

        def get_security_definition(self, auto_schema):
            return {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "A personal token from your profile page, sent as `Token <token>`.",
            }

except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass
