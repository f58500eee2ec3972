"""School-to-school support: system leaders and their deployments to schools."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

# --- School-to-school support -----------------------------------------------------------------


class Designation(models.TextChoices):
    NLE = "nle", "National leader of education (NLE)"
    LLE = "lle", "Local leader of education (LLE)"
    SLE = "sle", "Specialist leader of education (SLE)"
    NLG = "nlg", "National leader of governance (NLG)"
    OTHER = "other", "Other system leader"


class SystemLeader(models.Model):
    name = models.CharField(max_length=200)
    designation = models.CharField(max_length=10, choices=Designation.choices)
    home_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="leaders"
    )
    specialism = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_designation_display()})"


class Focus(models.TextChoices):
    EYFS = "eyfs", "Early years"
    PHONICS = "phonics", "Phonics"
    KS2_READING = "ks2_reading", "KS2 reading"
    KS2_WRITING = "ks2_writing", "KS2 writing"
    KS2_MATHS = "ks2_maths", "KS2 maths"
    KS4_ENGLISH = "ks4_english", "KS4 English"
    KS4_MATHS = "ks4_maths", "KS4 maths"
    PUPIL_PREMIUM = "pupil_premium", "Pupil premium / disadvantaged"
    SEN = "sen", "SEN support"
    LEADERSHIP = "leadership", "Leadership"
    GOVERNANCE = "governance", "Governance"
    TEACHING = "teaching", "Teaching and learning"
    OTHER = "other", "Other"


class Deployment(models.Model):
    class CommissionedBy(models.TextChoices):
        PARTNERSHIP = "partnership", "The partnership"
        LA = "la", "Local authority"
        TSA = "tsa", "Teaching school alliance"
        TRUST = "trust", "Academy trust"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    leader = models.ForeignKey(SystemLeader, on_delete=models.PROTECT, related_name="deployments")
    designation = models.CharField(
        max_length=10, choices=Designation.choices, help_text="As designated when deployed."
    )
    home_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    home_trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The home school's trust when deployed (kept if the school later moves).",
    )
    supported_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="support_received"
    )
    focus = models.CharField(max_length=20, choices=Focus.choices)
    focus_detail = models.CharField(max_length=300, blank=True)
    commissioned_by = models.CharField(max_length=20, choices=CommissionedBy.choices)
    days = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)])
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    impact_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["supported_school"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="deployment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(impact_note=""),
                name="closed_deployment_has_impact_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader.name} to {self.supported_school.name} ({self.start_date:%b %Y})"

    @property
    def from_mat(self) -> bool:
        from schools.models import Trust

        return self.home_trust_id is not None and self.home_trust.trust_type == Trust.TrustType.MAT
