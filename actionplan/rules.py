"""Named permissions for the action plan.

The plan is partnership business that every signed-in role may read (board members hold
officers to account with it; heads and trusts see what the partnership is doing). Only
officers, admins and the milestone's lead (a user holding its lead role) record updates.
"""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_signed_in, is_staff_officer


@rules.predicate
def is_milestone_lead(user, milestone) -> bool:
    """The user holds the milestone's lead role (or, without one, one of its action's)."""
    if milestone is None or not (user and user.is_authenticated):
        return False
    from .selectors import milestone_lead_user_ids

    return user.pk in milestone_lead_user_ids(milestone=milestone)


rules.add_perm("actionplan.view_plan", is_signed_in)
rules.add_perm("actionplan.view_evidence", is_signed_in)
rules.add_perm("actionplan.export_plan", is_signed_in)
rules.add_perm("actionplan.update_milestone", is_staff_officer | is_milestone_lead)
rules.add_perm("actionplan.import_plan", is_staff_officer)

for model in ("plan", "priority", "action", "milestone", "leadrole", "successmeasure"):
    add_admin_perms("actionplan", model, view=is_staff_officer, change=is_staff_officer)
# Updates are a record: nobody changes them in the admin.
add_admin_perms("actionplan", "milestoneupdate", view=is_staff_officer, change=rules.always_deny)
