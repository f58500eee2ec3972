"""Platform named permissions: the admin site and the audit log."""

import rules

from pep_portal.accounts.roles import is_admin, is_staff_officer

rules.add_perm("pep_portal.use_admin", is_staff_officer)
rules.add_perm("pep_portal.view_audit_log", is_admin)
