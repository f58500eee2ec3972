"""Portal users: one account per person, signing in by email, with one role.

A headteacher (or a delegated school colleague) is linked to one school; a trust user to one
trust. What each role may do is named in each app's ``rules.py``; the role predicates live in
``pep_portal.roles``.
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
    job runs is kept in the cache (``pep_portal.imports.progress_*``) so it is visible
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
