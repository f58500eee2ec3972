"""/api/v1/ for outcomes: the measure catalogue and results with the nightly figures.

Each result carries the nightly run's figures for it (``nightly``: gap, rank of N, quartile,
significance, RAG ...), read from the PUBLISHED snapshot (``CurrentSnapshot``), never
computed on request; the response names the snapshot's run and date. LA results take the
LA figure for the same measure, year and group; school results the school's figure when the
snapshot's year is the result's year; national and region results have none.

Rows are built from ``values()`` rather than serializer instances, and a page of results is
ONE query: the page's own SQL (filters, cursor, slice) with the published run's figures LEFT
JOINed onto it (``pep_portal.api.rows``), so Python only turns each row into the documented
shape (the serializers below describe the schema; the tests check the rows against them and,
byte for byte, against the rows and figures read one at a time).
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import F, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from pep_portal.api.base import (
    ApiCursorPagination,
    CommaListWidget,
    IdChoiceFilter,
    NumberInFilter,
    PortalListViewSet,
    PortalReadOnlyViewSet,
    StaticFormFilterSet,
    StrictBooleanFilter,
)
from pep_portal.api.rows import JoinedValuesQuerySet, LeftJoin, with_left_joins
from pep_portal.nightly.models import CurrentSnapshot
from schools.models import LocalAuthority, Trust

from .calculations import rag
from .models import (
    MEASURE_DISPLAY_FIELDS,
    RESULT_READING_FIELDS,
    AreaType,
    IndicatorFigure,
    KeyStage,
    Measure,
    Polarity,
    PupilGroup,
    Result,
    ResultStatus,
    SchoolFigure,
    Unit,
)
from .snapshot.models import LA_STANDING_FIELDS

# --- Measures --------------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "short_name",
            "key_stage",
            *MEASURE_DISPLAY_FIELDS,
            "description",
            "is_headline",
            "is_active",
            "rag_tolerance",
        ]


class MeasureFilter(filters.FilterSet):
    key_stage = filters.ChoiceFilter(choices=KeyStage.choices)
    unit = filters.ChoiceFilter(choices=Unit.choices)
    is_headline = StrictBooleanFilter()
    is_active = StrictBooleanFilter()

    class Meta:
        model = Measure
        fields = ["key_stage", "unit", "is_headline", "is_active"]


class MeasureViewSet(PortalReadOnlyViewSet):
    """The measure catalogue (code, key stage, unit, polarity, display precision ...)."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    permission_required = ("outcomes.view_la_outcomes",)
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return self.permitted(Measure.objects.all())


# --- Results ---------------------------------------------------------------------------------


class NightlyFiguresSerializer(serializers.Serializer):
    run = serializers.IntegerField(help_text="The published nightly run the figures come from.")
    run_date = serializers.DateTimeField(allow_null=True, help_text="When that run finished.")
    national = serializers.FloatField(allow_null=True)
    la_value = serializers.FloatField(allow_null=True, help_text="School results: the LA's value.")
    gap = serializers.FloatField(allow_null=True, help_text="Value minus national, unrounded.")
    gap_la = serializers.FloatField(allow_null=True, help_text="School results: minus the LA.")
    rank = serializers.IntegerField(allow_null=True, help_text="LA results: 1 = best.")
    rank_of = serializers.IntegerField(allow_null=True, help_text="N: LAs with a value.")
    rank_joint = serializers.BooleanField(allow_null=True)
    quartile = serializers.CharField(allow_null=True, help_text="A (best) to D.")
    significance = serializers.CharField(allow_null=True)
    progress_band = serializers.CharField(allow_null=True)
    trend = serializers.CharField(allow_null=True)
    rag = serializers.CharField(allow_null=True)
    rag_reason = serializers.CharField(allow_null=True)


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measure = serializers.CharField(help_text="Measure code.")
    area_type = serializers.ChoiceField(choices=AreaType.choices)
    urn = serializers.IntegerField(allow_null=True, help_text="School results.")
    school_name = serializers.CharField(allow_null=True)
    la = serializers.IntegerField(
        allow_null=True, help_text="LA code: the LA's own, or the school's LA."
    )
    region = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(help_text="The year the academic year ends: 2016 = 2015/16.")
    group = serializers.ChoiceField(choices=PupilGroup.choices)
    value = serializers.FloatField(allow_null=True, help_text="Unrounded; null when suppressed.")
    suppression = serializers.CharField(allow_blank=True, help_text="Why there is no value.")
    cohort = serializers.IntegerField(allow_null=True)
    ci_lower = serializers.FloatField(allow_null=True)
    ci_upper = serializers.FloatField(allow_null=True)
    published_band = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=ResultStatus.choices)
    updated_at = serializers.DateTimeField()
    nightly = NightlyFiguresSerializer(allow_null=True)


class SnapshotSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    run_date = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class ResultFilter(StaticFormFilterSet):
    measure = filters.ModelMultipleChoiceFilter(
        queryset=Measure.objects.all(),
        to_field_name="code",
        widget=CommaListWidget,
        method="filter_measure",
        help_text="Measure code(s): measure=a,b or measure=a&measure=b.",
    )
    area_type = filters.ChoiceFilter(choices=AreaType.choices)
    urn = NumberInFilter(field_name="school__urn", help_text="School URN(s), comma-separated.")
    la = filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(),
        to_field_name="code",
        method="filter_la",
        help_text="LA code: the LA's own results and its schools'.",
    )
    trust = IdChoiceFilter(
        queryset=Trust.objects.all(), method="filter_trust", help_text="Trust id: its schools."
    )
    year = NumberInFilter(field_name="academic_year", help_text="Year(s), e.g. 2016 = 2015/16.")
    group = filters.MultipleChoiceFilter(
        choices=PupilGroup.choices, field_name="pupil_group", widget=CommaListWidget
    )
    status = filters.ChoiceFilter(choices=ResultStatus.choices)
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time."
    )

    class Meta:
        model = Result
        fields: list[str] = []

    def filter_measure(self, queryset, name, value):
        return queryset.filter(measure_id__in=[m.pk for m in value]) if value else queryset

    def filter_la(self, queryset, name, value):
        return queryset.filter(Q(la_id=value.pk) | Q(school__la_id=value.pk))

    def filter_trust(self, queryset, name, value):
        return queryset.filter(school__trust_id=value.pk)


RESULT_VALUES = {
    "urn": F("school__urn"),
    "school_name": F("school__name"),
    "school_la_code": F("school__la__code"),
}
# The measure's code, polarity and places (``measure_code``, ``measure_polarity``,
# ``measure_decimal_places``) and an LA result's LA code (``la_code``; a school result's is
# ``school_la_code``) are joined onto the page's rows rather than selected with them: a page
# whose ids are found first (a trust's, a school's: ``page_ids_first``) then needs no column
# of the results table but the index's (school, id), so the index alone answers it.
ROW_JOINS = (
    LeftJoin(
        Measure,
        prefix="measure_",
        on=(("id", "measure_id"),),
        columns=("code", "polarity", "decimal_places"),
    ),
    LeftJoin(LocalAuthority, prefix="la_", on=(("id", "la_id"),), columns=("code",)),
)
RESULT_FIELDS = (
    "id",
    "area_type",
    "region",
    "academic_year",
    "pupil_group",
    *RESULT_READING_FIELDS,
    "status",
    "updated_at",
    "measure_id",
    "school_id",
    "la_id",
)
# What a figure's RAG reason's words are formatted from (the measure's polarity and places
# come with the result row).
REASON_FIELDS = ("rag_reason", "rag_code", "value", "rag_tolerance")
LA_FIGURES = (
    *LA_STANDING_FIELDS,
    "significance",
    "progress_band",
    "trend_direction",
    "rag",
    *REASON_FIELDS,
)
SCHOOL_FIGURES = (
    "national",
    "la_value",
    "gap",
    "gap_la",
    "significance",
    "progress_band",
    "trend_direction",
    "rag",
    *REASON_FIELDS,
)


