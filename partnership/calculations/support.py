"""The figures boards ask for about school-to-school support, over plain rows (no ORM).

Counted for one academic year: a deployment belongs to the year it starts in; cancelled ones
never count. "From a MAT" means the leader's home school was in a multi-academy trust when
deployed. A school "has support" in the year when any counted deployment supports it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

CATEGORIES = ("minimum", "moderate", "maximum")
CONCERN_NEEDING_SUPPORT = ("moderate", "maximum")


@dataclass(frozen=True)
class DeploymentRow:
    supported_school_id: int
    focus: str
    days: Decimal
    from_mat: bool
    cancelled: bool = False


@dataclass
class CategorySupport:
    category: str
    schools: int
    supported: int

    @property
    def unsupported(self) -> int:
        return self.schools - self.supported


@dataclass
class SupportFigures:
    deployments: int
    from_mats: int
    total_days: Decimal
    days_by_focus: dict[str, Decimal]
    schools_supported: int
    by_category: list[CategorySupport]
    concern_without_support: list[int] = field(default_factory=list)

    @property
    def mat_share_percent(self) -> Decimal | None:
        """Share of deployments brokered from MATs, unrounded (None when there are none)."""
        if not self.deployments:
            return None
        return Decimal(self.from_mats * 100) / Decimal(self.deployments)


def support_figures(
    deployments: list[DeploymentRow], latest_category: dict[int, str]
) -> SupportFigures:
    """``latest_category`` maps school id -> its latest 3Ms decision ("minimum"...)."""
    counted = [d for d in deployments if not d.cancelled]
    days_by_focus: defaultdict[str, Decimal] = defaultdict(Decimal)
    for d in counted:
        days_by_focus[d.focus] += Decimal(d.days)
    supported = {d.supported_school_id for d in counted}
    by_category = []
    for category in CATEGORIES:
        schools = [s for s, c in latest_category.items() if c == category]
        by_category.append(
            CategorySupport(
                category=category,
                schools=len(schools),
                supported=sum(1 for s in schools if s in supported),
            )
        )
    gap = sorted(
        s for s, c in latest_category.items() if c in CONCERN_NEEDING_SUPPORT and s not in supported
    )
    return SupportFigures(
        deployments=len(counted),
        from_mats=sum(1 for d in counted if d.from_mat),
        total_days=sum((Decimal(d.days) for d in counted), Decimal(0)),
        days_by_focus=dict(sorted(days_by_focus.items(), key=lambda kv: (-kv[1], kv[0]))),
        schools_supported=len(supported),
        by_category=by_category,
        concern_without_support=gap,
    )
