from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts import views as accounts_views
from .api_tokens import views as api_tokens_views
from .imports import views as imports_views
from .nightly import views as nightly_views
from .platform import views as platform_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("users/", accounts_views.user_list, name="user_list"),
    path("users/invite/", accounts_views.user_invite, name="user_invite"),
    path("users/<int:pk>/", accounts_views.user_detail, name="user_detail"),
    path(
        "users/<int:pk>/resend/",
        accounts_views.user_resend_invitation,
        name="user_resend_invitation",
    ),
    path("users/<int:pk>/active/", accounts_views.user_set_active, name="user_set_active"),
    path("audit/", platform_views.audit_log, name="audit_log"),
    path("imports/", imports_views.import_list, name="imports"),
    path("imports/<int:pk>/", imports_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress.json", imports_views.import_progress, name="import_progress"),
    path("schools/", include("schools.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("consultations/", include("consultation.urls")),
    path("partnership/", include("partnership.urls")),
    path("api/", include("pep_portal.api_router")),
    path("admin/", admin.site.urls),
    # The nightly run (pep_portal/nightly/): officers' page, recompute now, progress.
    path("nightly/", nightly_views.run_list, name="nightly_runs"),
    path("nightly/recompute/", nightly_views.recompute, name="nightly_recompute"),
    path("nightly/<int:pk>/", nightly_views.run_detail, name="nightly_run_detail"),
    path("nightly/<int:pk>/progress.json", nightly_views.run_progress, name="nightly_run_progress"),
]

handler400 = "pep_portal.platform.views.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"

# The REST API's pages for people (pep_portal/api_tokens/views.py): personal tokens and the guide.
urlpatterns += [
    path("profile/tokens/", api_tokens_views.api_tokens, name="api_tokens"),
    path(
        "profile/tokens/<str:digest>/revoke/",
        api_tokens_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("api-guide/", api_tokens_views.api_guide, name="api_guide"),
]