def result_list(*, user, figures_run: int | None = None):
    """Results the user may see (published results: every signed-in role), as value rows
    with their measure's code, polarity and places and their LA's code joined on
    (``ROW_JOINS``).

    With ``figures_run``, each row also carries that run's figures, joined in the same query:
    ``la__<figure>`` (LA rows: the LA's figure for the measure, year and group) and
    ``school__<figure>`` (school rows: the school's figure when it is for the row's year).
    """
    if not user.has_perm("outcomes.view_la_outcomes"):
        return Result.objects.none()
    qs = Result.objects.all()
    if not user.has_perm("outcomes.view_school_outcomes"):
        qs = qs.exclude(area_type=AreaType.SCHOOL)
    rows = qs.values(*RESULT_FIELDS, **RESULT_VALUES)
    if figures_run is None:
        return with_left_joins(rows, *ROW_JOINS)
    return with_left_joins(
        rows,
        *ROW_JOINS,
        _figures_join(IndicatorFigure, "la", AreaType.LA, LA_FIGURES, run=figures_run),
        _figures_join(SchoolFigure, "school", AreaType.SCHOOL, SCHOOL_FIGURES, run=figures_run),
    )


def _figures_join(
    model: type[IndicatorFigure | SchoolFigure],
    area: str,
    area_type: str,
    columns: tuple[str, ...],
    *,
    run: int,
) -> LeftJoin:
    """The run's figure for each ``area_type`` row: the one for the row's area
    (``<area>_id``: its LA or its school), measure, year and group, with its ``columns``
    named ``<area>__<figure>``."""
    return LeftJoin(
        model,
        prefix=f"{area}__",
        on=(
            (area, f"{area}_id"),
            ("measure", "measure_id"),
            ("year", "academic_year"),
            ("group", "pupil_group"),
        ),
        fixed=(("run", run),),
        when=(("area_type", area_type),),
        columns=columns,
    )


def published_snapshot() -> dict | None:
    """The published run (id, finish and publish times), or None before the first."""
    row = (
        CurrentSnapshot.objects.filter(singleton=1, run__isnull=False)
        .values("run_id", "run__finished_at", "switched_at")
        .first()
    )
    if row is None:
        return None
    return {
        "run": row["run_id"],
        "run_date": row["run__finished_at"],
        "published_at": row["switched_at"],
    }


def _reason(r: dict, prefix: str) -> str | None:
    """A figure's RAG reason in words, from its joined columns and the result's measure."""
    return (
        rag.figure_reason(
            words=r[f"{prefix}rag_reason"],
            code=r[f"{prefix}rag_code"],
            value=r[f"{prefix}value"],
            national=r[f"{prefix}national"],
            tolerance=r[f"{prefix}rag_tolerance"],
            higher_is_better=r["measure_polarity"] == Polarity.HIGHER_BETTER,
            precision=r["measure_decimal_places"],
        )
        or None
    )


def _figures(r: dict, run, run_date) -> dict | None:
    """The row's nightly figures (the joined columns), or None when the run has none."""
    if r["la__rag"] is not None:  # the join matched (rag is never null in the snapshot)
        return {
            "run": run,
            "run_date": run_date,
            "national": r["la__national"],
            "la_value": None,
            "gap": r["la__gap"],
            "gap_la": None,
            "rank": r["la__rank"],
            "rank_of": r["la__rank_n"],
            "rank_joint": r["la__rank_joint"],
            "quartile": r["la__quartile"] or None,
            "significance": r["la__significance"] or None,
            "progress_band": r["la__progress_band"] or None,
            "trend": r["la__trend_direction"] or None,
            "rag": r["la__rag"] or None,
            "rag_reason": _reason(r, "la__"),
        }
    if r["school__rag"] is not None:
        return {
            "run": run,
            "run_date": run_date,
            "national": r["school__national"],
            "la_value": r["school__la_value"],
            "gap": r["school__gap"],
            "gap_la": r["school__gap_la"],
            "rank": None,
            "rank_of": None,
            "rank_joint": None,
            "quartile": None,
            "significance": r["school__significance"] or None,
            "progress_band": r["school__progress_band"] or None,
            "trend": r["school__trend_direction"] or None,
            "rag": r["school__rag"] or None,
            "rag_reason": _reason(r, "school__"),
        }
    return None


