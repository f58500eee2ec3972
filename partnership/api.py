"""/api/v1/ for schools' confidential partnership data: 3Ms decisions and support deployments.

Scoped exactly as the pages are (``partnership.selectors``): whole-partnership roles see every
school; heads and colleagues their own school's; trust users their trust's schools'. An item
outside the user's scope is 404 (never 403), so another trust's data does not even exist.
"""

from __future__ import annotations

import django_filters as filters
from rest_framework import serializers

from pep_portal.api.base import NumberInFilter, PortalReadOnlyViewSet

from .categorisation import selectors as categorisation_selectors
from .categorisation.models import CategorisationDecision, Concern
from .support import selectors as support_selectors
from .support.models import Deployment, Focus


class CategorisationSerializer(serializers.ModelSerializer):
    urn = serializers.IntegerField(source="school.urn")
    school_name = serializers.CharField(source="school.name")
    trust = serializers.IntegerField(source="school.trust_id", allow_null=True)
    review = serializers.CharField(source="review.name")
    review_date = serializers.DateField(source="review.review_date")

    class Meta:
        model = CategorisationDecision
        fields = [
            "id",
            "urn",
            "school_name",
            "trust",
            "review",
            "review_date",
            "category",
            "suggested_category",
            "rationale",
            "decided_on",
        ]


class CategorisationFilter(filters.FilterSet):
    urn = NumberInFilter(field_name="school__urn", help_text="School URN(s), comma-separated.")
    category = filters.ChoiceFilter(choices=Concern.choices)
    decided_since = filters.DateFilter(field_name="decided_on", lookup_expr="gte")

    class Meta:
        model = CategorisationDecision
        fields = ["category"]


class CategorisationViewSet(PortalReadOnlyViewSet):
    """Categorisation (3Ms) decisions with their rationale, newest history kept."""

    serializer_class = CategorisationSerializer
    filterset_class = CategorisationFilter
    permission_required = ("partnership.view_categorisation_list",)

    def get_queryset(self):
        schools = categorisation_selectors.categorisation_school_list(user=self.request.user)
        return CategorisationDecision.objects.filter(
            school__in=schools.values("pk")
        ).select_related("school", "review")

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if not request.user.has_perm("partnership.view_school_categorisation", obj.school):
            from rest_framework.exceptions import NotFound

            raise NotFound()


class DeploymentSerializer(serializers.ModelSerializer):
    leader = serializers.CharField(source="leader.name")
    home_school_urn = serializers.IntegerField(
        source="home_school.urn", allow_null=True, default=None
    )
    home_trust = serializers.IntegerField(source="home_trust_id", allow_null=True)
    supported_school_urn = serializers.IntegerField(source="supported_school.urn")
    supported_school_name = serializers.CharField(source="supported_school.name")
    days = serializers.FloatField()

    class Meta:
        model = Deployment
        fields = [
            "id",
            "leader",
            "designation",
            "home_school_urn",
            "home_trust",
            "supported_school_urn",
            "supported_school_name",
            "focus",
            "focus_detail",
            "commissioned_by",
            "days",
            "start_date",
            "end_date",
            "status",
            "impact_note",
        ]


class DeploymentFilter(filters.FilterSet):
    urn = NumberInFilter(
        field_name="supported_school__urn", help_text="Supported school URN(s), comma-separated."
    )
    status = filters.ChoiceFilter(choices=Deployment.Status.choices)
    focus = filters.ChoiceFilter(choices=Focus.choices)
    started_since = filters.DateFilter(field_name="start_date", lookup_expr="gte")

    class Meta:
        model = Deployment
        fields = ["status", "focus"]


class DeploymentViewSet(PortalReadOnlyViewSet):
    """Support deployments of system leaders (NLE, LLE, SLE, NLG) to schools."""

    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilter
    permission_required = ("partnership.view_deployment_list",)
    object_permission_required = "partnership.view_deployment"

    def get_queryset(self):
        return support_selectors.deployment_list(user=self.request.user)
