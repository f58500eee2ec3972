"""Import jobs' named permissions."""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_admin, is_staff_officer

rules.add_perm("pep_portal.view_import_jobs", is_staff_officer)
add_admin_perms("pep_portal", "importjob", view=is_staff_officer, change=is_admin)
