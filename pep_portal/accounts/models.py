"""Portal users: one account per person, signing in by email, with one role.

A headteacher (or a delegated school colleague) is linked to one school; a trust user to one
trust. What each role may do is named in each app's ``rules.py``; the role predicates live in
``pep_portal.accounts.roles``.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    BOARD_MEMBER = "board_member", "Board member"
    OFFICER = "officer", "Officer"
    HEADTEACHER = "headteacher", "Headteacher"
    SCHOOL_STAFF = "school_staff", "School colleague (delegated by the head)"
    TRUST_USER = "trust_user", "Trust user"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD_MEMBER)
    job_title = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Headteachers and school colleagues: the school they act for.",
    )
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Trust users: the trust whose schools they see.",
    )
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").lower()
        if self.role in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and not self.school_id:
            raise ValidationError({"school": "A headteacher or school colleague needs a school."})
        if self.role == Role.TRUST_USER and not self.trust_id:
            raise ValidationError({"trust": "A trust user needs a trust."})
        if self.role not in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and self.school_id:
            raise ValidationError(
                {"school": "Only headteachers and school colleagues have a school."}
            )
        if self.role != Role.TRUST_USER and self.trust_id:
            raise ValidationError({"trust": "Only trust users have a trust."})


class ImportJob(models.Model):
    """One file an officer uploaded (or a command ran) for import, with its outcome.

    The file is stored under MEDIA_ROOT/imports/ (never served directly). Progress while a
    job runs is kept in the cache (``pep_portal.imports.framework.progress_*``) so it is visible
    outside the import's transaction; the final outcome is written here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Rejected"

    kind = models.CharField(max_length=40, help_text="Which importer: gias, ofsted, results, ...")
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.original_name} ({self.get_status_display()})"


# --- The nightly run ---------------------------------------------------------------------
# A run computes every figure the pages read into snapshot rows tagged with its id; pages read
# the rows of the run CurrentSnapshot points at. See pep_portal/nightly/.


class NightlyRun(models.Model):
    """One nightly computation: its outcome, and whether its snapshot is the one served."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        OFFICER = "officer", "Officer (recompute now)"
        COMMAND = "command", "Command line"
        DEMO = "demo", "Demo data load"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # True while queued or running, NULL once finished: a unique constraint on it is the lock
    # that stops two runs interleaving (works the same on PostgreSQL and SQLite).
    active = models.BooleanField(null=True, default=True, editable=False)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    triggered_by = models.ForeignKey(
        "pep_portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from a worker (stale-run detection)."
    )
    stage = models.PositiveSmallIntegerField(default=0)
    stage_name = models.CharField(max_length=200, blank=True)
    stages_total = models.PositiveSmallIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0, help_text="Chunks in the current stage.")
    rows_written = models.BigIntegerField(default=0)
    peak_memory_kb = models.BigIntegerField(
        default=0, help_text="Largest resident memory of a worker process running a chunk."
    )
    errors = models.JSONField(default=list, blank=True)
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    snapshot_pruned = models.BooleanField(
        default=False, help_text="Its snapshot rows were deleted (failed, or superseded)."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="one_active_nightly_run",
            )
        ]

    def __str__(self) -> str:
        return f"Nightly run {self.pk} ({self.get_status_display()})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class NightlyChunk(models.Model):
    """One finished chunk of one step of a run (written in the same transaction as its rows).

    Its existence makes a redelivered chunk task a no-op, and counts progress.
    """

    nightly_run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="chunks")
    step = models.CharField(max_length=80)
    index = models.PositiveIntegerField()
    rows_written = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    peak_memory_kb = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nightly_run", "step", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["nightly_run", "step", "index"], name="uniq_nightly_chunk"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.nightly_run_id} {self.step} #{self.index}"


class CurrentSnapshot(models.Model):
    """The single pointer to the published run whose snapshot rows the pages read.

    Publishing a run is one UPDATE of this row, in one transaction: readers see the old
    snapshot or the new one, never a mixture.
    """

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    run = models.ForeignKey(NightlyRun, null=True, on_delete=models.PROTECT, related_name="+")
    switched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="one_current_snapshot")
        ]

    def __str__(self) -> str:
        return f"Current snapshot: run {self.run_id}"


# --- Snapshot rows (written by the nightly run's steps, read by the pages and the API) -----
# Every row carries the run that wrote it; pages read only rows of CurrentSnapshot.run.
# Foreign keys carry no single-column index: the composite indexes serve the pages' reads
# and keep the nightly bulk writes fast.


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NONE = "none", "No rating"


class IndicatorFigure(models.Model):
    """One LA's figure for a measure, pupil group and year, with everything boards read."""

    run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    measure = models.ForeignKey(
        "outcomes.Measure", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    la = models.ForeignKey(
        "schools.LocalAuthority", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=20)
    value = models.FloatField(null=True)
    suppression = models.CharField(max_length=20, blank=True)
    cohort = models.PositiveIntegerField(null=True)
    ci_lower = models.FloatField(null=True)
    ci_upper = models.FloatField(null=True)
    national = models.FloatField(null=True)
    gap = models.FloatField(null=True, help_text="Value minus national, unrounded.")
    neighbours_average = models.FloatField(null=True)
    gap_neighbours = models.FloatField(null=True)
    rank = models.PositiveSmallIntegerField(null=True)
    rank_n = models.PositiveSmallIntegerField(null=True)
    rank_joint = models.BooleanField(default=False)
    quartile = models.CharField(max_length=1, blank=True)
    significance = models.CharField(max_length=40, blank=True)
    progress_band = models.CharField(max_length=40, blank=True)
    previous_value = models.FloatField(null=True)
    change = models.FloatField(null=True, help_text="From the previous (consecutive) year.")
    previous_gap = models.FloatField(null=True)
    trend_change = models.FloatField(null=True, help_text="Latest minus two years before.")
    trend_direction = models.CharField(max_length=20, blank=True)
    gap_closing = models.BooleanField(null=True)
    target_status = models.CharField(max_length=20, blank=True)
    target_text = models.CharField(max_length=255, blank=True)
    rag = models.CharField(max_length=5, choices=RAG.choices, default=RAG.NONE)
    rag_reason = models.CharField(
        max_length=255, blank=True, help_text="Words stored by runs before reason codes."
    )
    rag_code = models.CharField(
        max_length=30, blank=True, help_text="Why the RAG: outcomes.calculations.rag's code."
    )
    rag_tolerance = models.FloatField(null=True, help_text="The tolerance the RAG was judged by.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "la", "measure", "year", "group"], name="uniq_indicator_figure"
            )
        ]
        indexes = [
            models.Index(fields=["run", "measure", "year", "group"], name="indfig_run_measure"),
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} LA {self.la_id} {self.measure_id} {self.year} {self.group}"


