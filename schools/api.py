"""/api/v1/ for the register: local authorities, trusts, schools, and a school's confidential data.

The register is published information (``schools.view_school_list`` / ``view_trust``);
``/schools/{urn}/confidential/`` gives each kind of confidential data under the same named
permission the pages check (categorisation: ``partnership.view_school_categorisation``;
nightly RAG and 3Ms suggestion: ``partnership.view_school_page``; soft intelligence:
``schools.view_school_intelligence``; predictions: ``outcomes.view_school_predictions``, the
last two needing the school's data sharing agreement); a part the user may not see is null.
It answers 404 to a user who may see none of them, so a URN of another trust's school
reveals nothing.
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from pep_portal.api.base import PortalReadOnlyViewSet, StrictBooleanFilter, make_etag, not_modified

from . import selectors
from .models import (
    Category,
    LocalAuthority,
    OfstedGrade,
    Phase,
    School,
    StatisticalNeighbour,
    Trust,
)

# --- Local authorities -----------------------------------------------------------------------


class NeighbourSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    code = serializers.IntegerField(source="neighbour.code")
    name = serializers.CharField(source="neighbour.name")
    closeness = serializers.CharField()


class LocalAuthoritySerializer(serializers.ModelSerializer):
    statistical_neighbours = NeighbourSerializer(source="neighbour_links", many=True)

    class Meta:
        model = LocalAuthority
        fields = ["code", "gss_code", "name", "region", "in_partnership", "statistical_neighbours"]


class LocalAuthorityFilter(filters.FilterSet):
    in_partnership = StrictBooleanFilter(help_text="Only the partnership's own LA(s).")
    region = filters.CharFilter(lookup_expr="iexact")
    search = filters.CharFilter(method="filter_search", help_text="Part of the name, or a code.")

    class Meta:
        model = LocalAuthority
        fields = ["in_partnership", "region"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        match = Q(name__icontains=value) | Q(gss_code__iexact=value)
        if value.isdigit():
            match |= Q(code=int(value))
        return queryset.filter(match)


class LocalAuthorityViewSet(PortalReadOnlyViewSet):
    """Local authorities with their statistical neighbours (closest first)."""

    serializer_class = LocalAuthoritySerializer
    filterset_class = LocalAuthorityFilter
    permission_required = ("schools.view_school_list",)
    lookup_field = "code"
    lookup_value_regex = r"\d{1,4}"

    def get_queryset(self):
        if not self.request.user.has_perm("schools.view_school_list"):
            return LocalAuthority.objects.none()
        links = StatisticalNeighbour.objects.select_related("neighbour").order_by("position")
        return LocalAuthority.objects.prefetch_related(
            Prefetch("neighbour_links", queryset=links)
        ).order_by("code")

    cursor_ordering = "code"


# --- Trusts ----------------------------------------------------------------------------------


class TrustSerializer(serializers.ModelSerializer):
    open_schools = serializers.IntegerField(read_only=True)

    class Meta:
        model = Trust
        fields = ["id", "uid", "name", "trust_type", "companies_house_number", "open_schools"]


class TrustFilter(filters.FilterSet):
    trust_type = filters.ChoiceFilter(choices=Trust.TrustType.choices)
    search = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Trust
        fields = ["trust_type"]


class TrustViewSet(PortalReadOnlyViewSet):
    """Trusts (multi-academy trusts and others) with how many open schools each has."""

    serializer_class = TrustSerializer
    filterset_class = TrustFilter
    permission_required = ("schools.view_trust",)

    def get_queryset(self):
        if not self.request.user.has_perm("schools.view_trust"):
            return Trust.objects.none()
        return Trust.objects.annotate(
            open_schools=Count("schools", filter=Q(schools__status__in=selectors.OPEN_STATUSES))
        ).order_by("id")


# --- Schools ---------------------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer):
    la = serializers.IntegerField(source="la.code", help_text="LA code, e.g. 851.")
    la_name = serializers.CharField(source="la.name")
    trust = serializers.IntegerField(source="trust_id", allow_null=True)
    trust_name = serializers.CharField(source="trust.name", allow_null=True, default=None)
    ofsted_grade = serializers.IntegerField(
        source="latest_ofsted_grade",
        allow_null=True,
        help_text="Latest overall effectiveness (1 Outstanding .. 4 Inadequate); null when the "
        "latest inspection has no overall grade or there is none.",
    )
    ofsted_date = serializers.DateField(source="latest_ofsted_date", allow_null=True)
    ofsted_framework = serializers.CharField(source="latest_ofsted_framework", allow_null=True)
    percent_fsm = serializers.FloatField(allow_null=True)
    percent_sen = serializers.FloatField(allow_null=True)
    percent_eal = serializers.FloatField(allow_null=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "laestab",
            "name",
            "la",
            "la_name",
            "phase",
            "category",
            "establishment_type",
            "trust",
            "trust_name",
            "status",
            "open_date",
            "close_date",
            "statutory_low_age",
            "statutory_high_age",
            "pupils_on_roll",
            "percent_fsm",
            "percent_sen",
            "percent_eal",
            "postcode",
            "ofsted_grade",
            "ofsted_date",
            "ofsted_framework",
            "updated_at",
        ]


OFSTED_CHOICES = [(str(g.value), g.label) for g in OfstedGrade] + [
    (selectors.OFSTED_GOOD_OR_BETTER, "Good or better"),
    (selectors.OFSTED_NO_OVERALL_GRADE, "Latest inspection has no overall grade"),
    (selectors.OFSTED_NOT_INSPECTED, "Not inspected"),
]
STATUS_CHOICES = [
    (selectors.STATUS_OPEN, "Open (incl. proposed to close)"),
    (selectors.STATUS_CLOSED, "Closed"),
    (selectors.STATUS_ALL, "All"),
]


class SchoolFilter(filters.FilterSet):
    """Validated here; applied by the register's own selector (schools.selectors.school_list)."""

    la = filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), to_field_name="code", help_text="LA code."
    )
    phase = filters.ChoiceFilter(choices=Phase.choices)
    category = filters.ChoiceFilter(choices=Category.choices, help_text="Type of school.")
    trust = filters.ModelChoiceFilter(queryset=Trust.objects.all(), help_text="Trust id.")
    ofsted = filters.ChoiceFilter(choices=OFSTED_CHOICES, help_text="Latest Ofsted judgement.")
    status = filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        help_text="Default: open (incl. proposed to close); closed or all for history.",
    )
    search = filters.CharFilter(help_text="Part of the name, or a URN / LAESTAB.")

    class Meta:
        model = School
        fields: list[str] = []

    def _listing(self) -> bool:
        view = (self.request.parser_context or {}).get("view") if self.request else None
        return getattr(view, "action", "list") == "list"

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.school_list(
            user=self.request.user,
            la=data["la"].code if data.get("la") else None,
            phase=data.get("phase") or None,
            category=data.get("category") or None,
            trust=data["trust"].pk if data.get("trust") else None,
            ofsted=data.get("ofsted") or None,
            # A list shows open schools unless asked; one school's own URL answers whatever
            # its status (closed schools stay reachable as history).
            status=data.get("status")
            or (selectors.STATUS_OPEN if self._listing() else selectors.STATUS_ALL),
            q=data.get("search") or None,
        )


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


class SchoolViewSet(PortalReadOnlyViewSet):
    """The register of schools, each with its latest Ofsted judgement."""

    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter
    permission_required = ("schools.view_school_list",)
    lookup_field = "urn"
    lookup_value_regex = r"\d{1,9}"

    def get_queryset(self):
        return selectors.school_list(user=self.request.user, status=selectors.STATUS_ALL)

    cursor_ordering = "urn"

    def version_of(self, rows):
        return [(s.urn, s.updated_at, s.latest_ofsted_date) for s in rows]

    def last_modified_of(self, rows):
        return max((s.updated_at for s in rows), default=None)

    def get_object(self):
        try:
            urn = int(self.kwargs["urn"])
        except (KeyError, ValueError):
            raise NotFound()
        school = (
            selectors.school_list(user=self.request.user, status=selectors.STATUS_ALL)
            .filter(urn=urn)
            .first()
        )
        if school is None:
            raise NotFound()
        self.check_object_permissions(self.request, school)
        return school

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
    from outcomes.predictions.selectors import school_predictions
    from partnership.models import CategorisationDecision
    from partnership.support.selectors import deployment_list
    from pep_portal.accounts.models import CurrentSnapshot, SchoolSummary

    from .intelligence.selectors import school_intelligence

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
