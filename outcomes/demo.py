"""Demo outcomes: the provisional 2016 Portsmouth results as the board papers print them.

``load()`` runs after ``schools.demo`` (which makes LA 851 and the Portsmouth schools) and
writes, through the outcomes models:

- Portsmouth's and national figures exactly as printed in the 2016 tables (source:
  the Education Advisory Board paper of 30 September 2016, "Provisional Educational
  Attainment & Progress Results 2016");
- LA-level figures for 150 LAs (Portsmouth, ten real statistical neighbours, and
  synthetic authorities), constructed so the computed LAIT ranks are the published ones:
  Portsmouth joint 140th of 150 on KS2 RWM, 119th reading, 114th writing, 135th maths;
- Portsmouth's statistical neighbours, if the register has none;
- LA and national 16 to 19 figures (participation, level 2 and 3 by 19: synthetic);
- school-level results for the demo schools, only for the key stages each school teaches
  (from its statutory age range: an infant school has no KS2, a junior school no EYFSP or
  phonics; special schools and the PRU attendance only), with history where the measure
  existed (2014-2016).

Deterministic (a fixed seed) and idempotent: rows are matched on their natural key and only
created or updated when they differ, so a second run changes nothing.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction

from pep_portal.platform.demo import demo_loader
from schools.models import LocalAuthority, Phase, School, StatisticalNeighbour

from .calculations.phases import ATTENDANCE as ATTENDANCE_STAGE
from .calculations.phases import key_stages_taught
from .models import AreaType, Measure, PupilGroup, Result, ResultStatus, Suppression

SOURCE = "demo: 2016 provisional results (EAB paper, 30 Sep 2016) and synthetic LAs"
PORTSMOUTH = 851
YEAR = 2016
SEED = 2016
N_LAS = 150

# --- What the 2016 tables print (Portsmouth, national, and the published LA rank) --------
# measure code: (Portsmouth 2016, national 2016 unrounded, published rank of 150, joint?)
# National KS2 percentages are printed as whole numbers; the printed gaps give the unrounded
# national (writing: 72.6 - 1.7 = 74.3).
PUBLISHED_2016 = {
    "eyfsp_gld": (69.7, 69.3, None, False),
    "phonics_y1_exp": (81.4, 80.6, None, False),
    "ks1_read_exp": (72.6, 74.0, None, False),
    "ks1_writ_exp": (62.6, 65.5, None, False),
    "ks1_mat_exp": (70.7, 72.6, None, False),
    "ks1_rwm_exp": (58.5, 60.3, None, False),
    "ks2_rwm_exp": (47.6, 53.0, 140, True),
    "ks2_read_exp": (61.3, 66.0, 119, False),
    "ks2_writ_exp": (72.6, 74.3, 114, False),
    "ks2_mat_exp": (63.8, 70.1, 135, False),
}
# KS2 progress: Portsmouth score and 95% CI (the papers print "significantly below the
# national average"; the intervals are illustrative and lie wholly below 0). National = 0.
PROGRESS_2016 = {
    "ks2_read_prog": (-1.6, -2.2, -1.0),
    "ks2_writ_prog": (-1.4, -2.0, -0.8),
    "ks2_mat_prog": (-1.8, -2.3, -1.3),
}
# Progress 8, first published for 2016 (synthetic, plausible: two decimals as DfE prints it).
# Portsmouth's score and 95% CI; national = 0; schools spread a quarter as widely as KS2's.
P8_2016 = (-0.26, -0.31, -0.21)
P8_SCALE = 0.25
# KS4: Portsmouth 2016 provisional and 2015; no national figures were available yet.
KS4_PORTSMOUTH = {
    "ks4_att8": {2016: 46.2, 2015: 44.1},
    "ks4_basics_ac": {2016: 57.5, 2015: 52.6},
    "ks4_5ac_em": {2016: 54.7, 2015: 50.7},
}
# 2015, from the papers' "2015 gap" column and text (EYFSP 69% in 2015, 3 above national;
# phonics 3 below national).
PREVIOUS_2015 = {
    "eyfsp_gld": (69.0, 66.0),
    "phonics_y1_exp": (74.0, 77.0),
}
# Not in the papers (synthetic, plausible): attendance for Portsmouth and England.
ATTENDANCE = {
    # code: {year: (Portsmouth, national)}
    "abs_overall_pct": {2014: (4.9, 4.5), 2015: (4.8, 4.6), 2016: (4.9, 4.6)},
    "abs_persistent_pct": {2016: (12.1, 10.5)},
}
# Not in the papers (synthetic, plausible): 16 to 19 for Portsmouth and England, by year.
POST16 = {
    # code: {year: (Portsmouth, national)}
    "p16_participation_16": {2014: (92.1, 93.9), 2015: (92.8, 94.2), 2016: (93.4, 94.5)},
    "p16_participation_17": {2014: (84.0, 87.6), 2015: (85.1, 88.0), 2016: (85.6, 88.4)},
    "p16_l2_by19": {2014: (83.1, 86.0), 2015: (82.4, 85.7), 2016: (83.0, 85.6)},
    "p16_l3_by19": {2014: (48.7, 57.4), 2015: (49.9, 57.7), 2016: (51.2, 58.4)},
    "p16_em_by19": {2014: (15.2, 17.4), 2015: (16.8, 18.9), 2016: (18.1, 19.4)},
}
# Synthetic KS2 RWM by pupil group (Portsmouth, national) to drive the group selector.
KS2_RWM_GROUPS_2016 = {
    PupilGroup.DISADVANTAGED: (35.9, 39.0),
    PupilGroup.NON_DISADVANTAGED: (54.2, 60.2),
    PupilGroup.BOYS: (43.8, 49.5),
    PupilGroup.GIRLS: (51.5, 56.7),
    PupilGroup.SEN_SUPPORT: (13.2, 16.1),
}

# Portsmouth's statistical neighbours (real LA numbers), closest first.
NEIGHBOURS = [
    (852, "Southampton", "South East"),
    (879, "Plymouth", "South West"),
    (801, "Bristol, City of", "South West"),
    (846, "Brighton and Hove", "South East"),
    (837, "Bournemouth", "South West"),
    (887, "Medway", "South East"),
    (866, "Swindon", "South West"),
    (870, "Reading", "South East"),
    (880, "Torbay", "South West"),
    (882, "Southend-on-Sea", "East of England"),
]
SYNTHETIC_REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]
SPREAD = {"percent": 4.5, "progress": 0.9, "score": 2.5}


@demo_loader(order=20, name="outcomes")
def load(stdout=None) -> dict:
    with transaction.atomic():
        las = _local_authorities()
        _neighbours(las)
        measures = {m.code: m for m in Measure.objects.all()}
        rows = _la_and_national_rows(las, measures) + _school_rows(las[PORTSMOUTH], measures)
        created, updated = _save(rows)
        _prune_school_rows(rows)
    if stdout:
        stdout.write(f"  outcomes: {created} results created, {updated} updated")
    return {"created": created, "updated": updated}


# --- Areas ---------------------------------------------------------------------------------


def _local_authorities() -> dict[int, LocalAuthority]:
    """Portsmouth, its neighbours and synthetic LAs: 150 in all. Existing LAs are kept."""
    specs = [(PORTSMOUTH, "Portsmouth", "South East", True)]
    specs += [(code, name, region, False) for code, name, region in NEIGHBOURS]
    taken = {code for code, *_ in specs}
    code = 201
    while len(specs) < N_LAS:
        if code not in taken:
            region = SYNTHETIC_REGIONS[code % len(SYNTHETIC_REGIONS)]
            specs.append((code, f"Demo Authority {code}", region, False))
        code += 1
    existing = {la.code: la for la in LocalAuthority.objects.filter(code__in=[s[0] for s in specs])}
    missing = [
        LocalAuthority(code=c, name=n, region=r, in_partnership=p)
        for c, n, r, p in specs
        if c not in existing
    ]
    LocalAuthority.objects.bulk_create(missing)
    return {la.code: la for la in LocalAuthority.objects.filter(code__in=[s[0] for s in specs])}


def _neighbours(las: dict[int, LocalAuthority]) -> None:
    portsmouth = las[PORTSMOUTH]
    if StatisticalNeighbour.objects.filter(la=portsmouth).exists():
        return
    closeness = ["very_close"] * 3 + ["close"] * 4 + ["somewhat_close"] * 3
    StatisticalNeighbour.objects.bulk_create(
        StatisticalNeighbour(
            la=portsmouth, neighbour=las[code], position=i, closeness=closeness[i - 1]
        )
        for i, (code, _, _) in enumerate(NEIGHBOURS, start=1)
    )


# --- LA and national results ---------------------------------------------------------------


def _ranked_values(
    rng, own: float, rank: int, joint: bool, centre: float, spread: float
) -> list[float]:
    """149 other LAs' values (1 dp) so that exactly rank - 1 are better than ``own`` and, if
    ``joint``, one more equals it; the rest are worse."""
    better_needed = rank - 1
    equal_needed = 1 if joint else 0
    worse_needed = N_LAS - 1 - better_needed - equal_needed
    better: list[float] = []
    worse: list[float] = []
    while len(better) < better_needed or len(worse) < worse_needed:
        x = round(float(rng.normal(centre, spread)), 1)
        if x > own and len(better) < better_needed:
            better.append(x)
        elif x < own and len(worse) < worse_needed:
            worse.append(x)
    return better + [own] * equal_needed + worse


def _la_and_national_rows(las, measures) -> list[dict]:
    rng = np.random.default_rng(SEED)
    others = sorted(code for code in las if code != PORTSMOUTH)
    rows: list[dict] = []

    def la_row(code, la_code, value, year=YEAR, group=PupilGroup.ALL, **extra):
        rows.append(
            _row(
                measures[code],
                AreaType.LA,
                la=las[la_code],
                year=year,
                group=group,
                value=value,
                **extra,
            )
        )

    def national_row(code, value, year=YEAR, group=PupilGroup.ALL, **extra):
        rows.append(
            _row(measures[code], AreaType.NATIONAL, year=year, group=group, value=value, **extra)
        )

    for code, (own, national, rank, joint) in PUBLISHED_2016.items():
        spread = SPREAD["percent"]
        if rank is None:
            values = [round(float(v), 1) for v in rng.normal(national, spread, N_LAS - 1)]
        else:
            values = _ranked_values(rng, own, rank, joint, national, spread)
            rng.shuffle(values)
        la_row(code, PORTSMOUTH, own)
        for la_code, value in zip(others, values, strict=True):
            la_row(code, la_code, value)
        national_row(code, national)

    for code, (score, lower, upper) in PROGRESS_2016.items():
        la_row(code, PORTSMOUTH, score, ci_lower=lower, ci_upper=upper)
        for la_code in others:
            value = round(float(rng.normal(0, SPREAD["progress"])), 1)
            half = round(float(rng.uniform(0.4, 0.7)), 1)
            la_row(
                code,
                la_code,
                value,
                ci_lower=round(value - half, 1),
                ci_upper=round(value + half, 1),
            )
        national_row(code, 0.0)

    for code, by_year in KS4_PORTSMOUTH.items():
        for year, value in by_year.items():
            la_row(code, PORTSMOUTH, value, year=year)
            for la_code in others:
                la_row(
                    code,
                    la_code,
                    round(float(rng.normal(value + 3, SPREAD["score"])), 1),
                    year=year,
                )

    for code, (own, national) in PREVIOUS_2015.items():
        la_row(code, PORTSMOUTH, own, year=2015)
        national_row(code, national, year=2015)

    for code, by_year in ATTENDANCE.items():
        for year, (own, national) in by_year.items():
            la_row(code, PORTSMOUTH, own, year=year)
            national_row(code, national, year=year)
            for la_code in others:
                la_row(code, la_code, round(float(rng.normal(national, 0.4)), 1), year=year)

    for code, by_year in POST16.items():
        for year, (own, national) in by_year.items():
            la_row(code, PORTSMOUTH, own, year=year)
            national_row(code, national, year=year)
            for la_code in others:
                la_row(
                    code,
                    la_code,
                    round(min(100.0, float(rng.normal(national, 2.5))), 1),
                    year=year,
                )

    for group, (own, national) in KS2_RWM_GROUPS_2016.items():
        la_row("ks2_rwm_exp", PORTSMOUTH, own, group=group)
        national_row("ks2_rwm_exp", national, group=group)
        for la_code in others:
            la_row(
                "ks2_rwm_exp",
                la_code,
                round(float(rng.normal(national, SPREAD["percent"])), 1),
                group=group,
            )
    # Drawn last, so adding Progress 8 left every other demo figure as it was.
    score, lower, upper = P8_2016
    la_row("ks4_p8", PORTSMOUTH, score, ci_lower=lower, ci_upper=upper)
    for la_code in others:
        value = round(float(rng.normal(0, 0.2)), 2)
        half = round(float(rng.uniform(0.04, 0.08)), 2)
        la_row(
            "ks4_p8",
            la_code,
            value,
            ci_lower=round(value - half, 2),
            ci_upper=round(value + half, 2),
        )
    national_row("ks4_p8", 0.0)
    return rows


# --- Schools -------------------------------------------------------------------------------

SCHOOL_MEASURES = {  # code: the years a school figure is given
    "eyfsp_gld": (2014, 2015, 2016),
    "phonics_y1_exp": (2014, 2015, 2016),
    "ks1_rwm_exp": (2016,),
    "ks2_rwm_exp": (2016,),
    "ks2_read_exp": (2016,),
    "ks2_writ_exp": (2016,),
    "ks2_mat_exp": (2016,),
    "ks2_read_prog": (2016,),
    "ks2_writ_prog": (2016,),
    "ks2_mat_prog": (2016,),
    "ks4_att8": (2015, 2016),
    "ks4_basics_ac": (2014, 2015, 2016),
    "ks4_5ac_em": (2014, 2015, 2016),
    "abs_overall_pct": (2014, 2015, 2016),
    "ks4_p8": (2016,),  # last: its draws come after the others'
}
LA_BASE = {  # Portsmouth's figure for years the tables do not print (synthetic)
    ("eyfsp_gld", 2014): 66.5,
    ("phonics_y1_exp", 2014): 72.0,
    ("ks4_basics_ac", 2014): 53.0,
    ("ks4_5ac_em", 2014): 51.5,
}
SMALL_COHORT = 10  # DfE suppresses school figures for cohorts this small or smaller


def _la_figure(code: str, year: int) -> float:
    if code in PUBLISHED_2016 and year == YEAR:
        return PUBLISHED_2016[code][0]
    if code in PROGRESS_2016:
        return PROGRESS_2016[code][0]
    if code == "ks4_p8":
        return P8_2016[0]
    if code in PREVIOUS_2015 and year == 2015:
        return PREVIOUS_2015[code][0]
    if code in KS4_PORTSMOUTH and year in KS4_PORTSMOUTH[code]:
        return KS4_PORTSMOUTH[code][year]
    if code in ATTENDANCE and year in ATTENDANCE[code]:
        return ATTENDANCE[code][year][0]
    return LA_BASE[(code, year)]


def school_key_stages(school: School) -> set[str]:
    """The key stages the demo gives a school figures for: those it teaches; special schools
    and the PRU (phase "not applicable") attendance only (their attainment is mostly
    suppressed for small cohorts)."""
    stages = key_stages_taught(school.statutory_low_age, school.statutory_high_age, school.phase)
    if school.phase == Phase.NOT_APPLICABLE:
        return stages & {ATTENDANCE_STAGE}
    return stages


def _school_rows(portsmouth: LocalAuthority, measures) -> list[dict]:
    rows: list[dict] = []
    schools = School.objects.filter(la=portsmouth).order_by("urn")
    for school in schools:
        stages = school_key_stages(school)
        plan = {
            code: years
            for code, years in SCHOOL_MEASURES.items()
            if measures[code].key_stage in stages
        }
        if not plan:
            continue
        rng = np.random.default_rng(school.urn)
        strength = float(rng.normal(0, 1))  # a school's standing persists across years
        year_groups = max(1, (school.statutory_high_age or 11) - (school.statutory_low_age or 4))
        roll = school.pupils_on_roll or 60 * year_groups
        cohort = max(5, roll // year_groups)
        for code, years in plan.items():
            measure = measures[code]
            for year in years:
                base = _la_figure(code, year)
                if measure.unit == "progress":
                    scale, dp = (P8_SCALE, 2) if code == "ks4_p8" else (1.0, 1)
                    spread = scale * (1.2 * strength + float(rng.normal(0, 0.4)))
                    value = round(base + spread, dp)
                    half = round(scale * 1.96 * 5.5 / max(cohort, 1) ** 0.5, dp)
                    extra = {
                        "ci_lower": round(value - half, dp),
                        "ci_upper": round(value + half, dp),
                    }
                elif code.startswith("abs_"):
                    value = round(max(1.5, base - 0.5 * strength + float(rng.normal(0, 0.3))), 1)
                    extra = {}
                elif measure.unit == "score":
                    value = round(base + 3 * strength + float(rng.normal(0, 1.0)), 1)
                    extra = {}
                else:
                    value = round(
                        min(100.0, max(0.0, base + 7 * strength + float(rng.normal(0, 3)))), 1
                    )
                    extra = {}
                if cohort <= SMALL_COHORT and not code.startswith("abs_"):
                    value, extra = None, {"suppression": Suppression.SUPPRESSED}
                rows.append(
                    _row(
                        measure,
                        AreaType.SCHOOL,
                        school=school,
                        year=year,
                        value=value,
                        cohort=cohort,
                        **extra,
                    )
                )
    return rows


# --- Writing -------------------------------------------------------------------------------


def _row(
    measure,
    area_type,
    *,
    year,
    value,
    group=PupilGroup.ALL,
    la=None,
    school=None,
    cohort=None,
    ci_lower=None,
    ci_upper=None,
    suppression=Suppression.NONE,
) -> dict:
    return {
        "measure": measure,
        "area_type": area_type,
        "la": la,
        "school": school,
        "academic_year": year,
        "pupil_group": group,
        "value": value,
        "cohort": cohort,
        "ci_lower": ci_lower,
        "ci_upper": ci_upper,
        "suppression": suppression,
        "status": ResultStatus.PROVISIONAL if year == YEAR else ResultStatus.FINAL,
    }


def _prune_school_rows(rows: list[dict]) -> int:
    """Delete this demo's school rows that it no longer writes (a demo loaded before schools
    got figures only for the key stages they teach)."""
    wanted = {
        (r["school"].pk, r["measure"].pk, r["academic_year"], r["pupil_group"])
        for r in rows
        if r["school"] is not None
    }
    stale = [
        pk
        for pk, *key in Result.objects.filter(source=SOURCE, area_type=AreaType.SCHOOL).values_list(
            "pk", "school_id", "measure_id", "academic_year", "pupil_group"
        )
        if tuple(key) not in wanted
    ]
    Result.objects.filter(pk__in=stale).delete()
    return len(stale)


_COMPARED = ("value", "cohort", "ci_lower", "ci_upper", "suppression", "status")


def _key(measure_id, area_type, la_id, school_id, year, group):
    return (measure_id, area_type, la_id or 0, school_id or 0, year, group)


def _save(rows: list[dict]) -> tuple[int, int]:
    """Create missing rows, update changed ones; unchanged rows are left alone."""
    measure_ids = {r["measure"].pk for r in rows}
    existing = {
        _key(r.measure_id, r.area_type, r.la_id, r.school_id, r.academic_year, r.pupil_group): r
        for r in Result.objects.filter(measure_id__in=measure_ids).only(
            "measure_id",
            "area_type",
            "la_id",
            "school_id",
            "academic_year",
            "pupil_group",
            *_COMPARED,
        )
    }
    to_create, to_update = [], []
    for spec in rows:
        key = _key(
            spec["measure"].pk,
            spec["area_type"],
            spec["la"] and spec["la"].pk,
            spec["school"] and spec["school"].pk,
            spec["academic_year"],
            spec["pupil_group"],
        )
        found = existing.get(key)
        if found is None:
            to_create.append(Result(source=SOURCE, **spec))
        elif any(getattr(found, f) != spec[f] for f in _COMPARED):
            for f in _COMPARED:
                setattr(found, f, spec[f])
            to_update.append(found)
    Result.objects.bulk_create(to_create, batch_size=1000)
    Result.objects.bulk_update(to_update, list(_COMPARED), batch_size=1000)
    return len(to_create), len(to_update)


# The in-year predictions register their loader too.
from .predictions import demo as predictions_demo  # noqa: E402, F401
