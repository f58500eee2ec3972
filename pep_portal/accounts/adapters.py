import datetime as dt
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.forms import ResetPasswordForm
from django.utils import timezone

from pep_portal.platform.site import absolute_url


def _on_site(url: str) -> str:
    """The same link on the configured SITE_URL, whatever Host header the request had (a
    forged Host must never put someone else's address in a reset email)."""
    bits = urlsplit(url)
    return absolute_url(bits.path + (f"?{bits.query}" if bits.query else ""))


class _Site:
    """What allauth's email templates call the site: named here, its domain from SITE_URL."""

    name = "PEP Portal"

    @property
    def domain(self) -> str:
        return urlsplit(absolute_url("/")).netloc


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: officers and admins invite users (pep_portal.accounts.services.user_invite)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth names the site from the request's Host; ours comes from SITE_URL.
        context = {"current_site": _Site(), **context}
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{_Site.name}] {subject}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _on_site(super().get_email_confirmation_url(request, emailconfirmation))

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


# --- Which addresses count ---------------------------------------------------------------------
# An address a user adds to their account counts for signing in and for password resets only
# once it is verified (the link emailed to it was opened). The account's own address (set by
# the invitation, verified then) always counts. With ACCOUNT_CHANGE_EMAIL an account has one
# address: a new one waits, unverified, and replaces the old only when verified, and the old
# address is told (ACCOUNT_EMAIL_NOTIFICATIONS). So a few minutes in someone's session cannot
# buy lasting access through an address of the intruder's.


def address_counts(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    email = (email or "").strip().lower()
    if (user.email or "").lower() == email:
        # The account's own address: it counts unless it is recorded as added and unverified.
        return not EmailAddress.objects.filter(
            user=user, email__iexact=email, verified=False, primary=False
        ).exists()
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


class VerifiedAddressBackend(AuthenticationBackend):
    """allauth's email sign-in, refusing an address that is not verified (see above)."""

    def _authenticate_by_email(self, email, password):
        user = super()._authenticate_by_email(email, password)
        if user is not None and not address_counts(user, email):
            return None
        return user


class VerifiedResetPasswordForm(ResetPasswordForm):
    """A reset link is sent only to an address that counts (otherwise: 'no account')."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [u for u in self.users if address_counts(u, email)]
        return email
