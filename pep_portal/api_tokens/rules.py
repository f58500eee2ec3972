"""Named permissions for the REST API and personal tokens."""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_admin, is_signed_in, is_staff_officer

# Every signed-in role may use the API; what each endpoint shows is the page's own permission.
rules.add_perm("api_tokens.use_api", is_signed_in)
rules.add_perm("api_tokens.manage_own_tokens", is_signed_in)


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("api_tokens.revoke_token", is_signed_in & owns_token)
add_admin_perms("api_tokens", "apitoken", view=is_staff_officer, change=is_admin)
