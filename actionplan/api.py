"""/api/v1/ for the action plan: plans (each as one nested document), priorities, actions and
milestones with their current RAG and latest update. All need ``actionplan.view_plan``.
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from pep_portal.api.base import (
    IdChoiceFilter,
    PortalReadOnlyViewSet,
    StrictBooleanFilter,
    make_etag,
    not_modified,
)
from pep_portal.platform.rag import PROGRESS_RAG_CHOICES

from . import selectors
from .models import Action, Milestone, MilestoneUpdate, Plan, Priority

PERM = "actionplan.view_plan"


# --- The plan as one document (actionplan.selectors.plan_feed) -------------------------------


class FeedMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead = serializers.ListField(child=serializers.CharField())
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    progress = serializers.IntegerField()
    computed_rag = serializers.CharField(allow_null=True)
    rag_override = serializers.CharField(allow_null=True)
    override_reason = serializers.CharField(allow_blank=True)
    rag = serializers.CharField(allow_null=True)
    overdue = serializers.BooleanField()
    completed_on = serializers.DateField(allow_null=True)
    last_updated_at = serializers.DateTimeField(allow_null=True)


class FeedActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    description = serializers.CharField()
    who = serializers.CharField(allow_blank=True)
    leads = serializers.ListField(child=serializers.CharField())
    when = serializers.CharField(allow_blank=True)
    due_date = serializers.DateField(allow_null=True)
    rag = serializers.CharField(allow_null=True)
    milestones = FeedMilestoneSerializer(many=True)


class FeedPrioritySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    ofsted_areas = serializers.CharField(allow_blank=True)
    success_looks_like = serializers.ListField(child=serializers.CharField())
    rag = serializers.CharField(allow_null=True)
    rag_counts = serializers.DictField(child=serializers.IntegerField())
    actions = FeedActionSerializer(many=True)


class FeedRagDefinitionSerializer(serializers.Serializer):
    rag = serializers.CharField()
    label = serializers.CharField()
    definition = serializers.CharField()


class FeedSuccessMeasureSerializer(serializers.Serializer):
    area = serializers.CharField()
    description = serializers.CharField()
    measure = serializers.CharField(allow_null=True)
    pupil_group = serializers.CharField()
    target = serializers.CharField(allow_blank=True)
    target_date = serializers.DateField(allow_null=True)
    figure = serializers.FloatField(allow_null=True)
    figure_year = serializers.IntegerField(allow_null=True)
    national = serializers.FloatField(allow_null=True)


class PlanFeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    period = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    is_current = serializers.BooleanField()
    amber_window_days = serializers.IntegerField()
    rag_counts = serializers.DictField(child=serializers.IntegerField())
    rag_definitions = FeedRagDefinitionSerializer(many=True)
    priorities = FeedPrioritySerializer(many=True)
    success_measures = FeedSuccessMeasureSerializer(many=True)


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "title", "period", "published_on", "is_current", "amber_window_days"]


class PlanViewSet(PortalReadOnlyViewSet):
    """Plans; ``/plans/{id}/`` and ``/plans/current/`` give the whole plan as one document."""

    serializer_class = PlanSerializer
    permission_required = (PERM,)

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def _feed_response(self, request, plan):
        data = selectors.plan_feed(user=request.user, plan=plan)
        if data is None:
            raise NotFound()
        etag = make_etag(request.get_full_path(), request.user.pk, data)
        if not_modified(request, etag, None):
            return Response(status=304, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    @extend_schema(responses=PlanFeedSerializer, summary="A plan as one document")
    def retrieve(self, request, *args, **kwargs):
        return self._feed_response(request, self.get_object())

    @extend_schema(responses=PlanFeedSerializer, summary="The current plan as one document")
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def current(self, request):
        plan = selectors.plan_current(user=request.user)
        if plan is None:
            raise NotFound("There is no plan yet.")
        return self._feed_response(request, plan)


# --- Flat lists (one row each: what a CSV needs) ------------------------------------------------


class PlanScopedFilter(filters.FilterSet):
    plan = IdChoiceFilter(queryset=Plan.objects.all(), method="filter_plan", help_text="Plan id.")

    plan_path = "plan"

    def filter_plan(self, queryset, name, value):
        return queryset.filter(**{self.plan_path: value})


class PrioritySerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id")
    success_looks_like = serializers.ListField(
        source="success_statements", child=serializers.CharField()
    )

    class Meta:
        model = Priority
        fields = ["id", "plan", "number", "title", "ofsted_areas", "success_looks_like", "rag"]


class PriorityFilter(PlanScopedFilter):
    rag = filters.ChoiceFilter(choices=PROGRESS_RAG_CHOICES)

    class Meta:
        model = Priority
        fields = ["rag"]


class PriorityViewSet(PortalReadOnlyViewSet):
    """The plans' priorities with their rolled-up RAG."""

    serializer_class = PrioritySerializer
    filterset_class = PriorityFilter
    permission_required = (PERM,)

    def get_queryset(self):
        return Priority.objects.filter(plan__in=selectors.plan_list(user=self.request.user))


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="priority.plan_id")
    priority = serializers.IntegerField(source="priority.number")
    leads = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "priority",
            "number",
            "description",
            "who",
            "leads",
            "when",
            "due_date",
            "rag",
        ]


