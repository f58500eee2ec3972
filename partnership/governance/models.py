"""Boards, members, interests, meetings, agenda items, papers, attendance, minutes,
decisions, actions, board packs, calendar tokens and the meeting reminders' kinds.

Writes go through ``partnership.governance.services``; reads through
``partnership.governance.selectors``. Models hold fields, constraints and simple derived
properties only.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pep_portal.platform.models import sent_notifications_relation
from pep_portal.platform.private_files import PrivateFile


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    vision = models.TextField(blank=True)
    principles = models.TextField(blank=True, help_text="One principle per line.")
    priorities = models.TextField(blank=True, help_text="One priority per line.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def principle_list(self) -> list[str]:
        return [line.strip() for line in self.principles.splitlines() if line.strip()]

    @property
    def priority_list(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]


class Board(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", "Strategic board"
        OPERATIONAL = "operational", "Operational group"
        SUB_GROUP = "sub_group", "Sub-group"
        TASK_AND_FINISH = "task_and_finish", "Task and finish group"

    class Frequency(models.TextChoices):
        TERMLY = "termly", "Termly"
        HALF_TERMLY = "half_termly", "At least half-termly"
        MONTHLY = "monthly", "Monthly"
        AS_NEEDED = "as_needed", "As needed"

    class QuorumBasis(models.TextChoices):
        ALL_MEMBERS = "all", "All members (co-opted members counted)"
        VOTING_MEMBERS = "voting", "Voting members only (co-opted non-voting not counted)"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The board this group reports to.",
    )
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    meeting_frequency = models.CharField(max_length=20, choices=Frequency.choices)
    chair_rule = models.CharField(
        max_length=200, blank=True, help_text="Who chairs, per the terms, e.g. 'Independent chair'."
    )
    quorum_percent = models.PositiveSmallIntegerField(
        default=50, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    quorum_basis = models.CharField(
        max_length=10, choices=QuorumBasis.choices, default=QuorumBasis.VOTING_MEMBERS
    )
    papers_notice_days = models.PositiveSmallIntegerField(
        default=7, help_text="Agenda and papers go out at least this many days before a meeting."
    )
    minutes_agreed_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The board whose later meeting agrees these minutes; empty means this board.",
    )

    class Meta:
        ordering = ["partnership", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="uniq_board_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def minutes_board(self) -> Board:
        return self.minutes_agreed_by or self


class Person(models.Model):
    """Someone who sits on a board. Not everyone has a portal login: link a User when they do."""

    name = models.CharField(
        max_length=200, help_text="A name, or a role such as 'Primary headteacher 1'."
    )
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="For reminders when there is no login.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def contact_email(self) -> str:
        if self.user_id and self.user.email:
            return self.user.email
        return self.email


class Represents(models.TextChoices):
    INDEPENDENT = "independent", "Independent"
    SECONDARY_HEAD = "secondary_head", "Secondary headteacher"
    PRIMARY_HEAD = "primary_head", "Primary headteacher"
    SPECIAL_HEAD = "special_head", "Special school headteacher"
    ACADEMY_TRUST = "academy_trust", "Academy trust"
    POST16 = "post16", "Post-16 provider"
    HIGHER_EDUCATION = "he", "Higher education"
    DIOCESE = "diocese", "Diocese"
    LA_OFFICER = "la_officer", "Local authority officer"
    LA_DATA = "la_data", "Local authority data team"
    RSC = "rsc", "Regional Schools Commissioner"
    TEACHING_SCHOOL = "teaching_school", "Teaching school"
    MATHS_HUB = "maths_hub", "Maths hub"
    BUSINESS = "business", "Business / employers"
    PARENTS = "parents", "Parents and carers"
    OTHER = "other", "Other"


class Membership(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        SECRETARY = "secretary", "Secretary"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    represents = models.CharField(max_length=30, choices=Represents.choices)
    voting = models.BooleanField(default=True, help_text="Untick for co-opted non-voting members.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["board", "position", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()}, {self.board})"

    def is_current(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def kind_label(self) -> str:
        return "Voting" if self.voting else "Co-opted (non-voting)"


class MembershipReview(models.Model):
    """The annual agreement of a board's membership (first meeting of the academic year)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reviews")
    academic_year = models.PositiveSmallIntegerField(help_text="Start year: 2016 = 2016/17.")
    reviewed_on = models.DateField()
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["board", "-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["board", "academic_year"], name="uniq_review_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.board}: membership review {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year}/{(self.academic_year + 1) % 100:02d}"


