"""Consultations: officers ask, each school answers once (draft, then submitted), boards analyse.

The lifecycle, as consultation hubs run it:

1. **Draft** (``stage`` draft): officers write it, add questions and files, and preview it as
   a head would see it. Nobody else sees a draft.
2. **Scheduled** (``stage`` scheduled, before ``opens_at``): an officer scheduled it; it opens
   by itself at ``opens_at``. Board members see it is coming; schools and trusts do not.
3. **Open** (from ``opens_at``): the audience is invited by email (once, when it opens) and
   answers; reminders go 7 days and 1 day before closing.
4. **Closed** (from ``closes_at``).
5. **Response published**: the officers' "we asked, you said, we did" is published to the
   schools consulted (and emailed to them).

Only the stage (draft or scheduled) is stored; open and closed are always worked out from the
clock (``state_at(now)``), so nothing can leave them stale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pep_portal.platform.models import sent_notifications_relation
from pep_portal.platform.private_files import PrivateFile
from schools.models import Phase


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    NOT_YET_OPEN = "not_yet_open", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Stage(models.TextChoices):
    """What an officer decided: still a draft, or scheduled to open at ``opens_at``."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"


class Audience(models.TextChoices):
    ALL = "all", "All schools in the partnership"
    PHASE = "phase", "Schools of one phase"
    SCHOOLS = "schools", "Chosen schools"
    TRUSTS = "trusts", "Schools in chosen trusts"


class Consultation(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two paragraphs shown in the list and on top.")
    document_html = models.TextField(
        "consultation document",
        blank=True,
        help_text="Sanitised HTML (services.sanitise_document): safe to show as it is.",
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitations_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the audience was invited (once, when it opened)."
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL)
    audience_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    audience_schools = models.ManyToManyField("schools.School", blank=True, related_name="+")
    audience_trusts = models.ManyToManyField("schools.Trust", blank=True, related_name="+")
    feedback_html = models.TextField(
        "we asked, you said, we did",
        blank=True,
        help_text="Sanitised HTML, published to respondents after closing.",
    )
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_notifications = sent_notifications_relation()

    class Meta:
        ordering = ["-closes_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing time must be after the opening time."
        if self.audience == Audience.PHASE and not self.audience_phase:
            errors["audience_phase"] = "Choose the phase of schools to consult."
        if self.audience != Audience.PHASE and self.audience_phase:
            self.audience_phase = ""
        if errors:
            raise ValidationError(errors)

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.stage == Stage.DRAFT:
            return State.DRAFT
        if now < self.opens_at:
            return State.NOT_YET_OPEN
        if now < self.closes_at:
            return State.OPEN
        return State.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def lifecycle_label(self) -> str:
        """The state in words, including "response published" after closing."""
        state = self.state
        if state == State.CLOSED and self.feedback_published:
            return "Closed, response published"
        return State(state).label

    @property
    def is_draft(self) -> bool:
        return self.stage == Stage.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    @property
    def feedback_published(self) -> bool:
        return self.feedback_published_at is not None


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"consultations/{instance.consultation_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(PrivateFile):
    """A file attached to the consultation document; served only through a permission check."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.original_name


SCALE_CHOICES = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]
YES_NO_CHOICES = ["Yes", "No"]


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Agree / disagree scale"
        YES_NO = "yes_no", "Yes / no"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        FREE_TEXT = "free_text", "Free text"
        INTEREST = "interest", "Interest in joining a board or group"

    # Kinds whose answers are counted (charts); free text is read, not counted.
    CLOSED_KINDS = (Kind.SCALE, Kind.YES_NO, Kind.SINGLE, Kind.MULTIPLE, Kind.INTEREST)
    # Kinds whose answer is a list of choices (zero or more).
    LIST_KINDS = (Kind.MULTIPLE, Kind.INTEREST)
    # Kinds whose choices the officer writes (the others have fixed choices).
    CUSTOM_CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.INTEREST)

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField("question")
    help_text = models.TextField(blank=True)
    choices = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Single and multiple choice: the options. Interest in joining: the boards and "
            "groups a school can join (names, until the partnership app lists its boards)."
        ),
    )
    allow_comment = models.BooleanField(
        default=False, help_text="Offer an optional comment box with the answer."
    )
    comment_label = models.CharField(max_length=200, blank=True)
    max_length = models.PositiveIntegerField(
        default=2000, help_text="Free text and comments: the most characters accepted."
    )
    mandatory = models.BooleanField(default=False)

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return f"Q{self.position}. {self.text[:60]}"

    def clean(self) -> None:
        super().clean()
        choices = [str(c).strip() for c in (self.choices or []) if str(c).strip()]
        if len(set(c.casefold() for c in choices)) != len(choices):
            raise ValidationError({"choices": "Each choice must be different."})
        if self.kind in self.CUSTOM_CHOICE_KINDS:
            if self.kind == self.Kind.INTEREST and not choices:
                raise ValidationError(
                    {"choices": "List the boards or groups a school can say it would join."}
                )
            if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE) and len(choices) < 2:
                raise ValidationError({"choices": "Give at least two choices."})
            self.choices = choices
        else:
            self.choices = []
        if self.kind == self.Kind.FREE_TEXT:
            self.allow_comment = False
        if not self.max_length or self.max_length < 10:
            raise ValidationError({"max_length": "Allow at least 10 characters."})

    @property
    def options(self) -> list[str]:
        if self.kind == self.Kind.SCALE:
            return list(SCALE_CHOICES)
        if self.kind == self.Kind.YES_NO:
            return list(YES_NO_CHOICES)
        return list(self.choices or [])

    @property
    def is_closed_kind(self) -> bool:
        return self.kind in self.CLOSED_KINDS

    @property
    def is_list_kind(self) -> bool:
        return self.kind in self.LIST_KINDS

    def meaning(self) -> tuple:
        """What a respondent answered to: changing any of it after a response is refused."""
        return (self.kind, self.text.strip(), tuple(self.options))


class Response(models.Model):
    """One school's response to one consultation (the database allows no second one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not submitted)"
        SUBMITTED = "submitted", "Submitted"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="consultation_responses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "school"], name="one_response_per_school"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="submitted_response_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.consultation.title} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Tag(models.Model):
    """An analyst's label for answers (e.g. "funding", "governance"), per consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="uniq_tag_name")
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """A school's answer to one question.

    ``value`` holds the chosen option (scale, yes/no, single), a list of options (multiple,
    interest) or the text (free text); ``comment`` the optional comment.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(default=str, blank=True)
    comment = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="answers")

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response.school.name}: {self.question}"

    @property
    def is_blank(self) -> bool:
        return not self.value and not self.comment.strip()

    @property
    def display(self) -> str:
        if isinstance(self.value, list):
            return "; ".join(self.value) if self.value else "None of these"
        return str(self.value or "")


class AnswerNote(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Candidate(models.Model):
    """A school an officer recorded as a membership candidate for a board or group.

    The partnership app (boards and memberships) will read these rows; until then the board
    is known by the name offered on the "interest in joining" question.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="candidates"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="candidates")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    board_name = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board_name", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "school", "board_name"], name="uniq_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} for {self.board_name}"


# The emails a school gets about a consultation (its invitation, the closing reminders, the
# published response), each once: logged by pep_portal.platform.notifications under this
# topic, keyed by (consultation, school, kind).
SCHOOL_EMAIL_TOPIC = "consultation.school_email"


class SchoolEmailKind(models.TextChoices):
    OPENED = "op", "Invitation when it opened"
    WEEK = "7d", "7 days before closing"
    DAY = "1d", "1 day before closing"
    RESPONSE = "rp", "Response published"
