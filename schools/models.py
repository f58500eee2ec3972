"""The register: local authorities, trusts, schools and their Ofsted inspections."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from pep_portal.platform.rag import Rag


def percent_field(verbose_name: str) -> models.DecimalField:
    """A percentage as published (two decimal places, 0 to 100), blank when not given."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class LocalAuthority(models.Model):
    code = models.PositiveSmallIntegerField(
        unique=True, help_text="DfE's three-digit LA number, e.g. 851 for Portsmouth."
    )
    gss_code = models.CharField(
        "new LA code", max_length=9, blank=True, help_text="ONS code, e.g. E06000044."
    )
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=80, blank=True)
    in_partnership = models.BooleanField(
        default=False,
        help_text="The partnership's own LA: its schools are the ones the boards review.",
    )
    statistical_neighbours = models.ManyToManyField(
        "self",
        through="StatisticalNeighbour",
        symmetrical=False,
        related_name="neighbour_of",
        blank=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class StatisticalNeighbour(models.Model):
    class Closeness(models.TextChoices):
        EXTREMELY_CLOSE = "extremely_close", "Extremely close"
        VERY_CLOSE = "very_close", "Very close"
        CLOSE = "close", "Close"
        SOMEWHAT_CLOSE = "somewhat_close", "Somewhat close"
        NOT_CLOSE = "not_close", "Not close"

    la = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)], help_text="1 = the closest."
    )
    closeness = models.CharField(max_length=20, choices=Closeness.choices, blank=True)

    class Meta:
        ordering = ["la", "position"]
        constraints = [
            models.UniqueConstraint(fields=["la", "position"], name="uniq_neighbour_position"),
            models.UniqueConstraint(fields=["la", "neighbour"], name="uniq_neighbour_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.la.name} #{self.position}: {self.neighbour.name}"


class Trust(models.Model):
    class TrustType(models.TextChoices):
        MAT = "mat", "Multi-academy trust"
        SAT = "sat", "Single-academy trust"
        OTHER = "other", "Other (trust or federation)"

    uid = models.PositiveIntegerField(
        "GIAS group UID",
        unique=True,
        null=True,
        blank=True,
        help_text="Empty for trusts known only by name (GIAS names-only downloads).",
    )
    name = models.CharField(max_length=255)
    trust_type = models.CharField(max_length=10, choices=TrustType.choices, default=TrustType.MAT)
    companies_house_number = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE_PRIMARY = "middle_primary", "Middle deemed primary"
    SECONDARY = "secondary", "Secondary"
    MIDDLE_SECONDARY = "middle_secondary", "Middle deemed secondary"
    POST16 = "post16", "16 plus"
    ALL_THROUGH = "all_through", "All-through"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Category(models.TextChoices):
    LA_MAINTAINED = "la_maintained", "LA-maintained"
    ACADEMY_CONVERTER = "academy_converter", "Academy converter"
    ACADEMY_SPONSOR_LED = "academy_sponsor_led", "Academy sponsor-led"
    FREE_SCHOOL = "free_school", "Free school"
    SPECIAL = "special", "Special school"
    PRU = "pru", "Pupil referral unit / alternative provision"
    POST16 = "post16", "Post-16 / further education"
    INDEPENDENT = "independent", "Independent"
    OTHER = "other", "Other"


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
        PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"

    # Open for every count and list: a school proposed to close is still open until it closes.
    # The one definition (schools.selectors.OPEN_STATUSES); accounts reaches it through User.school.
    OPEN_STATUSES = (Status.OPEN, Status.PROPOSED_TO_CLOSE)

    urn = models.PositiveIntegerField("URN", unique=True)
    laestab = models.CharField(
        "LAESTAB",
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{7}$", "LAESTAB is the 3-digit LA code and 4-digit establishment number."
            )
        ],
    )
    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=255)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    establishment_type = models.CharField(
        max_length=120, blank=True, help_text="GIAS 'TypeOfEstablishment', as published."
    )
    category = models.CharField(max_length=30, choices=Category.choices, default=Category.OTHER)
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    diocese = models.CharField(max_length=120, blank=True)
    religious_character = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    pupils_on_roll = models.PositiveIntegerField(null=True, blank=True)
    percent_fsm = percent_field("% FSM")
    percent_sen = percent_field("% SEN")
    percent_eal = percent_field("% EAL")
    postcode = models.CharField(max_length=10, blank=True)
    ukprn = models.PositiveIntegerField("UKPRN", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["la", "phase"]),
            models.Index(fields=["trust"]),
            models.Index(fields=["status"]),
            # The register page's order (a page of 50 without sorting 20,000 schools) and
            # the register version's latest change (schools/register_cache.py).
            models.Index(fields=["name", "urn"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_academy(self) -> bool:
        return (
            self.category
            in (
                Category.ACADEMY_CONVERTER,
                Category.ACADEMY_SPONSOR_LED,
                Category.FREE_SCHOOL,
            )
            or self.trust_id is not None
        )

    @property
    def age_range(self) -> str:
        if self.statutory_low_age is None or self.statutory_high_age is None:
            return ""
        return f"{self.statutory_low_age}-{self.statutory_high_age}"


class OfstedGrade(models.IntegerChoices):
    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


class OfstedInspection(models.Model):
    """One inspection. Every inspection is kept: the latest is derived, never stored.

    Inspections up to 2024 carry an overall effectiveness grade (1-4). Later ones do not:
    single-word judgements ended in September 2024 and report cards grade each evaluation
    area instead (``area_grades``). The portal never invents an overall grade.
    """

    class Framework(models.TextChoices):
        GRADED = "graded", "Graded inspection (overall effectiveness, to 2024)"
        UNGRADED = "ungraded", "Ungraded inspection (no overall grade)"
        REPORT_CARD = "report_card", "Report card (evaluation areas, no overall grade)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="inspections")
    inspection_date = models.DateField()
    framework = models.CharField(max_length=20, choices=Framework.choices, default=Framework.GRADED)
    overall_effectiveness = models.PositiveSmallIntegerField(
        choices=OfstedGrade.choices, null=True, blank=True
    )
    area_grades = models.JSONField(
        default=dict,
        blank=True,
        help_text="Report-card evaluation areas and their grades, as published.",
    )
    publication_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="gias, ofsted_csv or officer.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-inspection_date"]
        get_latest_by = "inspection_date"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "inspection_date"], name="uniq_inspection_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(framework="graded")
                | models.Q(overall_effectiveness__isnull=True),
                name="overall_grade_only_on_graded_inspections",
            ),
        ]

    def __str__(self) -> str:
        grade = (
            self.get_overall_effectiveness_display()
            if self.overall_effectiveness
            else "no overall grade"
        )
        return f"{self.school.name}: {self.inspection_date:%d %b %Y} ({grade})"

    @property
    def is_good_or_better(self) -> bool | None:
        """True/False where a grade exists; None where the inspection has no overall grade."""
        if self.overall_effectiveness is None:
            return None
        return self.overall_effectiveness <= OfstedGrade.GOOD