class MembershipReviewEntry(models.Model):
    review = models.ForeignKey(MembershipReview, on_delete=models.CASCADE, related_name="entries")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    continues = models.BooleanField()

    class Meta:
        ordering = ["review", "-continues", "membership__person__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "membership"], name="uniq_review_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.person}: {'continues' if self.continues else 'leaves'}"


class Interest(models.Model):
    """The register of interests: what a member has declared, and when."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "Employment or office"
        GOVERNANCE = "governance", "Governor, trustee or director"
        FINANCIAL = "financial", "Financial interest"
        FAMILY = "family", "Close family connection"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-declared_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}, {self.organisation}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class MinutesStatus(models.TextChoices):
        NONE = "none", "Not yet drafted"
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    papers_published_at = models.DateTimeField(null=True, blank=True)
    papers_late_reason = models.CharField(max_length=300, blank=True)
    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(
        max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE
    )
    minutes_drafted_at = models.DateTimeField(null=True, blank=True)
    minutes_agreed_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_agreed_here",
        help_text="The later meeting at which these minutes were agreed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_notifications = sent_notifications_relation()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["board", "starts_at"], name="uniq_meeting_start"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(minutes_status="agreed") | Q(minutes_agreed_at__isnull=False),
                name="agreed_minutes_name_their_meeting",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        if not self.starts_at:
            return str(self.board)
        return f"{self.board}, {timezone.localtime(self.starts_at):%d %b %Y}"

    @property
    def meeting_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def papers_due_on(self) -> dt.date:
        return self.meeting_date - dt.timedelta(days=self.board.papers_notice_days)

    @property
    def papers_late(self) -> bool:
        """Papers went out after the notice period began (or, once held, never went out)."""
        if self.papers_published_at is None:
            return self.status == self.Status.HELD
        return timezone.localtime(self.papers_published_at).date() > self.papers_due_on


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies"
        DECLARATIONS = "declarations", "Declarations of interest"
        MINUTES = "minutes", "Minutes of a previous meeting"
        ACTION_LOG = "action_log", "Action log"
        BUSINESS = "business", "Item of business"
        AOB = "aob", "Any other business"

    STANDARD_KINDS = (Kind.APOLOGIES, Kind.DECLARATIONS, Kind.MINUTES, Kind.ACTION_LOG)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    presenter = models.CharField(max_length=200, blank=True)
    minutes_of = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_items",
        help_text="For a minutes item: the earlier meeting whose minutes are to be agreed.",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="uniq_agenda_number"),
            models.CheckConstraint(
                condition=Q(kind="minutes") | Q(minutes_of__isnull=True),
                name="only_minutes_items_name_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_standard(self) -> bool:
        return self.kind in self.STANDARD_KINDS


def paper_upload_to(instance, filename: str) -> str:
    return f"partnership/papers/{secrets.token_hex(8)}/{filename}"


class Paper(PrivateFile):
    """A paper attached to an agenda item. Stored under MEDIA_ROOT, served only via a view."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=paper_upload_to, max_length=300)

    class Meta:
        ordering = ["agenda_item", "title"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "membership__person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="uniq_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.person}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """An action from a meeting: carried on every later meeting's action log until closed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="actions")
    raised_at = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions_raised")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    owner_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="When the owner is not a member (e.g. 'LA data team').",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions_closed"
    )
    closed_on = models.DateField(null=True, blank=True)
    progress_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="closed_actions_have_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name


def pack_upload_to(instance, filename: str) -> str:
    return f"partnership/packs/{instance.meeting_id}/{secrets.token_hex(8)}-{filename}"


class BoardPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=pack_upload_to, max_length=300, blank=True)
    pages = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-requested_at"]
        get_latest_by = "requested_at"

    def __str__(self) -> str:
        return f"Board pack for {self.meeting} ({self.get_status_display()})"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL (calendar clients cannot sign in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar link for {self.user}"


# Each member is reminded of a meeting once per kind (papers a week before, the meeting a day
# before): pep_portal.platform.notifications logs it under this topic, keyed by (meeting,
# person, kind).
REMINDER_TOPIC = "partnership.meeting_reminder"


class ReminderKind(models.TextChoices):
    PAPERS = "papers", "Papers (a week before)"
    MEETING = "meeting", "Meeting (a day before)"
