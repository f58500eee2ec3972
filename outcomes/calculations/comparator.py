"""Which national figure a school or LA is compared with.

Rule: the **state-funded** national figure, as DfE compares (performance tables: KS2
RECTYPE 5, KS4 RECTYPE 7; EES and LAIT: "England (state-funded)" / "State-funded schools").
The importers keep that row as the one national result per measure, year and pupil group and
skip the all-schools row; the nightly run takes every gap, RAG and target from it.

Progress scores are the exception that proves the rule: their national average is 0 by
construction, so their significance is their confidence interval against 0
(``significance.significance``), never against a published national row.
"""

from __future__ import annotations

from collections.abc import Mapping

# The performance tables' RECTYPE of the state-funded national row, by key stage (from the
# DfE meta files: KS2 2018/19 meta; KS4 2017/18).
STATE_FUNDED_RECTYPE: Mapping[str, str] = {"ks2": "5", "ks4": "7"}

COMPARATOR_NOTE = (
    "National means England, state-funded schools (as DfE compares); a progress score is "
    "compared with 0, the national average by construction."
)


def comparator_note() -> str:
    """The small print the pages show under a table of figures."""
    return COMPARATOR_NOTE
