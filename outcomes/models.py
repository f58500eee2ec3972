"""Outcomes: the measure catalogue, published and local results, their history, and targets.

Conventions every reader of these tables relies on:

- ``academic_year`` is the calendar year the academic year ENDS in: 2016 means 2015/16
  (KS2 tests taken in May 2016, results published autumn 2016). EES ``time_period`` 201516
  and LAIT ``Years`` "2016" or "2015/16" all become 2016.
- ``value`` is stored unrounded as published (or as computed from unrounded sources); display
  precision is ``Measure.decimal_places``. Percentages are stored as 0-100, not 0-1.
- A value that is not a number (suppressed, not applicable, ...) is stored as ``value=None``
  with ``suppression`` saying why; never as 0. A CheckConstraint holds this.
- One row per (measure, area, year, pupil group). The area is a school, an LA, a region (by
  name) or England (national); uniqueness is enforced by one partial unique constraint per
  area type, which behaves the same on SQLite and PostgreSQL (no NULLs in the keys).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class KeyStage(models.TextChoices):
    EYFSP = "eyfsp", "EYFSP"
    PHONICS = "phonics", "Phonics (Year 1)"
    KS1 = "ks1", "Key stage 1"
    KS2 = "ks2", "Key stage 2"
    KS4 = "ks4", "Key stage 4"
    ATTENDANCE = "attendance", "Attendance"
    OFSTED = "ofsted", "Ofsted"
    POST16 = "post16", "16-19"


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    SCORE = "score", "Score"
    PROGRESS = "progress", "Progress score"
    COUNT = "count", "Count"


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", "Higher is better"
    LOWER_BETTER = "lower_better", "Lower is better"


class PupilGroup(models.TextChoices):
    ALL = "all", "All pupils"
    DISADVANTAGED = "disadvantaged", "Disadvantaged"
    NON_DISADVANTAGED = "non_disadvantaged", "Not disadvantaged"
    BOYS = "boys", "Boys"
    GIRLS = "girls", "Girls"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "EHC plan"
    SEN = "sen", "Any SEN"
    NO_SEN = "no_sen", "No SEN"
    EAL = "eal", "EAL"
    NON_EAL = "non_eal", "Not EAL"
    PRIOR_LOW = "prior_low", "Low prior attainment"
    PRIOR_MIDDLE = "prior_middle", "Middle prior attainment"
    PRIOR_HIGH = "prior_high", "High prior attainment"


class AreaType(models.TextChoices):
    SCHOOL = "school", "School"
    LA = "la", "Local authority"
    REGION = "region", "Region"
    NATIONAL = "national", "England"


class ResultStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    REVISED = "revised", "Revised"
    FINAL = "final", "Final"


class Suppression(models.TextChoices):
    """Why a result has no number. Blank (NONE) = the value is a number."""

    NONE = "", "A number"
    SUPPRESSED = "suppressed", "Suppressed"  # SUPP, EES c
    NOT_APPLICABLE = "not_applicable", "Not applicable"  # NA, EES z
    NOT_AVAILABLE = "not_available", "Not available"  # EES x, LAIT "-", blank cell
    NOT_PUBLISHED = "not_published", "Not published"  # NP
    LOW_COVERAGE = "low_coverage", "Low coverage"  # LOWCOV
    SMALL_COHORT = "small_cohort", "Small cohort"
    ROUNDS_TO_ZERO = "rounds_to_zero", "Rounds to zero"  # EES low
    NOT_ENTERED = "not_entered", "No pupils entered"  # NE
    NO_SCHOOL_ENTRIES = "no_school_entries", "No entries from the school"  # NSE
    NEW_SCHOOL = "new_school", "New school"  # NEW
    NO_RESULT = "no_result", "No result"  # NR


class Measure(models.Model):
    """One published indicator, e.g. KS2 % expected standard in reading, writing and maths."""

    code = models.SlugField(max_length=40, unique=True, help_text="e.g. ks2_rwm_exp")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True, help_text="For table headings.")
    key_stage = models.CharField(max_length=12, choices=KeyStage.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.CharField(
        max_length=15, choices=Polarity.choices, default=Polarity.HIGHER_BETTER
    )
    decimal_places = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(4)], help_text="Display precision."
    )
    has_confidence_interval = models.BooleanField(default=False)
    has_quartile = models.BooleanField(
        default=True, help_text="Whether LAs are banded into quartiles A-D on this measure."
    )
    groups = models.JSONField(
        default=list,
        blank=True,
        help_text='Pupil-group codes this measure is published for, e.g. ["all", "boys"].',
    )
    description = models.TextField(blank=True)
    is_headline = models.BooleanField(default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)
    rag_tolerance = models.FloatField(
        default=2.0,
        validators=[MinValueValidator(0)],
        help_text=(
            "Amber band: how far worse than national (in the measure's unit, e.g. 2.0 "
            "percentage points or 0.5 progress) is still amber rather than red."
        ),
    )
    rag_bottom_quartile_red = models.BooleanField(
        default=True, help_text="Red whenever the LA is in the bottom quartile (band D)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.groups, list) or any(
            g not in PupilGroup.values for g in self.groups
        ):
            raise ValidationError(
                {"groups": f"A list of pupil-group codes from: {', '.join(PupilGroup.values)}."}
            )

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == Polarity.HIGHER_BETTER


# How a measure's figures are shown: their unit, which way is better, their precision, whether
# a confidence interval and a quartile come with them, the pupil groups they are given for.
# The admin's "How it is shown" section and the API's measure catalogue.
MEASURE_DISPLAY_FIELDS = (
    "unit",
    "polarity",
    "decimal_places",
    "has_confidence_interval",
    "has_quartile",
    "groups",
)


_VALUE_IFF_NO_SUPPRESSION = (Q(value__isnull=True) & ~Q(suppression="")) | (
    Q(value__isnull=False) & Q(suppression="")
)
_AREA_SHAPE = (
    (Q(area_type=AreaType.SCHOOL) & Q(school__isnull=False) & Q(la__isnull=True) & Q(region=""))
    | (Q(area_type=AreaType.LA) & Q(school__isnull=True) & Q(la__isnull=False) & Q(region=""))
    | (Q(area_type=AreaType.REGION) & Q(school__isnull=True) & Q(la__isnull=True) & ~Q(region=""))
    | (Q(area_type=AreaType.NATIONAL) & Q(school__isnull=True) & Q(la__isnull=True) & Q(region=""))
)


# What a result reads, beyond which measure, area, year and pupil group it is for: the fields
# an import compares with the stored result, the nightly run reads and the API lists.
RESULT_READING_FIELDS = ("value", "suppression", "cohort", "ci_lower", "ci_upper", "published_band")


class Result(models.Model):
    """A measure's value for one area (school / LA / region / England), year and pupil group."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="results")
    area_type = models.CharField(max_length=10, choices=AreaType.choices)
    # Indexed by result_school_id (school, id) below, not on its own.
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
    )
    la = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )
    region = models.CharField(
        max_length=80, blank=True, help_text="Region name, for region-level results only."
    )
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the academic year ends: 2016 = 2015/16.",
    )
    pupil_group = models.CharField(max_length=20, choices=PupilGroup.choices, default="all")
    value = models.FloatField(null=True, blank=True, help_text="Unrounded; empty when suppressed.")
    cohort = models.PositiveIntegerField(null=True, blank=True)
    ci_lower = models.FloatField("95% CI lower", null=True, blank=True)
    ci_upper = models.FloatField("95% CI upper", null=True, blank=True)
    published_band = models.CharField(
        max_length=60,
        blank=True,
        help_text="DfE's progress band where published (P8_BANDING, READPROG_DESCR...).",
    )
    status = models.CharField(
        max_length=12, choices=ResultStatus.choices, default=ResultStatus.PROVISIONAL
    )
    suppression = models.CharField(
        max_length=20, choices=Suppression.choices, blank=True, default=""
    )
    source = models.CharField(max_length=255, blank=True, help_text="Layout and file name.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "academic_year", "area_type", "pupil_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "school", "academic_year", "pupil_group"],
                condition=Q(area_type=AreaType.SCHOOL),
                name="uniq_result_school",
            ),
            models.UniqueConstraint(
                fields=["measure", "la", "academic_year", "pupil_group"],
                condition=Q(area_type=AreaType.LA),
                name="uniq_result_la",
            ),
            models.UniqueConstraint(
                fields=["measure", "region", "academic_year", "pupil_group"],
                condition=Q(area_type=AreaType.REGION),
                name="uniq_result_region",
            ),
            models.UniqueConstraint(
                fields=["measure", "academic_year", "pupil_group"],
                condition=Q(area_type=AreaType.NATIONAL),
                name="uniq_result_national",
            ),
            models.CheckConstraint(
                condition=_VALUE_IFF_NO_SUPPRESSION,
                name="result_value_null_iff_suppressed",
                violation_error_message="A result has either a value or a suppression reason.",
            ),
            models.CheckConstraint(
                condition=_AREA_SHAPE,
                name="result_area_matches_area_type",
                violation_error_message=(
                    "A school result names a school, an LA result an LA, a region result a "
                    "region, and a national result none of them."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ci_lower__isnull=True)
                | Q(ci_upper__isnull=True)
                | Q(ci_lower__lte=models.F("ci_upper")),
                name="result_ci_ordered",
                violation_error_message="The CI lower bound is above the upper bound.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["measure", "academic_year", "area_type", "pupil_group"],
                name="result_measure_year_area",
            ),
            models.Index(fields=["school", "academic_year"], name="result_school_year"),
            # A trust's or school's page of results (the API, paged by id) is found from
            # this index alone: the page's ids, then only its rows (issue 20).
            models.Index(fields=["school", "id"], name="result_school_id"),
            models.Index(fields=["la", "academic_year"], name="result_la_year"),
            # The partnership LA's provisional years, read on every dashboard page
            # (snapshot_info): from this small index alone, not from each of the LA's
            # ~600 results spread through the table (issue 20).
            models.Index(
                fields=["la", "academic_year"],
                condition=Q(area_type=AreaType.LA, status=ResultStatus.PROVISIONAL),
                name="result_la_provisional",
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.get_suppression_display()
        return f"{self.measure.code} {self.area_label} {self.academic_year} {self.pupil_group}: {shown}"

    @property
    def area_label(self) -> str:
        if self.area_type == AreaType.SCHOOL:
            return str(self.school)
        if self.area_type == AreaType.LA:
            return str(self.la)
        if self.area_type == AreaType.REGION:
            return self.region
        return "England"

    @property
    def is_suppressed(self) -> bool:
        return self.value is None


class ResultRevision(models.Model):
    """A previous state of a result, kept when a re-import (or an officer) changed it."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="revisions")
    value = models.FloatField(null=True, blank=True)
    cohort = models.PositiveIntegerField(null=True, blank=True)
    ci_lower = models.FloatField(null=True, blank=True)
    ci_upper = models.FloatField(null=True, blank=True)
    published_band = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=ResultStatus.choices)
    suppression = models.CharField(max_length=20, choices=Suppression.choices, blank=True)
    source = models.CharField(
        max_length=255, blank=True, help_text="Where the OLD value came from."
    )
    replaced_by_source = models.CharField(max_length=255, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.result_id} before {self.replaced_at:%Y-%m-%d}: {self.value}"


class PeriodResult(models.Model):
    """A figure for part of an academic year, as EES publishes in-year statistics: year to
    date, a term, a week (its ``time_identifier``, kept as published in ``period``).

    Kept apart from ``Result`` on purpose: a part-year figure is never a year's result, so
    it is never ranked, banded, compared with a full year or used in a trend; pages show it
    labelled with its period. ``area_key`` names the area in one column ("la:851",
    "region:South East", "school:116111", "national") so uniqueness needs no NULLs.
    """

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="period_results")
    area_type = models.CharField(max_length=10, choices=AreaType.choices)
    area_key = models.CharField(max_length=100)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    la = models.ForeignKey(
        "schools.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.CharField(max_length=80, blank=True)
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.CharField(
        max_length=60, help_text="EES time_identifier, e.g. 'Year to date', 'Autumn term'."
    )
    pupil_group = models.CharField(max_length=20, choices=PupilGroup.choices, default="all")
    value = models.FloatField(null=True, blank=True)
    suppression = models.CharField(
        max_length=20, choices=Suppression.choices, blank=True, default=""
    )
    status = models.CharField(
        max_length=12, choices=ResultStatus.choices, default=ResultStatus.PROVISIONAL
    )
    source = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "academic_year", "period", "area_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area_key", "academic_year", "period", "pupil_group"],
                name="uniq_period_result",
            ),
            models.CheckConstraint(
                condition=_VALUE_IFF_NO_SUPPRESSION,
                name="period_result_value_null_iff_suppressed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.area_key} {self.academic_year} {self.period}: {self.value}"


class Target(models.Model):
    """A goal for a measure and group, e.g. 'KS2 RWM in the top 50% of LAs by Sept 2018'."""

    class Kind(models.TextChoices):
        TOP_PERCENT_OF_LAS = "top_percent_of_las", "In the top N% of LAs"
        HALVE_GAP = "halve_gap", "Halve the gap to national"
        BETTER_THAN_NATIONAL = "better_than_national", "At or better than national"
        AT_LEAST_VALUE = "at_least_value", "Reach a value"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    pupil_group = models.CharField(max_length=20, choices=PupilGroup.choices, default="all")
    area_type = models.CharField(
        max_length=10,
        choices=[(AreaType.LA, AreaType.LA.label), (AreaType.SCHOOL, AreaType.SCHOOL.label)],
        default=AreaType.LA,
    )
    la = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    value = models.FloatField(
        null=True,
        blank=True,
        help_text="Top N%: N (e.g. 50). Reach a value: the value. Otherwise empty.",
    )
    baseline_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For 'halve the gap': the year whose gap is halved."
    )
    due_date = models.DateField()
    description = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(area_type=AreaType.LA) & Q(la__isnull=False) & Q(school__isnull=True))
                | (Q(area_type=AreaType.SCHOOL) & Q(school__isnull=False) & Q(la__isnull=True)),
                name="target_area_matches_area_type",
            ),
        ]

    def __str__(self) -> str:
        return self.description or f"{self.measure}: {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        needs_value = self.kind in (self.Kind.TOP_PERCENT_OF_LAS, self.Kind.AT_LEAST_VALUE)
        if needs_value and self.value is None:
            raise ValidationError({"value": "This kind of target needs a value."})
        top = self.kind == self.Kind.TOP_PERCENT_OF_LAS
        if top and self.value is not None and not 0 < self.value <= 100:
            raise ValidationError({"value": "A top-N% target needs N between 1 and 100."})
        if self.area_type == AreaType.LA and not self.la_id:
            raise ValidationError({"la": "Choose the LA this target is for."})
        if self.area_type == AreaType.SCHOOL and not self.school_id:
            raise ValidationError({"school": "Choose the school this target is for."})


class MappingSource(models.TextChoices):
    EES = "ees", "Explore Education Statistics (tidy CSV)"
    LAIT = "lait", "LAIT (long format)"


class ResultField(models.TextChoices):
    VALUE = "value", "Value"
    COHORT = "cohort", "Cohort (number of pupils)"
    CI_LOWER = "ci_lower", "95% CI lower"
    CI_UPPER = "ci_upper", "95% CI upper"
    BAND = "published_band", "Published band"


class IndicatorMapping(models.Model):
    """Which measure and group a published indicator holds.

    EES: an indicator column (``overall_absence_perc``) plus the filter values a row must
    have (``{"education_phase": "Total"}``). LAIT: the ``Short Desc`` code (no filters).
    The catalogue's own mappings ship in a data migration (``is_builtin``); officers save
    more from the upload page, and they apply to next year's file.
    """

    source = models.CharField(max_length=8, choices=MappingSource.choices)
    indicator = models.CharField(max_length=200, help_text="EES column or LAIT Short Desc.")
    filters = models.JSONField(
        default=dict, blank=True, help_text='EES filter values, e.g. {"education_phase": "Total"}.'
    )
    filters_key = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        help_text="The filters in a canonical text form (sorted), for uniqueness.",
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="mappings")
    pupil_group = models.CharField(max_length=20, choices=PupilGroup.choices, default="all")
    field = models.CharField(max_length=16, choices=ResultField.choices, default=ResultField.VALUE)
    is_builtin = models.BooleanField(default=False, help_text="Shipped with the catalogue.")
    created_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "indicator", "filters_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "indicator", "filters_key"], name="uniq_indicator_mapping"
            ),
        ]

    def __str__(self) -> str:
        where = f" [{self.filters_key}]" if self.filters_key else ""
        return f"{self.get_source_display()}: {self.indicator}{where} -> {self.measure.code}/{self.pupil_group}"

    @staticmethod
    def make_filters_key(filters: dict) -> str:
        return ";".join(f"{k}={filters[k]}" for k in sorted(filters))

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.filters, dict) or any(
            not isinstance(v, str) for v in self.filters.values()
        ):
            raise ValidationError({"filters": "Filters are column -> value text pairs."})
        if self.source == MappingSource.LAIT and self.filters:
            raise ValidationError({"filters": "LAIT mappings have no filters."})
        self.filters_key = self.make_filters_key(self.filters)


# In-year data collections and predictions live in outcomes/predictions/models.py; imported
# here (after the catalogue they refer to) so Django registers them and callers keep one path.
from .predictions.models import (  # noqa: E402, F401
    DataCollection,
    Prediction,
    PredictionSignal,
    PredictionSubmission,
    Term,
)

# The nightly snapshot's figure tables live in outcomes/snapshot/models.py, imported here for
# the same reasons.
from .snapshot.models import (  # noqa: E402, F401
    GRID_CELL_FIELDS,
    DashboardFigure,
    IndicatorFigure,
    SchoolFigure,
    SchoolSummary,
)
