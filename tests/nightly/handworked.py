"""A small hand-worked dataset for the outcomes steps, with the answers worked out by hand.

KS2 RWM 2016 (higher is better, tolerance 2.0 points, bottom quartile red), national 53.0:

    LA     value   rank     quartile (Q25=50, Q50=52, Q75=55)   RAG
    A      60.0    1 of 5   A                                    green (at or better)
    B      55.0    2 of 5   B (55 <= Q75)                        green (at or better)
    E      52.0    3 of 5   C (52 <= Q50)                        amber (1.0 below, within 2.0)
    C      50.0    joint 4  D                                    red (bottom quartile)
    D      50.0    joint 4  D                                    red (bottom quartile)
    F      suppressed: no rank, not counted in N                 none

Schools in LA A (KS2 RWM and reading progress, both headline measures):

- Weak: RWM 50 -> 45 -> 40 (declining; 13 below national: red), reading progress -2.0 with CI
  -3.5 to -0.5 (significantly below), Ofsted Requires improvement -> overall red, 3Ms
  MAXIMUM ("Weak and declining"), also RI, attainment red and progress reasons.
- Strong: RWM 56 (green), Ofsted Good -> overall green, 3Ms minimum.
"""

from outcomes.models import AreaType, Measure, Result
from tests.factories import LocalAuthorityFactory, OfstedInspectionFactory, SchoolFactory


def measure(code, **fields):
    defaults = {
        "name": code,
        "key_stage": "ks2",
        "unit": "percent",
        "polarity": "higher_better",
        "decimal_places": 1,
        "is_headline": True,
        "rag_tolerance": 2.0,
        "rag_bottom_quartile_red": True,
        "groups": ["all"],
        "is_active": True,
    }
    defaults.update(fields)
    return Measure.objects.update_or_create(code=code, defaults=defaults)[0]


def build():
    Measure.objects.exclude(code__in=["ks2_rwm_exp", "ks2_read_prog"]).update(is_active=False)
    rwm = measure("ks2_rwm_exp", name="KS2 RWM")
    prog = measure(
        "ks2_read_prog",
        name="KS2 reading progress",
        unit="progress",
        has_confidence_interval=True,
        rag_tolerance=0.5,
    )
    las = {
        key: LocalAuthorityFactory(code=code, name=f"LA {key}")
        for key, code in zip("ABCDEF", (901, 902, 903, 904, 905, 906), strict=True)
    }
    values = {"A": 60.0, "B": 55.0, "C": 50.0, "D": 50.0, "E": 52.0, "F": None}
    for key, value in values.items():
        Result.objects.create(
            measure=rwm,
            area_type=AreaType.LA,
            la=las[key],
            academic_year=2016,
            pupil_group="all",
            value=value,
            suppression="" if value is not None else "suppressed",
        )
    for year, value in ((2016, 53.0), (2015, 53.0), (2014, 53.0)):
        Result.objects.create(
            measure=rwm, area_type=AreaType.NATIONAL, academic_year=year, value=value
        )
    Result.objects.create(measure=prog, area_type=AreaType.NATIONAL, academic_year=2016, value=0.0)
    weak = SchoolFactory(la=las["A"], name="Weak Primary")
    strong = SchoolFactory(la=las["A"], name="Strong Primary")
    for year, value in ((2014, 50.0), (2015, 45.0), (2016, 40.0)):
        Result.objects.create(
            measure=rwm,
            area_type=AreaType.SCHOOL,
            school=weak,
            academic_year=year,
            value=value,
            cohort=30,
        )
    Result.objects.create(
        measure=prog,
        area_type=AreaType.SCHOOL,
        school=weak,
        academic_year=2016,
        value=-2.0,
        ci_lower=-3.5,
        ci_upper=-0.5,
    )
    Result.objects.create(
        measure=rwm, area_type=AreaType.SCHOOL, school=strong, academic_year=2016, value=56.0
    )
    OfstedInspectionFactory(school=weak, overall_effectiveness=3)
    OfstedInspectionFactory(school=strong, overall_effectiveness=2)
    return {"las": las, "weak": weak, "strong": strong, "rwm": rwm, "prog": prog}


def la_table(run_id, data):
    from pep_portal.accounts.models import IndicatorFigure

    code_to_key = {la.pk: key for key, la in data["las"].items()}
    return {
        code_to_key[f.la_id]: (f.rank, f.rank_n, f.rank_joint, f.quartile, f.rag)
        for f in IndicatorFigure.objects.filter(
            run_id=run_id, measure=data["rwm"], year=2016, group="all"
        )
    }


EXPECTED_LA = {
    "A": (1, 5, False, "A", "green"),
    "B": (2, 5, False, "B", "green"),
    "E": (3, 5, False, "C", "amber"),
    "C": (4, 5, True, "D", "red"),
    "D": (4, 5, True, "D", "red"),
    "F": (None, None, False, "", "none"),
}
