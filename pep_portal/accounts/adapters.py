import datetime as dt

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: officers and admins invite users (pep_portal.imports.services.user_invite)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str) -> bool:
        """Not when someone who signed in with their password moments ago sets up their FIRST
        second factor (officers are sent there straight after signing in): asking for the
        password again then protects nothing. Changing or removing an existing factor, or
        setting one up later in a session, still asks."""
        if app == "allauth.mfa" and self._first_factor_right_after_sign_in():
            return False
        return super().is_reauthentication_required(app=app)

    def _first_factor_right_after_sign_in(self) -> bool:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated or user.last_login is None:
            return False
        recent = timezone.now() - dt.timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
        return user.last_login >= recent and not user.authenticator_set.exists()
