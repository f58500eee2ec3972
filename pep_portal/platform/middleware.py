"""Officers and admins: a second factor is required, and idle sessions expire; bad input is a 400."""

import logging

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from pep_portal.accounts.roles import is_staff_officer

logger = logging.getLogger(__name__)

# Pages a signed-in officer without MFA may still reach: setting it up, and signing out.
_MFA_SETUP_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/healthz",
    "/static/",
)


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_officer(user):
            # Sliding idle timeout: each request pushes expiry STAFF_IDLE_TIMEOUT ahead.
            request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
            if settings.REQUIRE_MFA_FOR_STAFF and not request.path.startswith(_MFA_SETUP_PREFIXES):
                from allauth.mfa.models import Authenticator

                if not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists():
                    return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


class BadInputMiddleware:
    """Bad numbers and bytes in a request are the client's mistake: a 400, never a 500.

    Views validate their own parameters (``pep_portal.platform.params``); this is the net under them:
    a NUL character in the query string (PostgreSQL cannot store or compare one) is refused
    before any view runs, and a number too large for the database that slipped through to a
    query becomes a 400 with a message instead of a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .params import BadParameter

        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return self._bad(
                    request, BadParameter(name.replace("\x00", ""), "contains a NUL character.")
                )
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .params import BadParameter, is_out_of_range_error

        if is_out_of_range_error(exception):
            logger.info("Out-of-range number in %s: %s", request.path, exception)
            return self._bad(
                request,
                BadParameter("number", "a number in the address is too large to look up."),
            )
        return None

    @staticmethod
    def _bad(request, exc):
        from .views import bad_request

        return bad_request(request, exc)
