"""The one DRF router for /api/v1/, its OpenAPI schema and the documentation pages.

Endpoints live in each app's ``api.py``; shared behaviour (tokens, named permissions, CSV,
cursor pages, ETags, JSON errors, throttling) in ``pep_portal.api.base`` / ``api_auth``.
"""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import routers
from rest_framework.renderers import JSONRenderer

from actionplan.api import ActionViewSet, MilestoneViewSet, PlanViewSet, PriorityViewSet
from outcomes.api import MeasureViewSet, ResultViewSet
from partnership.api import CategorisationViewSet, DeploymentViewSet
from partnership.school_api import SchoolWithConfidentialViewSet
from schools.api import LocalAuthorityViewSet, TrustViewSet

from .api.auth import NamedPermission
from .api.base import json_not_found


class ApiRootView(routers.APIRootView):
    """PEP Portal API, version 1. Authenticate with `Authorization: Token <your token>`."""

    permission_classes = [NamedPermission]

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class ApiRouter(routers.DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False


router = ApiRouter(trailing_slash="/?")
router.register("local-authorities", LocalAuthorityViewSet, basename="localauthority")
router.register("trusts", TrustViewSet, basename="trust")
router.register("schools", SchoolWithConfidentialViewSet, basename="school")
router.register("measures", MeasureViewSet, basename="measure")
router.register("results", ResultViewSet, basename="result")
router.register("plans", PlanViewSet, basename="plan")
router.register("priorities", PriorityViewSet, basename="priority")
router.register("actions", ActionViewSet, basename="action")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("categorisations", CategorisationViewSet, basename="categorisation")
router.register("deployments", DeploymentViewSet, basename="deployment")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (tokens work here too: the middleware lets DRF decide)."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:  # errors are JSON, like every other endpoint's
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


class RedocView(SpectacularRedocView):
    # The portal's own copy: no web fonts from elsewhere, no inline script (CSP).
    template_name = "pep_portal/api_redoc.html"


urlpatterns = [
    path("v1/schema/", SchemaView.as_view(), name="api_schema"),
    # Pages for people: signed in (a session), sent to sign in otherwise.
    path(
        "v1/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema", title="PEP Portal API")
        ),
        name="api_docs",
    ),
    path(
        "v1/redoc/",
        login_required(RedocView.as_view(url_name="api_schema", title="PEP Portal API")),
        name="api_redoc",
    ),
    path("v1/", include(router.urls)),
    re_path(r"^.*$", json_not_found),
]
