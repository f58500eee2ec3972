"""A small hand-worked dataset for the dashboards, computed by the real nightly run.

KS2 maths (% expected standard, higher is better), national 70.0 in 2015 and 2016:

    Portsmouth (851)   2014 66.0   2015 64.9 (gap -5.1, rank 5 of 21)   2016 63.7 (gap -6.3,
    rank 17 of 21)  -> "KS2 maths: 6.3 points below national, gap widened by 1.2, rank fell
    12 places". 20 other LAs: in 2015 four above Portsmouth, in 2016 sixteen above.

Overall absence (lower is better), national 4.6: Portsmouth 4.5 (2015) and 4.3 (2016), every
other LA 5.0 -> "Overall absence: 0.3 points below national, lead grew by 0.2, rank
unchanged" (a strength). 2016 LA rows are provisional, 2015 final.

Schools (KS2 maths 2014-2016 and absence 2016, all in Portsmouth):
    Weak Primary      50 -> 45 -> 40 (declining, 30 below national: red), Ofsted 3
    Strong Primary    78 -> 79 -> 80 (green), Ofsted 2
    plus any schools passed in (72 in 2016, Ofsted 2) and ``extra`` generated ones.
"""

from __future__ import annotations

import datetime as dt

from outcomes.models import AreaType, Measure, Result, ResultStatus
from partnership.categorisation.models import CategorisationDecision, CategorisationReview
from schools.models import StatisticalNeighbour
from tests.factories import LocalAuthorityFactory, OfstedInspectionFactory, SchoolFactory

NATIONAL_MATHS = 70.0
OTHERS_2015 = [80.0, 81.0, 82.0, 83.0] + [50.0 + i * 0.9 for i in range(16)]
OTHERS_2016 = [64.0 + i for i in range(16)] + [50.0, 51.0, 52.0, 53.0]
GROUPS_2016 = {  # Portsmouth, England
    "disadvantaged": (50.0, 60.0),
    "non_disadvantaged": (70.0, 75.0),
    "boys": (60.0, 67.0),
    "girls": (67.5, 73.0),
    "sen_support": (30.0, 35.0),
}


def _result(measure, year, value, *, la=None, school=None, group="all", final=False, **extra):
    area = AreaType.SCHOOL if school else (AreaType.LA if la else AreaType.NATIONAL)
    return Result(
        measure=measure,
        area_type=area,
        la=la,
        school=school,
        academic_year=year,
        pupil_group=group,
        value=value,
        suppression="" if value is not None else "suppressed",
        status=ResultStatus.FINAL if final or year < 2016 else ResultStatus.PROVISIONAL,
        **extra,
    )


