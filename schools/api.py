"""/api/v1/ for the register: local authorities, trusts and schools (published information).

The register is published information (``schools.view_school_list`` / ``view_trust``).
A school's confidential data (``/schools/{urn}/confidential/``) is added to this viewset by
``partnership.school_api``, the app above the ones whose data it shows.
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Count, Prefetch, Q
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from pep_portal.api.base import PortalReadOnlyViewSet, StrictBooleanFilter

from . import selectors
from .models import (
    Category,
    LocalAuthority,
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
        links = StatisticalNeighbour.objects.select_related("neighbour").order_by("position")
        return self.permitted(
            LocalAuthority.objects.prefetch_related(
                Prefetch("neighbour_links", queryset=links)
            ).order_by("code")
        )

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
        return self.permitted(
            Trust.objects.annotate(
                open_schools=Count("schools", filter=Q(schools__status__in=selectors.OPEN_STATUSES))
            ).order_by("id")
        )


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


class SchoolFilter(filters.FilterSet):
    """Validated here; applied by the register's own selector (schools.selectors.school_list)."""

    la = filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), to_field_name="code", help_text="LA code."
    )
    phase = filters.ChoiceFilter(choices=Phase.choices)
    category = filters.ChoiceFilter(choices=Category.choices, help_text="Type of school.")
    trust = filters.ModelChoiceFilter(queryset=Trust.objects.all(), help_text="Trust id.")
    ofsted = filters.ChoiceFilter(
        choices=selectors.OFSTED_CHOICES, help_text="Latest Ofsted judgement."
    )
    status = filters.ChoiceFilter(
        choices=selectors.STATUS_CHOICES,
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