# --- Schools' own data: data sharing agreements, soft intelligence, workforce ----------------
# Confidential: who sees it is decided in schools/intelligence/access.py.


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn term"
    SPRING = "spring", "Spring term"
    SUMMER = "summer", "Summer term"


class DataSharingAgreement(models.Model):
    """A school's signed agreement to share its own data with the partnership (action 5.1)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="agreements")
    version = models.CharField(max_length=20, help_text="The agreement's version, e.g. 2016.1.")
    signed_by_name = models.CharField("signed by", max_length=200)
    signed_by_role = models.CharField("their role", max_length=200, blank=True)
    signed_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "version"], name="uniq_agreement_version"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("signed_on")),
                name="agreement_withdrawn_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name}: agreement {self.version} signed {self.signed_on:%d %b %Y}"


class SoftIntelligence(models.Model):
    """Soft information about a school for one term (Peterborough 2013): empty = not known."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="soft_intelligence")
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the academic year ends: 2017 = 2016/17.",
    )
    term = models.CharField(max_length=10, choices=Term.choices)
    fixed_term_exclusions = models.PositiveIntegerField(null=True, blank=True)
    permanent_exclusions = models.PositiveIntegerField(null=True, blank=True)
    pupils_seeking_move = models.PositiveIntegerField(
        "pupils seeking to move school", null=True, blank=True
    )
    first_preferences = models.PositiveIntegerField(
        "first preferences from parents", null=True, blank=True
    )
    places_offered = models.PositiveIntegerField(
        "admission places", null=True, blank=True, help_text="The published admission number."
    )
    complaints = models.PositiveIntegerField(null=True, blank=True)
    governor_vacancies = models.PositiveIntegerField(null=True, blank=True)
    staff_turnover_percent = models.FloatField(
        "staff turnover %",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    staff_vacancies = models.PositiveIntegerField(null=True, blank=True)
    sickness_days_per_teacher = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(200)]
    )
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=20, blank=True, help_text="officer or import.")
    recorded_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "-academic_year", "term"]
        verbose_name_plural = "soft intelligence"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "term"], name="uniq_soft_intelligence_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.academic_year} {self.get_term_display()}"


class Workforce(models.Model):
    """A school's workforce figures for one academic year (the pupil:teacher ratio derives)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="workforce")
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    teachers_fte = models.DecimalField(
        "teachers (FTE)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    pupils = models.PositiveIntegerField()
    average_salary = models.PositiveIntegerField(
        "average teacher salary (£)", null=True, blank=True
    )
    sickness_days = models.FloatField(
        "sickness days per teacher", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    vacancies = models.PositiveIntegerField(null=True, blank=True)
    turnover_percent = models.FloatField(
        "turnover %",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    recorded_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "-academic_year"]
        verbose_name_plural = "workforce figures"
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="uniq_workforce_year")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} workforce {self.academic_year}"

    @property
    def pupil_teacher_ratio(self) -> float | None:
        if not self.teachers_fte:
            return None
        return self.pupils / float(self.teachers_fte)


class SoftIntelligenceRag(models.Model):
    """Nightly snapshot: a school's soft-intelligence RAG for its latest term, with reasons."""

    run = models.ForeignKey(
        "nightly.NightlyRun", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices)
    rag = models.CharField(max_length=5, default=Rag.NONE)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="uniq_soft_intelligence_rag")
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id}: {self.rag}"
