"""A small hand-worked dataset for the outcomes steps, with the answers worked out by hand.

KS2 RWM 2016 (higher is better, tolerance 2.0 points, bottom quartile red), national 53.0.
Twenty LAs have a value (the minimum for a rank, ``rank_pool.MIN_LAS``): A-E below and 15
more, "L30" ... "L44", valued 30.0 ... 44.0. Sorted: 30..44, 50, 50, 52, 55, 60, so (linear
interpolation over 20 values) Q25 = 34 + 0.75 x 1 = 34.75, Q50 = 39 + 0.5 x 1 = 39.5,
Q75 = 44 + 0.25 x 6 = 45.5:

    LA     value   rank          quartile   RAG
    A      60.0    1 of 20       A          green (at or better)
    B      55.0    2 of 20       A          green (at or better)
    E      52.0    3 of 20       A          amber (1.0 below, within 2.0)
    C      50.0    joint 4 of 20 A          red (3.0 below, beyond 2.0)
    D      50.0    joint 4 of 20 A          red (3.0 below, beyond 2.0)
    L44    44.0    6 of 20       B (<= Q75) red (9.0 below)
    L30    30.0    20 of 20      D          red (bottom quartile)
    F      suppressed: no rank, not counted in N; none

In 2015 only LA A has a value (58.0): no rank and no quartile (1 < 20), value and gap kept.

Schools in LA A (KS2 RWM and reading progress, both headline measures):

- Weak: RWM 50 -> 45 -> 40 (declining: -10 beyond the 1-point trend tolerance; 13 below
  national, 4 of its 30 pupils: red), reading progress -3.5 with CI -5.0 to -2.0
  (significantly below; below -2.9, DfE's reading threshold: well below average, red),
  Ofsted Requires improvement -> overall red ("Progress well below average"), 3Ms MAXIMUM
  ("Weak and not improving"), also RI and progress reasons.
- Strong: RWM 56 (green), Ofsted Good -> overall green, 3Ms minimum.
- Closed: closed in 2019, RWM 30 in 2016: figures kept (history), no summary, not counted.
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
    for value in range(30, 45):
        las[f"L{value}"] = LocalAuthorityFactory(code=800 + value, name=f"LA L{value}")
    values = {"A": 60.0, "B": 55.0, "C": 50.0, "D": 50.0, "E": 52.0, "F": None}
    values |= {f"L{value}": float(value) for value in range(30, 45)}
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
    Result.objects.create(
        measure=rwm, area_type=AreaType.LA, la=las["A"], academic_year=2015, value=58.0
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
        value=-3.5,
        ci_lower=-5.0,
        ci_upper=-2.0,
    )
    Result.objects.create(
        measure=rwm, area_type=AreaType.SCHOOL, school=strong, academic_year=2016, value=56.0
    )
    OfstedInspectionFactory(school=weak, overall_effectiveness=3)
    OfstedInspectionFactory(school=strong, overall_effectiveness=2)
    closed = SchoolFactory(la=las["A"], name="Closed Primary", status="closed")
    Result.objects.create(
        measure=rwm, area_type=AreaType.SCHOOL, school=closed, academic_year=2016, value=30.0
    )
    return {
        "las": las,
        "weak": weak,
        "strong": strong,
        "closed": closed,
        "rwm": rwm,
        "prog": prog,
    }


def la_table(run_id, data):
    from outcomes.models import IndicatorFigure

    code_to_key = {la.pk: key for key, la in data["las"].items()}
    table = {
        code_to_key[f.la_id]: (f.rank, f.rank_n, f.rank_joint, f.quartile, f.rag)
        for f in IndicatorFigure.objects.filter(
            run_id=run_id, measure=data["rwm"], year=2016, group="all"
        )
    }
    return {k: v for k, v in table.items() if not k.startswith("L") or k in EXPECTED_LA_EXTRA}


EXPECTED_LA_BASE = {
    "A": (1, 20, False, "A", "green"),
    "B": (2, 20, False, "A", "green"),
    "E": (3, 20, False, "A", "amber"),
    "C": (4, 20, True, "A", "red"),
    "D": (4, 20, True, "A", "red"),
    "F": (None, None, False, "", "none"),
}
EXPECTED_LA_EXTRA = {
    "L44": (6, 20, False, "B", "red"),
    "L30": (20, 20, False, "D", "red"),
}
EXPECTED_LA = EXPECTED_LA_BASE | EXPECTED_LA_EXTRA