class ActionFilter(PlanScopedFilter):
    plan_path = "priority__plan"
    priority = filters.NumberFilter(field_name="priority__number", help_text="Priority number.")
    rag = filters.ChoiceFilter(choices=PROGRESS_RAG_CHOICES)

    class Meta:
        model = Action
        fields = ["rag"]


class ActionViewSet(PortalReadOnlyViewSet):
    """Numbered actions (1.1, 1.2 ...) with who, when and their rolled-up RAG."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    permission_required = (PERM,)

    def get_queryset(self):
        return (
            Action.objects.filter(priority__plan__in=selectors.plan_list(user=self.request.user))
            .select_related("priority")
            .prefetch_related("leads")
        )


class LatestUpdateSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    note = serializers.CharField()
    evidence_url = serializers.CharField(allow_blank=True)


class MilestoneSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="action.priority.plan_id")
    priority = serializers.IntegerField(source="action.priority.number")
    action = serializers.CharField(source="action.number")
    lead = serializers.SerializerMethodField()
    rag = serializers.CharField(help_text="Shown RAG: the override where there is one.")
    latest_update = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "plan",
            "priority",
            "action",
            "order",
            "title",
            "lead",
            "due_date",
            "status",
            "progress",
            "rag",
            "computed_rag",
            "rag_override",
            "override_reason",
            "completed_on",
            "last_updated_at",
            "latest_update",
        ]

    def get_lead(self, milestone) -> list[str]:
        return [role.code for role in selectors.milestone_lead_roles(milestone)]

    @extend_schema(responses=LatestUpdateSerializer(allow_null=True))
    def get_latest_update(self, milestone) -> dict | None:
        if milestone.latest_at is None:
            return None
        return LatestUpdateSerializer(
            {
                "at": milestone.latest_at,
                "status": milestone.latest_status,
                "progress": milestone.latest_progress,
                "note": milestone.latest_note,
                "evidence_url": milestone.latest_evidence_url or "",
            }
        ).data


class MilestoneFilter(PlanScopedFilter):
    plan_path = "action__priority__plan"
    priority = filters.NumberFilter(field_name="action__priority__number")
    action = filters.CharFilter(field_name="action__number", help_text="Action number, e.g. 1.2.")
    rag = filters.ChoiceFilter(choices=PROGRESS_RAG_CHOICES, method="filter_rag")
    lead = filters.CharFilter(method="filter_lead", help_text="Lead role code, e.g. HSI.")
    overdue = StrictBooleanFilter(method="filter_overdue")

    class Meta:
        model = Milestone
        fields: list[str] = []

    def _selected(self, **kwargs):
        return selectors.milestone_list(user=self.request.user, **kwargs).values("pk")

    def filter_rag(self, queryset, name, value):
        return queryset.filter(pk__in=self._selected(rag=value))

    def filter_lead(self, queryset, name, value):
        return queryset.filter(pk__in=self._selected(lead=value))

    def filter_overdue(self, queryset, name, value):
        overdue = self._selected(overdue=True)
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class MilestoneViewSet(PortalReadOnlyViewSet):
    """Milestones with their current RAG and latest progress update."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    permission_required = (PERM,)

    def get_queryset(self):
        latest = MilestoneUpdate.objects.filter(milestone=OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return selectors.milestone_list(user=self.request.user).annotate(
            latest_at=Subquery(latest.values("created_at")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_progress=Subquery(latest.values("progress")[:1]),
            latest_note=Subquery(latest.values("note")[:1]),
            latest_evidence_url=Subquery(latest.values("evidence_url")[:1]),
        )
