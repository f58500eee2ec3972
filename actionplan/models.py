"""The action plan: plans, priorities, numbered actions, milestones, updates and RAG.

A plan (one is current) has priorities, each with the Ofsted areas it answers and "what will
success look like"; numbered actions (1.1, 1.2 ...) with Who (lead roles), When (free text and
a due date where there is one) and milestones. Officers and a milestone's lead record updates:
each is kept (append-only), and the milestone keeps the latest reported status and the RAG
computed from it (``actionplan.rag``), rolled up to the action and the priority.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from pep_portal.platform.models import sent_notifications_relation
from pep_portal.platform.rag import PROGRESS_RAG_CHOICES

from . import rag as ragmod


class StatusChoices(models.TextChoices):
    NOT_STARTED = ragmod.Status.NOT_STARTED.value, "Not started"
    ON_TRACK = ragmod.Status.ON_TRACK.value, "On track"
    AT_RISK = ragmod.Status.AT_RISK.value, "At risk"
    OFF_TRACK = ragmod.Status.OFF_TRACK.value, "Off track"
    COMPLETE = ragmod.Status.COMPLETE.value, "Complete"


class LeadRole(models.Model):
    """A lead responsibility from the plan's glossary (DCS, HSI, SIM ...) and who holds it."""

    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9&\-]+$", "Use letters, digits, & or -.")],
        help_text="The abbreviation used in the plan's Who column, e.g. DCS.",
    )
    title = models.CharField(max_length=200, help_text="e.g. Director of Children's Services.")
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="lead_roles",
        help_text="Portal users who hold this role: they may update its milestones and "
        "receive its reminders.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.title})"


class Plan(models.Model):
    title = models.CharField(max_length=200, unique=True)
    period = models.CharField(max_length=60, blank=True, help_text="e.g. 2016/17 to 2017/18.")
    published_on = models.DateField(null=True, blank=True)
    introduction = models.TextField(blank=True)
    is_current = models.BooleanField(
        default=False, help_text="The plan the board view opens on. Only one plan is current."
    )
    amber_window_days = models.PositiveSmallIntegerField(
        default=ragmod.DEFAULT_AMBER_WINDOW_DAYS,
        validators=[MaxValueValidator(365)],
        help_text="A milestone not started and due within this many days is amber.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-is_current", "-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="actionplan_one_current_plan",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.TextField()
    ofsted_areas = models.CharField(
        max_length=60,
        blank=True,
        help_text="The Ofsted areas of improvement it answers, e.g. 2 & 3.",
    )
    success_looks_like = models.TextField(
        blank=True, help_text='"What will success look like?": one statement per line.'
    )
    rag = models.CharField(
        max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True, help_text="Worst of its actions."
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="actionplan_priority_number")
        ]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title[:80]}"

    @property
    def success_statements(self) -> list[str]:
        return [line.strip() for line in self.success_looks_like.splitlines() if line.strip()]


ACTION_NUMBER = RegexValidator(r"^\d+\.\d+$", "An action number looks like 1.1 or 2.10.")


