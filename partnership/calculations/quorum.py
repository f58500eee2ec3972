"""Quorum: how many members must be present, and whether a meeting has them.

The Strategic Board's terms say "the quorum shall be 50% of the members of the Strategic Board
present". Where a board counts voting members only, co-opted non-voting members neither count
towards the total nor towards those present.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemberPresence:
    voting: bool
    present: bool


@dataclass(frozen=True)
class QuorumResult:
    counted_members: int
    present: int
    required: int
    percent: int
    voting_only: bool

    @property
    def met(self) -> bool:
        return self.counted_members > 0 and self.present >= self.required

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.present)


def quorum_required(counted_members: int, percent: int) -> int:
    """The smallest number present that is at least ``percent`` of the counted members.

    Integer arithmetic, so 50% of 10 is exactly 5 and 50% of 9 is 5 (4.5 rounded up).
    """
    if counted_members <= 0:
        return 0
    return max(1, -(-counted_members * percent // 100))


def quorum_check(members: list[MemberPresence], *, percent: int, voting_only: bool) -> QuorumResult:
    counted = [m for m in members if m.voting or not voting_only]
    present = sum(1 for m in counted if m.present)
    return QuorumResult(
        counted_members=len(counted),
        present=present,
        required=quorum_required(len(counted), percent),
        percent=percent,
        voting_only=voting_only,
    )
