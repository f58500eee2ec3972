"""Named permissions for the schools register."""

import rules

from pep_portal.accounts.roles import (
    add_admin_perms,
    is_head_of,
    is_signed_in,
    is_staff_officer,
    is_trust_user_of,
    sees_whole_partnership,
)

# The register itself (names, types, Ofsted grades) is published information: every signed-in
# user may browse it. Confidential data about a school is named in the apps that hold it.
rules.add_perm("schools.view_school_list", is_signed_in)
rules.add_perm("schools.view_school", is_signed_in)
rules.add_perm("schools.view_trust", is_signed_in)
rules.add_perm("schools.import_register", is_staff_officer)
rules.add_perm(
    "schools.view_school_confidential", sees_whole_partnership | is_head_of | is_trust_user_of
)

for model in ("localauthority", "statisticalneighbour", "trust", "school", "ofstedinspection"):
    add_admin_perms("schools", model, view=is_staff_officer, change=is_staff_officer)

# --- Schools' own data (issue 9): agreements, soft intelligence, workforce ------------------
# The confidentiality rule is written once in schools/intelligence/access.py.
from schools.intelligence.access import may_see_school_confidential  # noqa: E402

rules.add_perm("schools.view_confidential_data", may_see_school_confidential)
rules.add_perm("schools.view_intelligence_overview", is_signed_in)
rules.add_perm("schools.record_school_data", is_staff_officer)
rules.add_perm("schools.import_soft_intelligence", is_staff_officer)
for model in ("datasharingagreement", "softintelligence", "workforce", "softintelligencerag"):
    add_admin_perms("schools", model, view=is_staff_officer, change=is_staff_officer)