class SchoolFigure(models.Model):
    """A school's latest figure for a measure and pupil group, with its indicator RAG."""

    run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    measure = models.ForeignKey(
        "outcomes.Measure", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=20)
    value = models.FloatField(null=True)
    suppression = models.CharField(max_length=20, blank=True)
    cohort = models.PositiveIntegerField(null=True)
    ci_lower = models.FloatField(null=True)
    ci_upper = models.FloatField(null=True)
    la_value = models.FloatField(null=True)
    national = models.FloatField(null=True)
    gap = models.FloatField(null=True, help_text="Value minus national, unrounded.")
    gap_la = models.FloatField(null=True)
    gap_pupils = models.IntegerField(null=True)
    significance = models.CharField(max_length=40, blank=True)
    progress_band = models.CharField(max_length=40, blank=True)
    history = models.JSONField(
        default=dict, blank=True, help_text='The last three years: {"2014": 61.0, ...}.'
    )
    trend_change = models.FloatField(null=True)
    trend_direction = models.CharField(max_length=20, blank=True)
    rag = models.CharField(max_length=5, choices=RAG.choices, default=RAG.NONE)
    rag_reason = models.CharField(
        max_length=255, blank=True, help_text="Words stored by runs before reason codes."
    )
    rag_code = models.CharField(
        max_length=30, blank=True, help_text="Why the RAG: outcomes.calculations.rag's code."
    )
    rag_tolerance = models.FloatField(null=True, help_text="The tolerance the RAG was judged by.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "school", "measure", "group"], name="uniq_school_figure"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id} {self.measure_id} {self.group}"


class SchoolSummary(models.Model):
    """A school's overall RAG and its 3Ms concern suggestion, with the reasons."""

    run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    la = models.ForeignKey(
        "schools.LocalAuthority", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(null=True)
    rag = models.CharField(max_length=5, choices=RAG.choices, default=RAG.NONE)
    rag_reason = models.CharField(max_length=255, blank=True)
    reds = models.PositiveSmallIntegerField(default=0)
    ambers = models.PositiveSmallIntegerField(default=0)
    greens = models.PositiveSmallIntegerField(default=0)
    ofsted_grade = models.PositiveSmallIntegerField(null=True)
    ofsted_date = models.DateField(null=True)
    concern = models.CharField(max_length=20, blank=True, help_text="3Ms suggestion.")
    concern_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="uniq_school_summary")
        ]
        indexes = [models.Index(fields=["run", "la"], name="schsum_run_la")]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id}: {self.rag}"


class DashboardFigure(models.Model):
    """A ready-made block of figures for one dashboard page (a page reads a handful)."""

    run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=60, help_text="Which block, e.g. 'overview'.")
    la = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "key", "la"], name="uniq_dashboard_figure")
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} {self.key} LA {self.la_id}"