class Action(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(max_length=10, validators=[ACTION_NUMBER])
    sort_key = models.PositiveIntegerField(default=0, editable=False)
    description = models.TextField()
    who = models.CharField(
        max_length=200, blank=True, help_text="As written in the plan, e.g. DCS / DDCS."
    )
    leads = models.ManyToManyField(LeadRole, blank=True, related_name="actions")
    when = models.CharField(
        max_length=200, blank=True, help_text='As written in the plan, e.g. "By Sept 2016".'
    )
    due_date = models.DateField(null=True, blank=True)
    rag = models.CharField(
        max_length=10,
        choices=PROGRESS_RAG_CHOICES,
        blank=True,
        help_text="Worst of its milestones.",
    )

    class Meta:
        ordering = ["priority__number", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="actionplan_action_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A sort key so 1.10 follows 1.9 (derived data, not business logic).
        try:
            major, minor = (int(p) for p in self.number.split(".", 1))
            self.sort_key = major * 1000 + minor
        except ValueError:
            self.sort_key = 0
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.number and self.priority_id and "." in self.number:
            head = self.number.split(".", 1)[0]
            if head.isdigit() and int(head) != self.priority.number:
                raise ValidationError(
                    {
                        "number": f"Action {self.number} does not belong to priority "
                        f"{self.priority.number}: it should start with {self.priority.number}."
                    }
                )


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    lead = models.ForeignKey(
        LeadRole,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text="Leave blank when the action's leads lead it.",
    )
    due_date = models.DateField(null=True, blank=True)
    # The latest update (kept on the milestone for the board view; history in updates).
    status = models.CharField(
        max_length=12, choices=StatusChoices.choices, default=StatusChoices.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    completed_on = models.DateField(null=True, blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    rag_override = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)
    override_reason = models.TextField(blank=True)
    # Computed by actionplan.rag on every update and in the nightly run.
    computed_rag = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)
    rag_computed_on = models.DateField(null=True, blank=True)
    sent_notifications = sent_notifications_relation()

    class Meta:
        ordering = ["action__priority__number", "action__sort_key", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.action.number} milestone {self.order}: {self.title[:80]}"

    def clean(self) -> None:
        super().clean()
        if self.rag_override and not self.override_reason.strip():
            raise ValidationError({"override_reason": "Give a reason for overriding the RAG."})

    @property
    def rag(self) -> str:
        """The colour shown: the override when there is one, else the computed RAG."""
        if not self.computed_rag and not self.rag_override:
            return ""
        return ragmod.effective_rag(self.computed_rag or "green", self.rag_override or None).value

    @property
    def rag_label(self) -> str:
        return ragmod.Rag(self.rag).label if self.rag else "Not assessed"

    @property
    def status_disagrees(self) -> bool:
        return bool(self.rag) and ragmod.rag_disagrees(self.status, self.rag)

    @property
    def completed_late(self) -> bool:
        return self.status == StatusChoices.COMPLETE and ragmod.completed_late(
            due_date=self.due_date, completed_on=self.completed_on
        )


def evidence_upload_to(instance: MilestoneUpdate, filename: str) -> str:
    """A random name under MEDIA_ROOT/actionplan/evidence/ (never web-served directly)."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"actionplan/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class MilestoneUpdate(models.Model):
    """One update to a milestone. Updates are never changed or deleted (append-only)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="milestone_updates"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    status = models.CharField(max_length=12, choices=StatusChoices.choices)
    progress = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    note = models.TextField()
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=evidence_upload_to, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    rag_override = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)
    override_reason = models.TextField(blank=True)
    # The colour shown before and after this update: what "changes since" reports.
    rag_before = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)
    rag_after = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)
    computed_rag = models.CharField(max_length=10, choices=PROGRESS_RAG_CHOICES, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Update to {self.milestone} on {self.created_at:%d %b %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("Milestone updates are kept as written: add a new update.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.rag_override and not self.override_reason.strip():
            raise ValidationError({"override_reason": "Give a reason for overriding the RAG."})

    def delete(self, *args, **kwargs):
        raise ValidationError("Milestone updates are kept as written and cannot be deleted.")


class SuccessMeasure(models.Model):
    """One of the plan's success measures, linked to an outcome measure and target.

    The page shows the measure's current figure for the partnership's LA (see
    ``actionplan.selectors.success_measure_rows``) beside the target.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="success_measures")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="success_measures"
    )
    order = models.PositiveSmallIntegerField(default=1)
    area = models.CharField(max_length=100, help_text="e.g. Key Stage 2, Attendance.")
    description = models.TextField()
    measure = models.ForeignKey(
        "outcomes.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The outcome measure whose figure shows progress.",
    )
    pupil_group = models.CharField(
        max_length=20, default="all", help_text="The pupil group of the figure, e.g. all, boys."
    )
    target = models.ForeignKey(
        "outcomes.Target", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_text = models.CharField(
        "target", max_length=200, blank=True, help_text="e.g. Top 50% of LAs; gap halved."
    )
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.description[:80]}"


# A lead is reminded of a milestone once per stage, due date and person, ever (a new due date
# is a new reminder): pep_portal.platform.notifications logs it under this topic, keyed by
# (milestone, user, stage, the due date as an ISO date).
REMINDER_TOPIC = "actionplan.reminder"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
