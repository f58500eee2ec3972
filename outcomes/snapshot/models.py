"""The nightly snapshot's figure tables: what the outcomes steps of the nightly run write
(``outcomes.nightly``) and the pages and the API read. Models of the ``outcomes`` app
(re-exported by ``outcomes.models``).

Every row carries the run that wrote it; pages read only rows of the published run
(``pep_portal.nightly.models.CurrentSnapshot``). Foreign keys carry no single-column index:
the composite indexes serve the pages' reads and keep the nightly bulk writes fast. Nor do
they carry a database constraint (``db_constraint=False``): every row is written by the
nightly run from the live rows it has just read (its run, schools, LAs and measures), and
PostgreSQL checking 1.7 million rows' keys one by one at each part's commit cost about twice
the write itself (150,000 school figures: 0.7 s to write, 1.3 s of deferred checks; issue 20).
Deleting a school, LA, measure or run through the ORM still deletes its rows (Django's
on_delete=CASCADE), and the prune deletes whole runs' rows.

Moved here from ``pep_portal.accounts`` (issue 17): the tables keep their names
(``pep_portal_indicatorfigure`` ...), so the published snapshot was not copied.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from pep_portal.platform.rag import FIGURE_RAG_CHOICES, Rag

# The fields of a school's figure the schools grid reads for a cell
# (partnership/dashboards/selectors/grid_reads.py), with the school: SchoolFigure's
# schoolfig_grid_cells index includes exactly these, so that read needs no table page.
GRID_CELL_FIELDS = [
    "measure",
    "group",
    "year",
    "value",
    "suppression",
    "rag",
    "rag_reason",
    "cohort",
    "ci_lower",
    "ci_upper",
    "national",
    "significance",
    "rag_code",
    "rag_tolerance",
]


class SnapshotRow(models.Model):
    """A row of the nightly snapshot, tagged with the run that wrote it."""

    run = models.ForeignKey(
        "nightly.NightlyRun",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        abstract = True


class MeasureFigure(SnapshotRow):
    """What an LA's and a school's figure for one measure, pupil group and year share: the
    value with its confidence interval, the national comparison and the indicator's RAG."""

    measure = models.ForeignKey(
        "outcomes.Measure",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
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
    significance = models.CharField(max_length=40, blank=True)
    progress_band = models.CharField(max_length=40, blank=True)
    trend_direction = models.CharField(max_length=20, blank=True)
    rag = models.CharField(max_length=5, choices=FIGURE_RAG_CHOICES, default=Rag.NONE)
    rag_reason = models.CharField(
        max_length=255, blank=True, help_text="Words stored by runs before reason codes."
    )
    rag_code = models.CharField(
        max_length=30, blank=True, help_text="Why the RAG: outcomes.calculations.rag's code."
    )
    rag_tolerance = models.FloatField(null=True, help_text="The tolerance the RAG was judged by.")

    class Meta:
        abstract = True


class IndicatorFigure(MeasureFigure):
    """One LA's figure for a measure, pupil group and year, with everything boards read."""

    la = models.ForeignKey(
        "schools.LocalAuthority",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    neighbours_average = models.FloatField(null=True)
    gap_neighbours = models.FloatField(null=True)
    rank = models.PositiveSmallIntegerField(null=True)
    rank_n = models.PositiveSmallIntegerField(null=True)
    rank_joint = models.BooleanField(default=False)
    quartile = models.CharField(max_length=1, blank=True)
    previous_value = models.FloatField(null=True)
    change = models.FloatField(null=True, help_text="From the previous (consecutive) year.")
    previous_gap = models.FloatField(null=True)
    trend_change = models.FloatField(null=True, help_text="Latest minus two years before.")
    gap_closing = models.BooleanField(null=True)
    target_status = models.CharField(max_length=20, blank=True)
    target_text = models.CharField(max_length=255, blank=True)

    class Meta:
        db_table = "pep_portal_indicatorfigure"
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


# Where an LA's figure stands: against England (national, gap) and among every LA (its rank of
# rank_n, whether joint, and its quartile). Read together by the API and the overview blocks.
LA_STANDING_FIELDS = ("national", "gap", "rank", "rank_n", "rank_joint", "quartile")


class SchoolFigure(MeasureFigure):
    """A school's latest figure for a measure and pupil group, with its indicator RAG."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    la_value = models.FloatField(null=True)
    gap_la = models.FloatField(null=True)
    gap_pupils = models.IntegerField(null=True)
    history = models.JSONField(
        default=dict, blank=True, help_text='The last three years: {"2014": 61.0, ...}.'
    )
    trend_change = models.FloatField(null=True)

    class Meta:
        db_table = "pep_portal_schoolfigure"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "school", "measure", "group"], name="uniq_school_figure"
            )
        ]
        indexes = [
            # The schools grid's read (partnership/dashboards/selectors/grid_reads.py): its
            # schools' all-pupils and disadvantaged figures for the headline measures, from
            # this index alone, one probe per school. By the unique index above PostgreSQL
            # probed once per school, measure and group (1,326 at England scale, 2.3 ms);
            # by this one 51 probes, 0.6 ms (issue 20). A quarter of the rows: ~80 MB a run.
            models.Index(
                fields=["run", "school"],
                include=GRID_CELL_FIELDS,
                condition=Q(group__in=["all", "disadvantaged"]),
                name="schoolfig_grid_cells",
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id} {self.measure_id} {self.group}"


class SchoolSummary(SnapshotRow):
    """A school's overall RAG and its 3Ms concern suggestion, with the reasons."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    la = models.ForeignKey(
        "schools.LocalAuthority",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(null=True)
    rag = models.CharField(max_length=5, choices=FIGURE_RAG_CHOICES, default=Rag.NONE)
    rag_reason = models.CharField(max_length=255, blank=True)
    reds = models.PositiveSmallIntegerField(default=0)
    ambers = models.PositiveSmallIntegerField(default=0)
    greens = models.PositiveSmallIntegerField(default=0)
    ofsted_grade = models.PositiveSmallIntegerField(null=True)
    ofsted_date = models.DateField(null=True)
    concern = models.CharField(max_length=20, blank=True, help_text="3Ms suggestion.")
    concern_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "pep_portal_schoolsummary"
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="uniq_school_summary")
        ]
        indexes = [models.Index(fields=["run", "la"], name="schsum_run_la")]

    def __str__(self) -> str:
        return f"Run {self.run_id} school {self.school_id}: {self.rag}"


class DashboardFigure(SnapshotRow):
    """A ready-made block of figures for one dashboard page (a page reads a handful)."""

    key = models.CharField(max_length=60, help_text="Which block, e.g. 'overview'.")
    la = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    data = models.JSONField(default=dict)

    class Meta:
        db_table = "pep_portal_dashboardfigure"
        constraints = [
            models.UniqueConstraint(fields=["run", "key", "la"], name="uniq_dashboard_figure")
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id} {self.key} LA {self.la_id}"
