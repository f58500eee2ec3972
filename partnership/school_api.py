"""/api/v1/schools/{urn}/confidential/: a school's confidential data, each part under its permission.

The register (``schools.api.SchoolViewSet``) is published information; this endpoint adds to
it what the partnership knows of the school, so it lives here, at the top of the apps it reads
(categorisation: ``partnership.view_school_categorisation``; nightly RAG and 3Ms suggestion:
``partnership.view_school_page``; soft intelligence: ``schools.view_school_intelligence``;
predictions: ``outcomes.view_school_predictions``, the last two needing the school's data
sharing agreement); a part the user may not see is null. It answers 404 to a user who may
see none of them, so a URN of another trust's school reveals nothing.
``pep_portal.api_router`` registers this viewset for ``schools``.
"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from outcomes.models import SchoolSummary
from outcomes.predictions.selectors import school_predictions
from pep_portal.api.base import make_etag, not_modified
from pep_portal.nightly.models import CurrentSnapshot
from schools.api import SchoolViewSet
from schools.intelligence.selectors import school_intelligence
from schools.models import School

from .categorisation.models import CategorisationDecision
from .support.selectors import deployment_list


class ConfidentialCategorisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    review = serializers.CharField(source="review.name")
    category = serializers.CharField()
    rationale = serializers.CharField()
    decided_on = serializers.DateField()
    suggested_category = serializers.CharField()


class ConfidentialDeploymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    leader = serializers.CharField(source="leader.name")
    designation = serializers.CharField()
    role = serializers.CharField(help_text="supported (the school received it) or home.")
    focus = serializers.CharField()
    days = serializers.FloatField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class NightlySummarySerializer(serializers.Serializer):
    run = serializers.IntegerField()
    run_date = serializers.DateTimeField(allow_null=True)
    rag = serializers.CharField()
    rag_reason = serializers.CharField()
    concern_suggestion = serializers.CharField(help_text="The nightly 3Ms suggestion.")
    concern_reasons = serializers.ListField(child=serializers.CharField())


class SoftIntelligenceTermSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField()
    term = serializers.CharField()
    rag = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class PredictionSerializer(serializers.Serializer):
    collection = serializers.CharField()
    measure = serializers.CharField()
    group = serializers.CharField()
    predicted = serializers.CharField()


# Each kind of confidential data and the one permission that guards it, pages and API alike.
CONFIDENTIAL_PARTS = {
    "categorisations": "partnership.view_school_categorisation",
    "nightly": "partnership.view_school_page",
    "soft_intelligence": "schools.view_school_intelligence",
    "predictions": "outcomes.view_school_predictions",
}


class SchoolConfidentialSerializer(serializers.Serializer):
    urn = serializers.IntegerField()
    name = serializers.CharField()
    categorisations = ConfidentialCategorisationSerializer(many=True, allow_null=True)
    deployments = ConfidentialDeploymentSerializer(many=True)
    nightly = NightlySummarySerializer(allow_null=True)
    soft_intelligence = SoftIntelligenceTermSerializer(many=True, allow_null=True)
    predictions = PredictionSerializer(many=True, allow_null=True)


# The register's viewset plus the confidential action; its docstring (the schema's
# description of /schools/) stays the register's.
class SchoolWithConfidentialViewSet(SchoolViewSet):
    """The register of schools, each with its latest Ofsted judgement."""

    @extend_schema(
        responses=SchoolConfidentialSerializer,
        summary="A school's confidential data (3Ms decisions, support, nightly concern)",
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def confidential(self, request, urn=None):
        """For whole-partnership roles, the school's head and colleagues and its trust's users.

        Anyone else gets 404, whether or not the URN exists.
        """
        try:
            school = School.objects.select_related("trust", "la").get(urn=int(urn))
        except (School.DoesNotExist, ValueError):
            raise NotFound()
        if not any(request.user.has_perm(perm, school) for perm in CONFIDENTIAL_PARTS.values()):
            raise NotFound()
        data = school_confidential(user=request.user, school=school)
        etag = make_etag(request.get_full_path(), request.user.pk, data)
        if not_modified(request, etag, None):
            return Response(status=304, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


def school_confidential(*, user, school: School) -> dict:
    """What the school's confidential endpoint shows: each part under its own permission."""
    allowed = {part: user.has_perm(perm, school) for part, perm in CONFIDENTIAL_PARTS.items()}
    categorisations = None
    if allowed["categorisations"]:
        categorisations = list(
            CategorisationDecision.objects.filter(school=school)
            .select_related("review")
            .order_by("-decided_on", "-pk")
        )
    deployments = list(
        deployment_list(user=user)
        .filter(Q(supported_school=school) | Q(home_school=school))
        .order_by("-start_date", "pk")
    )
    for deployment in deployments:
        deployment.role = "supported" if deployment.supported_school_id == school.pk else "home"
    nightly = None
    pointer = CurrentSnapshot.objects.select_related("run").filter(singleton=1).first()
    if allowed["nightly"] and pointer and pointer.run_id:
        summary = SchoolSummary.objects.filter(run_id=pointer.run_id, school=school).first()
        if summary is not None:
            nightly = {
                "run": pointer.run_id,
                "run_date": pointer.run.finished_at,
                "rag": summary.rag,
                "rag_reason": summary.rag_reason,
                "concern_suggestion": summary.concern,
                "concern_reasons": [str(r) for r in summary.concern_reasons or []],
            }
    soft = None
    intelligence = (
        school_intelligence(school=school, user=user) if allowed["soft_intelligence"] else None
    )
    if intelligence is not None:
        soft = [
            {
                "academic_year": row.record.academic_year,
                "term": row.record.term,
                "rag": row.rag.rag,
                "reasons": list(row.rag.reasons),
            }
            for row in intelligence.soft
        ]
    predictions = None
    found = school_predictions(school=school, user=user) if allowed["predictions"] else None
    if found is not None:
        predictions = [
            {
                "collection": str(found.collection),
                "measure": row.measure_name,
                "group": row.group_label,
                "predicted": row.predicted_text,
            }
            for row in found.rows
        ]
    return SchoolConfidentialSerializer(
        {
            "urn": school.urn,
            "name": school.name,
            "categorisations": categorisations,
            "deployments": deployments,
            "nightly": nightly,
            "soft_intelligence": soft,
            "predictions": predictions,
        }
    ).data
