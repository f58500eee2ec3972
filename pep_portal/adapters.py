from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: officers and admins invite users (pep_portal.services.user_invite)."""

    def is_open_for_signup(self, request) -> bool:
        return False
