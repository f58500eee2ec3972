"""Shared by the dashboard pages: the snapshot every page states (which run, which LA, which
data years are provisional), the words and sort orders, and the number formatting."""

from __future__ import annotations

from dataclasses import dataclass, field

from outcomes.models import KeyStage, Unit
from outcomes.selectors import partnership_la
from partnership.categorisation.models import Concern
from pep_portal.nightly.models import NightlyRun
from pep_portal.nightly.selectors import current_run
from schools.models import LocalAuthority, OfstedGrade, Trust
from schools.selectors import OPEN_STATUSES

from . import grid_reads

TREND = {
    "improving": ("\u25b2", "improving"),
    "declining": ("\u25bc", "declining"),
    "no change": ("\u25ba", "no change"),
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "No rating"}
RAG_SORT = {"red": 0, "amber": 1, "green": 2, "none": 3, "": 3}
CONCERN_WORDS = dict(Concern.choices)
CONCERN_SORT = {"maximum": 0, "moderate": 1, "minimum": 2, "": 3}
OFSTED_WORDS = dict(OfstedGrade.choices)
UNIT_LABELS = {
    Unit.PERCENT: "% of pupils",
    Unit.SCORE: "Average score",
    Unit.PROGRESS: "Progress score",
    Unit.COUNT: "Count",
}

# The key stage pages: URL slug -> (title, key stages shown).
KEY_STAGE_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "early-years": (
        "Early years, phonics and key stage 1",
        (KeyStage.EYFSP, KeyStage.PHONICS, KeyStage.KS1),
    ),
    "ks2": ("Key stage 2", (KeyStage.KS2,)),
    "ks4": ("Key stage 4", (KeyStage.KS4,)),
    "attendance": ("Attendance", (KeyStage.ATTENDANCE,)),
    "16-19": ("16 to 19", (KeyStage.POST16,)),
}
PAGE_OF_KEY_STAGE = {ks: slug for slug, (_, kss) in KEY_STAGE_PAGES.items() for ks in kss}

# The schools grid's indicator columns: the active headline measures (officers choose them
# in the measure catalogue), in catalogue order, where any school shown has a figure.


def year_label(year: int | None) -> str:
    """2016 -> "2015/16"."""
    return f"{year - 1}/{str(year)[-2:]}" if year else ""


# --- The snapshot every page states ------------------------------------------------------


@dataclass
class SnapshotInfo:
    run: NightlyRun | None
    la: LocalAuthority | None
    provisional_years: list[int] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.run is not None and self.la is not None


def snapshot_info() -> SnapshotInfo:
    """The published run, the partnership's LA and which of its data years are provisional
    (3 queries). Provisional is the status of the published source rows the run read."""
    run = current_run()
    la = partnership_la()
    provisional = [] if la is None else grid_reads.provisional_years(la_id=la.pk)
    return SnapshotInfo(run=run, la=la, provisional_years=provisional)


def trend_words(direction: str | None) -> dict:
    arrow, word = TREND.get(direction or "", ("", "no trend (fewer than three years)"))
    return {"arrow": arrow, "word": word, "key": direction or "none"}


KEY_STAGE_TITLES = dict(KeyStage.choices)

# Open as everywhere in the portal (a school proposed to open is not open yet).
OPEN = OPEN_STATUSES


def partnership_trust_choices() -> list[tuple[int, str]]:
    """Trusts with an open school in the partnership, for the grid's trust filter."""
    return grid_reads.trusts_with_open_schools(statuses=[str(s) for s in OPEN])


def trust_for_page(*, pk: int) -> Trust | None:
    return Trust.objects.filter(pk=pk).first()
