"""URLs for governance, support and categorisation. The dashboards add theirs (partnership:
overview and friends) from views_dashboards / dashboards/ without touching these."""

from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    path("boards/", views.board_list, name="board_list"),
    path("boards/<slug:slug>/", views.board_detail, name="board_detail"),
    path("boards/<slug:slug>/members/add/", views.membership_add, name="membership_add"),
    path("boards/<slug:slug>/members/review/", views.membership_review, name="membership_review"),
    path("boards/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/papers/add/", views.paper_upload, name="paper_upload"),
    path("meetings/<int:pk>/papers/publish/", views.papers_publish, name="papers_publish"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/agree/", views.minutes_agree, name="minutes_agree"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/pack/", views.board_pack_request, name="board_pack_request"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("papers/<int:pk>/download/", views.paper_download, name="paper_download"),
    path("packs/<int:pk>/download/", views.board_pack_download, name="board_pack_download"),
    path("my-meetings/", views.my_meetings, name="my_meetings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("support/", views.deployment_list, name="deployment_list"),
    path("support/new/", views.deployment_create, name="deployment_create"),
    path("support/figures/", views.support_figures, name="support_figures"),
    path("support/<int:pk>/", views.deployment_detail, name="deployment_detail"),
    path("categorisation/", views.categorisation_list, name="categorisation_list"),
    path(
        "categorisation/reviews/new/",
        views.categorisation_review_create,
        name="categorisation_review_create",
    ),
    path(
        "categorisation/schools/<int:pk>/",
        views.categorisation_school,
        name="categorisation_school",
    ),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
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
