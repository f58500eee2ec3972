"""Reads for the board dashboards: published nightly snapshot rows only, a fixed number of
queries per page whatever the number of schools, scoped by the user who asks.

Nothing is computed here that the nightly run computes (ranks, gaps, RAG, trends, 3Ms
suggestions): the rows are read as the run wrote them and only arranged and worded for
display. Every page's context starts from :func:`snapshot_info` (which run, which LA, which
data years are provisional).

One module per page (overview, headline_page, key_stages, grid, compare, school_page,
similar); common.py holds what they share. The pages' names are re-exported here.
"""

from .common import (
    KEY_STAGE_PAGES,
    RAG_WORDS,
    SnapshotInfo,
    partnership_trust_choices,
    snapshot_info,
    trust_for_page,
    year_label,
)
from .compare import COMPARE_MAX, compare
from .grid import (
    Grid,
    grid,
    grid_years,
    headline_measures,
    snapshot_grid_years,
    sort_options,
    trust_aggregates,
)
from .headline_page import headline_facts, headlines_page
from .key_stages import key_stage_page
from .overview import overview
from .school_page import school_for_page, school_page
from .similar import similar_schools

__all__ = [
    "COMPARE_MAX",
    "KEY_STAGE_PAGES",
    "RAG_WORDS",
    "Grid",
    "SnapshotInfo",
    "compare",
    "grid",
    "grid_years",
    "headline_measures",
    "headline_facts",
    "headlines_page",
    "key_stage_page",
    "overview",
    "partnership_trust_choices",
    "school_for_page",
    "school_page",
    "similar_schools",
    "snapshot_grid_years",
    "snapshot_info",
    "sort_options",
    "trust_aggregates",
    "trust_for_page",
    "year_label",
]
