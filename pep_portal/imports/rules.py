"""Import jobs' named permissions."""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_admin, is_staff_officer

rules.add_perm("pep_portal.view_import_jobs", is_staff_officer)


@rules.predicate
def started_the_job(user, job) -> bool:
    return job is not None and job.created_by_id == user.pk


# One job's page and progress: officers, and whoever started it (a head's predictions upload).
rules.add_perm("pep_portal.view_import_job", is_staff_officer | started_the_job)
add_admin_perms("imports", "importjob", view=is_staff_officer, change=is_admin)
