"""Similar schools: the schools nearest to one school by disadvantage, prior attainment and size.

The method, as the school page states it:

1. The pool is the other open schools of the same phase (the page's caller chooses them).
2. Inputs: disadvantage (% of pupils eligible for free school meals), prior attainment (the
   tested cohort's average prior attainment points score) and size (pupils on roll).
3. Each input is standardised over the pool and the school: z = (x - mean) / SD, with the
   population standard deviation. An input is used only if the school has it and it varies
   across the pool (SD > 0); a candidate missing a used input is left out.
4. The distance between two schools is the Euclidean distance between their z-scores over
   the inputs used: sqrt(sum((z_a - z_b)^2)). The nearest come first; equal distances go by
   name.

Pure functions over plain values (no ORM), tested with hand-worked figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

INPUTS: tuple[tuple[str, str], ...] = (
    ("fsm", "Free school meals (%)"),
    ("prior", "Prior attainment (cohort average points)"),
    ("size", "Pupils on roll"),
)
DEFAULT_COUNT = 5


@dataclass(frozen=True)
class Candidate:
    key: int
    name: str
    fsm: float | None
    prior: float | None
    size: float | None

    def value(self, name: str) -> float | None:
        found: float | None = getattr(self, name)
        return found


@dataclass(frozen=True)
class InputScale:
    name: str
    label: str
    mean: float
    sd: float
    n: int


@dataclass(frozen=True)
class Neighbour:
    candidate: Candidate
    distance: float
    z: dict[str, float]  # the candidate's z-score on each input used


@dataclass
class Similar:
    school: Candidate
    used: list[InputScale]
    unused: list[tuple[str, str]]  # (label, why)
    school_z: dict[str, float]
    nearest: list[Neighbour]
    left_out: list[Candidate] = field(default_factory=list)  # missing a used input


def _scale(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return mean, sd


def similar_schools(
    school: Candidate, pool: Sequence[Candidate], *, count: int = DEFAULT_COUNT
) -> Similar:
    """The ``count`` candidates of ``pool`` nearest to ``school`` (see the module docstring)."""
    pool = [c for c in pool if c.key != school.key]
    used: list[InputScale] = []
    unused: list[tuple[str, str]] = []
    for name, label in INPUTS:
        if school.value(name) is None:
            unused.append((label, "not recorded for this school"))
            continue
        values = [v for c in (school, *pool) if (v := c.value(name)) is not None]
        mean, sd = _scale(values)
        if sd == 0:
            unused.append((label, "the same for every school compared"))
            continue
        used.append(InputScale(name, label, mean, sd, len(values)))

    def z_of(c: Candidate) -> dict[str, float]:
        return {s.name: (float(c.value(s.name) or 0.0) - s.mean) / s.sd for s in used}

    school_z = z_of(school) if used else {}
    nearest, left_out = [], []
    for c in pool:
        if not used:
            break
        if any(c.value(s.name) is None for s in used):
            left_out.append(c)
            continue
        z = z_of(c)
        distance = math.sqrt(sum((z[s.name] - school_z[s.name]) ** 2 for s in used))
        nearest.append(Neighbour(c, distance, z))
    nearest.sort(key=lambda n: (n.distance, n.candidate.name.lower(), n.candidate.key))
    return Similar(
        school=school,
        used=used,
        unused=unused,
        school_z=school_z,
        nearest=nearest[:count],
        left_out=left_out,
    )
