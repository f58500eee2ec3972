"""Accounts' named permissions (each app names its own in its rules.py)."""

import rules

from .models import Role
from .roles import add_admin_perms, is_admin, is_signed_in, is_staff_officer


@rules.predicate
def is_staff_account(user, target) -> bool:
    """The account being managed is an officer's or an administrator's."""
    return target is not None and (target.role in STAFF_ROLES or target.is_superuser)


@rules.predicate
def is_self(user, target) -> bool:
    return target is not None and user.pk == target.pk


STAFF_ROLES = (Role.OFFICER, Role.ADMIN)

rules.add_perm("pep_portal.view_home", is_signed_in)
# Users: officers and admins invite people, resend invitations, change roles and deactivate
# accounts; officer and administrator accounts are invited, promoted to and deactivated by
# administrators only. Nobody deactivates or demotes themselves (a locked-out portal).
rules.add_perm("pep_portal.invite_user", is_staff_officer)
rules.add_perm("pep_portal.view_users", is_staff_officer)
rules.add_perm("pep_portal.manage_officers", is_admin)
rules.add_perm("pep_portal.manage_user", is_admin | (is_staff_officer & ~is_staff_account))
rules.add_perm(
    "pep_portal.deactivate_user",
    ~is_self & (is_admin | (is_staff_officer & ~is_staff_account)),
)
rules.add_perm(
    "pep_portal.change_user_role",
    ~is_self & (is_admin | (is_staff_officer & ~is_staff_account)),
)

# The admin's permissions (apps name theirs in their own rules.py the same way).
add_admin_perms("pep_portal", "user", view=is_staff_officer, change=is_admin)
