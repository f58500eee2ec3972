"""The outcomes steps of the nightly run (registered with pep_portal.nightly).

Stage 10, ``outcomes_las`` (one part per measure): every LA x group x year of the measure
(``snapshot.la_figures``).

Stage 20, ``outcomes_schools`` (one part per few LAs, so more workers finish sooner and
each part pays its fixed queries once for several LAs): for every school its latest figure
per measure and group with the indicator RAG (``snapshot.school_figures``), an overall
school RAG and the 3Ms concern suggestion with its reasons (``snapshot.school_summaries``).

Stage 30, ``outcomes_dashboards`` (one part): the blocks each dashboard page reads
(``snapshot.dashboard_blocks``).

Rows are read once per part straight into DataFrames (``snapshot.reads``: COPY on
PostgreSQL); every rule comes from ``outcomes.calculations``; rows are written in bulk
(PostgreSQL COPY) tagged with the run. RAG reasons are stored as codes with the tolerance
they were judged by; their words are formatted when read.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Exists, OuterRef

from pep_portal.nightly import nightly_step
from pep_portal.nightly.writer import write_frame
from schools.models import School
from schools.selectors import open_schools

from .models import DashboardFigure, IndicatorFigure, Measure, Result, SchoolFigure, SchoolSummary
from .snapshot.dashboard_blocks import dashboard_blocks
from .snapshot.la_figures import la_figures
from .snapshot.school_figures import renamed, school_figures
from .snapshot.school_summaries import school_summaries

# LAs per part of the school stage. England's 152 LAs make 38 parts: few enough that each
# part's fixed cost (comparators, inspections, the measure catalogue) is paid 38 times, not
# 152; enough that two or more workers share them evenly.
LAS_PER_PART = 4


# --- Stage 10: every LA, one part per measure ---------------------------------------------


def measure_chunks(run_id: int) -> list[list[int]]:
    ids = Measure.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return [[pk] for pk in ids]


@nightly_step(
    "outcomes_las",
    order=10,
    chunks=measure_chunks,
    snapshot_models=["outcomes.IndicatorFigure"],
    label="LA figures, ranks and RAG",
)
def outcomes_las(*, run_id: int, chunk: list[int]) -> int:
    written = 0
    for measure in Measure.objects.filter(pk__in=chunk):
        written += write_frame(IndicatorFigure, la_figures(measure, run_id=run_id))
    return written


# --- Stage 20: every school, one part per few LAs -----------------------------------------


def la_chunks(run_id: int) -> list[list[int]]:
    """The LAs with school results, biggest first (the last parts to finish are small),
    ``LAS_PER_PART`` to a part."""
    sizes = (
        School.objects.filter(Exists(Result.objects.filter(school_id=OuterRef("pk"))))
        .values("la_id")
        .annotate(schools=Count("pk"))
        .order_by("-schools", "la_id")
        .values_list("la_id", flat=True)
    )
    ids = list(sizes)
    return [ids[i : i + LAS_PER_PART] for i in range(0, len(ids), LAS_PER_PART)]


@nightly_step(
    "outcomes_schools",
    order=20,
    chunks=la_chunks,
    snapshot_models=["outcomes.SchoolFigure", "outcomes.SchoolSummary"],
    label="School figures, RAG and 3Ms suggestions",
)
def outcomes_schools(*, run_id: int, chunk: list[int]) -> int:
    measures = {m.pk: m for m in Measure.objects.filter(is_active=True)}
    latest = school_figures(la_ids=chunk, measures=measures, run_id=run_id)
    # Summaries (counts, school RAG, 3Ms) for open schools only, as of this run; figures for
    # every school with results, so a closed school's history stays readable.
    schools = pd.DataFrame.from_records(
        list(open_schools().filter(la_id__in=chunk).values_list("pk", "la_id")),
        columns=["school", "la"],
    )
    summaries = school_summaries(latest, schools, measures, run_id=run_id)
    return write_frame(SchoolFigure, renamed(latest)) + write_frame(SchoolSummary, summaries)


# --- Stage 30: the dashboard blocks -------------------------------------------------------


@nightly_step(
    "outcomes_dashboards",
    order=30,
    snapshot_models=["outcomes.DashboardFigure"],
    label="Dashboard figures",
)
def outcomes_dashboards(*, run_id: int, chunk=None) -> int:
    return write_frame(DashboardFigure, dashboard_blocks(run_id=run_id))
