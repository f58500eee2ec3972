"""Which key stages a school teaches, from its statutory age range and phase (pure).

A school teaches a year group when the pupils' age at the start of that year lies in its
statutory range (low age inclusive, high age exclusive: an infant school 4-7 teaches
Reception, Year 1 and Year 2). Each published measure belongs to one year group:

- EYFSP: end of Reception (age 4 at the start of the year);
- phonics: Year 1 (age 5); key stage 1: Year 2 (age 6); key stage 2: Year 6 (age 10);
- key stage 4: Year 11 (age 15); 16 to 19: Years 12-13 (ages 16-17);
- attendance: any compulsory school age (5 to 15).

Nursery schools teach no key stage. So an infant school has EYFSP, phonics and KS1 but no
KS2; a junior school (7-11) has KS2 but no EYFSP, phonics or KS1.
"""

from __future__ import annotations

EYFSP, PHONICS, KS1, KS2, KS4, POST16, ATTENDANCE = (
    "eyfsp",
    "phonics",
    "ks1",
    "ks2",
    "ks4",
    "post16",
    "attendance",
)

# key stage -> the ages (at the start of the school year) of the year group it is measured in
KEY_STAGE_AGES: dict[str, tuple[int, ...]] = {
    EYFSP: (4,),
    PHONICS: (5,),
    KS1: (6,),
    KS2: (10,),
    KS4: (15,),
    POST16: (16, 17),
    ATTENDANCE: tuple(range(5, 16)),
}
NO_KEY_STAGES_PHASES = {"nursery"}


def key_stages_taught(low_age: int | None, high_age: int | None, phase: str = "") -> set[str]:
    """The key stages (outcomes KeyStage values) a school with this age range teaches.

    An unknown age range teaches nothing: a figure is never invented for a school whose
    range the register does not give.
    """
    if low_age is None or high_age is None or phase in NO_KEY_STAGES_PHASES:
        return set()
    return {
        stage
        for stage, ages in KEY_STAGE_AGES.items()
        if any(low_age <= age < high_age for age in ages)
    }


def teaches(key_stage: str, low_age: int | None, high_age: int | None, phase: str = "") -> bool:
    """Whether the school teaches the key stage (measures without a year group, e.g. Ofsted,
    apply to every school)."""
    if key_stage not in KEY_STAGE_AGES:
        return True
    return key_stage in key_stages_taught(low_age, high_age, phase)
