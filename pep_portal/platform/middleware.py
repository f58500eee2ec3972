"""Officers and admins: a second factor is required, and idle sessions expire."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from pep_portal.accounts.roles import is_staff_officer

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
