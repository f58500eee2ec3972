"""Named permissions for outcomes.

Published results (school, LA and national performance tables, EES, LAIT) are public data:
every signed-in role may see them. Importing and editing the catalogue is for officers and
administrators.
"""

import rules

from pep_portal.accounts.roles import add_admin_perms, is_signed_in, is_staff_officer

rules.add_perm("outcomes.view_la_outcomes", is_signed_in)
rules.add_perm("outcomes.view_school_outcomes", is_signed_in)
rules.add_perm("outcomes.import_results", is_staff_officer)

for model in ("measure", "result", "resultrevision", "target", "indicatormapping"):
    add_admin_perms("outcomes", model, view=is_staff_officer, change=is_staff_officer)

# --- In-year data collections and predictions (issue 9) -------------------------------------
from pep_portal.accounts.roles import is_head_of  # noqa: E402
from schools.intelligence.access import may_see_school_confidential  # noqa: E402

rules.add_perm("outcomes.view_collections", is_signed_in)
rules.add_perm("outcomes.manage_collections", is_staff_officer)
rules.add_perm("outcomes.chase_submissions", is_staff_officer)
rules.add_perm("outcomes.submit_predictions", is_head_of | is_staff_officer)
# Confidential data kind "predictions": the data sharing agreement rule (one predicate, in
# schools/intelligence/access.py), checked by the pages, the overview's named rows and the API.
may_see_school_predictions = may_see_school_confidential
rules.add_perm("outcomes.view_school_predictions", may_see_school_predictions)
rules.add_perm("outcomes.view_predictions_overview", is_signed_in)
for model in (
    "datacollection",
    "predictionsubmission",
    "prediction",
    "predictionsignal",
):
    add_admin_perms("outcomes", model, view=is_staff_officer, change=is_staff_officer)
