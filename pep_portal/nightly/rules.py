"""The nightly run's named permissions: officers see runs and may start one; the schedule
(django-celery-beat) is edited by officers in the admin."""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_admin, is_staff_officer

rules.add_perm("pep_portal.view_nightly_runs", is_staff_officer)
rules.add_perm("pep_portal.run_nightly", is_staff_officer)
add_admin_perms("nightly", "nightlyrun", view=is_staff_officer, change=is_admin)
for _model in ("periodictask", "crontabschedule", "intervalschedule", "clockedschedule"):
    add_admin_perms("django_celery_beat", _model, view=is_staff_officer, change=is_staff_officer)
add_admin_perms("django_celery_beat", "solarschedule", view=is_staff_officer, change=is_admin)
