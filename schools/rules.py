"""Named permissions for the schools register."""

import rules

from pep_portal.accounts.roles import (
    add_admin_perms,
    is_signed_in,
    is_staff_officer,
)

# The register itself (names, types, Ofsted grades) is published information: every signed-in
# user may browse it. Confidential data about a school is named in the apps that hold it.
rules.add_perm("schools.view_school_list", is_signed_in)
rules.add_perm("schools.view_school", is_signed_in)
rules.add_perm("schools.view_trust", is_signed_in)
rules.add_perm("schools.import_register", is_staff_officer)

for model in ("localauthority", "statisticalneighbour", "trust", "school", "ofstedinspection"):
    add_admin_perms("schools", model, view=is_staff_officer, change=is_staff_officer)

# --- Schools' own data (issue 9): agreements, soft intelligence, workforce ------------------
# Confidential data kind "school intelligence" (soft intelligence and workforce): seen under
# the data sharing agreement rule, written once in schools/intelligence/access.py. Pages,
# exports and the API (/schools/{urn}/confidential/) all check this one permission.
from schools.intelligence.access import may_see_school_confidential  # noqa: E402

may_see_school_intelligence = may_see_school_confidential
rules.add_perm("schools.view_school_intelligence", may_see_school_intelligence)
rules.add_perm("schools.view_intelligence_overview", is_signed_in)
rules.add_perm("schools.record_school_data", is_staff_officer)
rules.add_perm("schools.import_soft_intelligence", is_staff_officer)
for model in ("datasharingagreement", "softintelligence", "workforce", "softintelligencerag"):
    add_admin_perms("schools", model, view=is_staff_officer, change=is_staff_officer)
