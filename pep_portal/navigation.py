"""The main navigation: one entry per section, shown only to users with its named permission.

Each entry is (label, url name, permission). Sections whose URL is not installed yet are
left out, so later apps appear by adding their URL names here.
"""

from django.urls import NoReverseMatch, reverse

NAV = [
    ("Home", "home", "pep_portal.view_home"),
    ("Dashboards", "partnership:overview", "partnership.view_dashboards"),
    ("Outcomes", "outcomes:la_outcomes", "outcomes.view_la_outcomes"),
    ("Schools", "schools:school_list", "schools.view_school_list"),
    ("Predictions", "outcomes:predictions_overview", "outcomes.view_predictions_overview"),
    ("School intelligence", "schools:intelligence_overview", "schools.view_intelligence_overview"),
    ("Action plan", "actionplan:plan", "actionplan.view_plan"),
    ("Consultations", "consultation:list", "consultation.view_consultation_list"),
    ("Boards", "partnership:board_list", "partnership.view_board_list"),
    ("Support", "partnership:deployment_list", "partnership.view_deployment_list"),
    ("Categorisation", "partnership:categorisation_list", "partnership.view_categorisation_list"),
    ("Letters", "partnership:letter_list", "partnership.manage_letters"),
    ("Nightly run", "nightly_runs", "pep_portal.view_nightly_runs"),
    ("API", "api_guide", "api_tokens.use_api"),
    ("Imports", "imports", "pep_portal.view_import_jobs"),
    ("Users", "user_list", "pep_portal.view_users"),
    ("Audit log", "audit_log", "pep_portal.view_audit_log"),
]


def nav_for(user, path: str) -> list[dict]:
    items = []
    for label, url_name, perm in NAV:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        if user.has_perm(perm):
            current = path == url if url == "/" else path.startswith(url)
            items.append({"label": label, "url": url, "current": current})
    return items
