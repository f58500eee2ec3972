"""In-year data collections and predictions: a collection asks schools for their predicted
results for some measures and pupil groups; each school's return, its predictions and the
nightly signals. Models of the ``outcomes`` app (re-exported by ``outcomes.models``); their
tables and migrations are outcomes'. The chases sent are in the platform's sent-email log
(CHASE_TOPIC)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pep_portal.platform.models import sent_notifications_relation

from ..models import KeyStage, Measure, PupilGroup

# A chase (an officer's reminder to a school that has not submitted) goes at most once a day
# per school per collection: pep_portal.platform.notifications logs it under this topic,
# keyed by (collection, school, the local day as an ISO date).
CHASE_TOPIC = "outcomes.chase"
CHASE_KIND = "chase"


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn term"
    SPRING = "spring", "Spring term"
    SUMMER = "summer", "Summer term"


class DataCollection(models.Model):
    """A window in which schools send the LA their in-year predictions, e.g. "KS2, spring".

    What it asks for comes from the catalogue: measures (of one key stage) and pupil groups.
    ``academic_year`` is the year the predicted results will be published for (2017 =
    the 2016/17 tests), so predictions compare with that year's results once published.
    """

    title = models.CharField(max_length=200)
    key_stage = models.CharField(max_length=12, choices=KeyStage.choices)
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the predicted results are for: 2017 = 2016/17.",
    )
    term = models.CharField(max_length=10, choices=Term.choices)
    measures = models.ManyToManyField(Measure, related_name="collections")
    groups = models.JSONField(
        default=list, help_text='Pupil-group codes asked for, e.g. ["all", "disadvantaged"].'
    )
    schools = models.ManyToManyField("schools.School", related_name="collections")
    deadline = models.DateTimeField(help_text="Submissions close at this moment.")
    created_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_notifications = sent_notifications_relation()

    class Meta:
        ordering = ["-deadline", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            not isinstance(self.groups, list)
            or not self.groups
            or any(g not in PupilGroup.values for g in self.groups)
        ):
            raise ValidationError({"groups": "Choose at least one pupil group from the catalogue."})


class PredictionSubmission(models.Model):
    """One school's answer to a collection: a draft until submitted (before the deadline)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    collection = models.ForeignKey(
        DataCollection, on_delete=models.CASCADE, related_name="submissions"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="prediction_submissions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["collection", "school"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "school"], name="uniq_submission"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection}: {self.school} ({self.get_status_display()})"


class Prediction(models.Model):
    """A school's predicted figure for one measure and pupil group.

    Percentages of pupils are predicted as a number of pupils out of the cohort (as schools
    count them from their pupil lists); ``value`` holds the percentage, unrounded. Scores
    and progress are predicted as the value itself.
    """

    submission = models.ForeignKey(
        PredictionSubmission, on_delete=models.CASCADE, related_name="predictions"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    pupil_group = models.CharField(max_length=20, choices=PupilGroup.choices, default="all")
    cohort = models.PositiveIntegerField(null=True, blank=True)
    predicted_pupils = models.PositiveIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "measure__sort_order", "pupil_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "measure", "pupil_group"], name="uniq_prediction"
            ),
            models.CheckConstraint(
                condition=Q(predicted_pupils__isnull=True)
                | Q(cohort__isnull=True)
                | Q(predicted_pupils__lte=models.F("cohort")),
                name="prediction_pupils_within_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.measure_id} {self.pupil_group}: {self.value}"


class PredictionSignal(models.Model):
    """Nightly snapshot: the 3Ms signal from a school's latest submitted predictions.

    Kept apart from the data-based suggestion (outcomes.SchoolSummary): it is a separate,
    labelled signal ("from the school's own predictions"), never merged into it.
    """

    run = models.ForeignKey(
        "nightly.NightlyRun", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    collection = models.ForeignKey(
        DataCollection, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    level = models.CharField(max_length=20, blank=True, help_text="minimum / moderate / maximum")
    reasons = models.JSONField(default=list, blank=True)
    drops = models.PositiveSmallIntegerField(default=0)
    marginal = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="uniq_prediction_signal")
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id}: {self.level}"