def result_rows(rows: list[dict], snapshot: dict | None) -> list[dict]:
    """The API's rows from value rows (with the joined figures when there is a snapshot)."""
    run = snapshot["run"] if snapshot else None
    run_date = snapshot["run_date"].isoformat() if snapshot and snapshot["run_date"] else None
    return [
        {
            "id": r["id"],
            "measure": r["measure_code"],
            "area_type": r["area_type"],
            "urn": r["urn"],
            "school_name": r["school_name"],
            "la": r["la_code"] if r["la_code"] is not None else r["school_la_code"],
            "region": r["region"],
            "year": r["academic_year"],
            "group": r["pupil_group"],
            "value": r["value"],
            "suppression": r["suppression"],
            "cohort": r["cohort"],
            "ci_lower": r["ci_lower"],
            "ci_upper": r["ci_upper"],
            "published_band": r["published_band"],
            "status": r["status"],
            "updated_at": r["updated_at"].isoformat().replace("+00:00", "Z"),
            "nightly": _figures(r, run, run_date) if snapshot else None,
        }
        for r in rows
    ]


class ResultPagination(ApiCursorPagination):
    page_size = 500

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"]["snapshot"] = {
            "type": "object",
            "nullable": True,
            "description": "The published nightly run the figures come from (null before one).",
            "properties": {
                "run": {"type": "integer"},
                "run_date": {"type": "string", "format": "date-time", "nullable": True},
                "published_at": {"type": "string", "format": "date-time", "nullable": True},
            },
        }
        return base


@extend_schema_view(
    list=extend_schema(
        summary="Results with the nightly figures",
        description="Cursor-paged (follow `next`); `page_size` up to 1000, default 500. "
        "Send `If-None-Match` with a page's ETag: 304 when nothing on it changed.",
    )
)
class ResultViewSet(PortalListViewSet):
    """Published results (school, LA, region, England) with the nightly figures beside each."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    pagination_class = ResultPagination
    permission_required = ("outcomes.view_la_outcomes",)

    # A sync of one trust's or school's results is a few thousand rows out of millions, spread
    # through the table. Paged in id order, PostgreSQL walks the primary key until it has
    # found a page: ~330 ms a page at England scale. Paged over ``id + 0`` (same order, same
    # cursor positions) it finds the rows by school and sorts them; and with the page's ids
    # found first (``page_ids_first``: from the index on school and id alone, not the ~16,000
    # rows of a trust's 40 schools spread through the table), it reads only the page's rows.
    NARROWING_FILTERS = ("trust", "urn")

    def _narrowed(self) -> bool:
        params = getattr(self.request, "query_params", {})
        return any(params.get(name) for name in self.NARROWING_FILTERS)

    @property
    def cursor_ordering(self) -> str:
        return "cursor_key" if self._narrowed() else "id"

    def get_queryset(self):
        # The schema generator asks for the queryset with no request to serve: no lookup.
        snapshot = None if getattr(self, "swagger_fake_view", False) else self.snapshot()
        rows = result_list(
            user=self.request.user, figures_run=snapshot["run"] if snapshot else None
        )
        if self._narrowed():
            rows = rows.annotate(cursor_key=F("id") + 0)
            if isinstance(rows, JoinedValuesQuerySet):
                rows = rows.page_ids_first()
        return rows

    def snapshot(self):
        if not hasattr(self, "_snapshot"):
            self._snapshot = published_snapshot()
        return self._snapshot

    def snapshot_key(self):
        snapshot = self.snapshot()
        return snapshot["run"] if snapshot else None

    def extra_meta(self):
        snapshot = self.snapshot()
        return {"snapshot": SnapshotSerializer(snapshot).data if snapshot else None}

    def version_of(self, rows):
        return [(r["id"], r["updated_at"]) for r in rows]

    def last_modified_of(self, rows):
        times = [r["updated_at"] for r in rows]
        snapshot = self.snapshot()
        if snapshot and snapshot["published_at"]:
            times.append(snapshot["published_at"])
        return max(times, default=None)

    def serialize_page(self, rows):
        return result_rows(rows, self.snapshot())
