"""Platform named permissions: the admin site, the audit log and the sent-email log."""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_admin, is_staff_officer

rules.add_perm("pep_portal.use_admin", is_staff_officer)
rules.add_perm("pep_portal.view_audit_log", is_admin)
# The sent-email log is a record: nobody changes it in the admin.
add_admin_perms("platform", "sentnotification", view=is_staff_officer, change=rules.always_deny)
