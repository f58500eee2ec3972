"""Accounts' named permissions (each app names its own in its rules.py)."""

import rules

from .roles import add_admin_perms, is_admin, is_signed_in, is_staff_officer

rules.add_perm("pep_portal.view_home", is_signed_in)
rules.add_perm("pep_portal.invite_user", is_staff_officer)
rules.add_perm("pep_portal.view_users", is_staff_officer)

# The admin's permissions (apps name theirs in their own rules.py the same way).
add_admin_perms("pep_portal", "user", view=is_staff_officer, change=is_admin)