def build(*, schools=(), extra: int = 0, decisions: bool = True) -> dict:
    Measure.objects.exclude(code__in=["ks2_mat_exp", "abs_overall_pct"]).update(is_active=False)
    Measure.objects.filter(code__in=["ks2_mat_exp", "abs_overall_pct"]).update(
        is_active=True, is_headline=True
    )
    # As the catalogue migration ships them (a transactional test's flush removes them).
    maths = Measure.objects.get_or_create(
        code="ks2_mat_exp",
        defaults={
            "name": "KS2: % expected standard in maths",
            "short_name": "KS2 maths",
            "key_stage": "ks2",
            "unit": "percent",
            "is_headline": True,
            "sort_order": 90,
            "groups": ["all", "disadvantaged", "non_disadvantaged", "boys", "girls", "sen_support"],
        },
    )[0]
    absence = Measure.objects.get_or_create(
        code="abs_overall_pct",
        defaults={
            "name": "Overall absence (% of sessions)",
            "short_name": "Overall absence",
            "key_stage": "attendance",
            "unit": "percent",
            "polarity": "lower_better",
            "is_headline": True,
            "sort_order": 300,
            "rag_tolerance": 0.3,
            "groups": ["all"],
        },
    )[0]
    la = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    others = [LocalAuthorityFactory(code=300 + i, name=f"Other LA {i:02d}") for i in range(20)]
    for i, other in enumerate(others[:3]):
        StatisticalNeighbour.objects.create(la=la, neighbour=other, position=i + 1)
    rows = [
        _result(maths, 2014, 66.0, la=la),
        _result(maths, 2015, 64.9, la=la),
        _result(maths, 2016, 63.7, la=la),
        _result(absence, 2015, 4.5, la=la),
        _result(absence, 2016, 4.3, la=la),
    ]
    for year in (2014, 2015, 2016):
        rows.append(_result(maths, year, NATIONAL_MATHS))
        rows.append(_result(absence, year, 4.6))
    for other, v15, v16 in zip(others, OTHERS_2015, OTHERS_2016, strict=True):
        rows += [_result(maths, 2015, v15, la=other), _result(maths, 2016, v16, la=other)]
        rows += [_result(absence, 2015, 5.0, la=other), _result(absence, 2016, 5.0, la=other)]
    for group, (mine, england) in GROUPS_2016.items():
        rows += [
            _result(maths, 2016, mine, la=la, group=group),
            _result(maths, 2016, england, group=group),
        ]
    weak = SchoolFactory(la=la, name="Weak Primary", pupils_on_roll=200)
    strong = SchoolFactory(la=la, name="Strong Primary", pupils_on_roll=300)
    for year, value in ((2014, 50.0), (2015, 45.0), (2016, 40.0)):
        rows.append(_result(maths, year, value, school=weak, cohort=30))
    for year, value in ((2014, 78.0), (2015, 79.0), (2016, 80.0)):
        rows.append(_result(maths, year, value, school=strong, cohort=40))
    OfstedInspectionFactory(school=weak, overall_effectiveness=3)
    OfstedInspectionFactory(school=strong, overall_effectiveness=2)
    listed = list(schools) + [
        SchoolFactory(la=la, name=f"Generated Primary {i:03d}") for i in range(extra)
    ]
    for i, school in enumerate(listed):
        rows.append(_result(maths, 2016, 72.0 - (i % 7), school=school, cohort=30))
        rows.append(_result(absence, 2016, 4.0 + (i % 3) * 0.5, school=school, cohort=200))
        OfstedInspectionFactory(school=school, overall_effectiveness=2)
    rows += [
        _result(absence, 2016, 6.1, school=weak, cohort=200),
        _result(absence, 2016, 4.1, school=strong, cohort=300),
    ]
    Result.objects.bulk_create(rows)
    if decisions:
        review = CategorisationReview.objects.create(
            name="Autumn 2016", review_date=dt.date(2016, 11, 1)
        )
        CategorisationDecision.objects.create(
            review=review,
            school=weak,
            category="maximum",
            rationale="Weak and declining outcomes.",
            decided_on=dt.date(2016, 11, 1),
        )
    return {
        "la": la,
        "others": others,
        "weak": weak,
        "strong": strong,
        "maths": maths,
        "absence": absence,
        "schools": listed,
    }


def run_nightly(capture):
    from pep_portal.nightly import services
    from pep_portal.nightly.models import NightlyRun

    with capture(execute=True):
        run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
    run.refresh_from_db()
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    return run


def more_schools(built: dict, n: int, *, start: int = 500) -> list:
    """n more Portsmouth schools with KS2 maths and absence for 2016 (and an Ofsted grade),
    half of them in one trust, one in two with a 3Ms decision."""
    from tests.factories import TrustFactory

    trust = TrustFactory(name="Growing Schools Trust")
    review = CategorisationReview.objects.create(
        name=f"Review {start}", review_date=dt.date(2017, 3, 1)
    )
    rows, made = [], []
    for i in range(n):
        school = SchoolFactory(
            la=built["la"], name=f"Added Primary {start + i:03d}", trust=trust if i % 2 else None
        )
        made.append(school)
        rows.append(_result(built["maths"], 2016, 60.0 + i % 20, school=school, cohort=25))
        rows.append(_result(built["maths"], 2015, 61.0 + i % 20, school=school, cohort=25))
        rows.append(_result(built["absence"], 2016, 4.5, school=school, cohort=200))
        OfstedInspectionFactory(school=school, overall_effectiveness=1 + i % 4)
        if i % 2 == 0:
            CategorisationDecision.objects.create(
                review=review,
                school=school,
                category=("minimum", "moderate", "maximum")[i % 3],
                rationale="Reviewed.",
                decided_on=dt.date(2017, 3, 1),
            )
    Result.objects.bulk_create(rows)
    return made
