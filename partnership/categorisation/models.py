"""The categorisation of schools causing concern (3Ms), and letters of concern."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..governance.models import Meeting

# --- Categorisation of schools causing concern (3Ms) ------------------------------------------


class Concern(models.TextChoices):
    MINIMUM = "minimum", "Minimum concern"
    MODERATE = "moderate", "Moderate concern"
    MAXIMUM = "maximum", "Maximum concern"


class CategorisationReview(models.Model):
    """One round of the Operational Group's review of schools (e.g. autumn 2016)."""

    name = models.CharField(max_length=200, unique=True)
    review_date = models.DateField()
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categorisation_reviews",
    )

    class Meta:
        ordering = ["-review_date"]

    def __str__(self) -> str:
        return self.name


class CategorisationDecision(models.Model):
    review = models.ForeignKey(
        CategorisationReview, on_delete=models.PROTECT, related_name="decisions"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="categorisations"
    )
    category = models.CharField(max_length=10, choices=Concern.choices)
    rationale = models.TextField()
    decided_on = models.DateField()
    suggested_category = models.CharField(
        max_length=10,
        choices=Concern.choices,
        blank=True,
        help_text="The nightly 3Ms suggestion when the decision was taken, if there was one.",
    )
    suggested_reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="The reasons the nightly run gave for its suggestion, as they stood then.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "school"], name="uniq_decision_per_review"),
        ]
        indexes = [models.Index(fields=["school", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.get_category_display()} ({self.decided_on})"


class LetterTemplate(models.Model):
    class Recipient(models.TextChoices):
        SCHOOL = "school", "Headteacher and chair of governors"
        TRUST = "trust", "Trust chief executive"

    name = models.CharField(max_length=200, unique=True)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Placeholders such as $school_name, $urn, $head_name.")
    response_days = models.PositiveSmallIntegerField(
        default=20, help_text="Days the recipient has to respond."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LetterOfConcern(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="letters_of_concern"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    addressed_to = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    response_received_on = models.DateField(null=True, blank=True)
    response_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=False) | Q(response_received_on__isnull=True),
                name="response_only_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.school.name})"

    def status_on(self, today: dt.date) -> str:
        if self.sent_on is None:
            return "Draft, not sent"
        if self.response_received_on is not None:
            return "Response received"
        if self.response_due and self.response_due < today:
            return "Response overdue"
        return "Awaiting response"
