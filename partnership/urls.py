"""URLs for the partnership's pages: governance, support, categorisation and dashboards,
one URL namespace (``partnership:``) for all four subpackages."""

from django.urls import include, path

from .categorisation import views as categorisation_views
from .governance import views as governance_views
from .support import views as support_views

app_name = "partnership"

# One board's pages, under boards/<slug>/.
board_patterns = [
    path("", governance_views.board_detail, name="board_detail"),
    path("members/add/", governance_views.membership_add, name="membership_add"),
    path("members/review/", governance_views.membership_review, name="membership_review"),
    path("meetings/new/", governance_views.meeting_create, name="meeting_create"),
]
# One meeting's pages, under meetings/<pk>/.
meeting_patterns = [
    path("", governance_views.meeting_detail, name="meeting_detail"),
    path("agenda/add/", governance_views.agenda_item_add, name="agenda_item_add"),
    path("papers/add/", governance_views.paper_upload, name="paper_upload"),
    path("papers/publish/", governance_views.papers_publish, name="papers_publish"),
    path("attendance/", governance_views.attendance, name="attendance"),
    path("minutes/", governance_views.minutes_edit, name="minutes_edit"),
    path("minutes/agree/", governance_views.minutes_agree, name="minutes_agree"),
    path("decisions/add/", governance_views.decision_add, name="decision_add"),
    path("actions/add/", governance_views.action_add, name="action_add"),
    path("pack/", governance_views.board_pack_request, name="board_pack_request"),
]

urlpatterns = [
    path("boards/", governance_views.board_list, name="board_list"),
    path("boards/<slug:slug>/", include(board_patterns)),
    path("meetings/<int:pk>/", include(meeting_patterns)),
    path("actions/<int:pk>/", governance_views.action_update, name="action_update"),
    path("papers/<int:pk>/download/", governance_views.paper_download, name="paper_download"),
    path(
        "packs/<int:pk>/download/", governance_views.board_pack_download, name="board_pack_download"
    ),
    path("my-meetings/", governance_views.my_meetings, name="my_meetings"),
    path("calendar/<str:token>.ics", governance_views.calendar_feed, name="calendar_feed"),
    path("support/", support_views.deployment_list, name="deployment_list"),
    path("support/new/", support_views.deployment_create, name="deployment_create"),
    path("support/figures/", support_views.support_figures, name="support_figures"),
    path("support/<int:pk>/", support_views.deployment_detail, name="deployment_detail"),
    path("categorisation/", categorisation_views.categorisation_list, name="categorisation_list"),
    path(
        "categorisation/reviews/new/",
        categorisation_views.categorisation_review_create,
        name="categorisation_review_create",
    ),
    path(
        "categorisation/schools/<int:pk>/",
        categorisation_views.categorisation_school,
        name="categorisation_school",
    ),
    path("letters/", categorisation_views.letter_list, name="letter_list"),
    path("letters/new/", categorisation_views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", categorisation_views.letter_detail, name="letter_detail"),
]

# --- Board dashboards (issue 5): partnership/dashboards/ ---------------------------------
from .dashboards import views as dashboard_views  # noqa: E402

urlpatterns += [
    path("dashboards/", dashboard_views.overview, name="overview"),
    path("dashboards/headlines/", dashboard_views.headlines, name="headlines"),
    path("dashboards/key-stages/<slug:slug>/", dashboard_views.key_stage, name="key_stage"),
    path("dashboards/schools/", dashboard_views.schools_grid, name="schools_grid"),
    path(
        "dashboards/schools/export.<str:fmt>",
        dashboard_views.schools_grid_export,
        name="schools_grid_export",
    ),
    path("dashboards/schools/compare/", dashboard_views.schools_compare, name="schools_compare"),
    path("dashboards/schools/<int:urn>/", dashboard_views.school_page, name="school_page"),
    path("dashboards/trusts/<int:pk>/", dashboard_views.trust_page, name="trust_page"),
    path(
        "dashboards/trusts/<int:pk>/export.<str:fmt>",
        dashboard_views.trust_export,
        name="trust_export",
    ),
]
