"""Demo register: Portsmouth (LA 851) and about 60 schools, loaded through the importers.

The schools, trusts and figures are invented (names echo Portsmouth places) but shaped like
the city's: nurseries, infant / junior / primary, secondary, special, an all-through school,
post-16 and a PRU; about a third academies in 11 trusts; a few church schools; Ofsted
history that is mostly graded before September 2024, with a few later inspections that give
no overall grade. The data is written as a GIAS-layout CSV and an Ofsted CSV and imported
through the real importers, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from pep_portal.imports.services import import_file
from pep_portal.platform.demo import demo_loader

from .services import local_authority_save

LA_CODE = 851
LA_NAME = "Portsmouth"

# uid, name, TrustSchoolFlag
TRUSTS = [
    (17001, "Solent Tide Academy Trust", "Supported by a multi-academy trust"),
    (17002, "Harbour Lights Learning Trust", "Supported by a multi-academy trust"),
    (17003, "Portsdown Hill Education Trust", "Supported by a multi-academy trust"),
    (17004, "Three Ships Multi-Academy Trust", "Supported by a multi-academy trust"),
    (17005, "Southsea Shore Learning Partnership", "Supported by a multi-academy trust"),
    (17006, "Spithead Schools Trust", "Supported by a multi-academy trust"),
    (17007, "St Swithun Catholic Academy Trust", "Supported by a multi-academy trust"),
    (17008, "Wessex Anchor Church of England Academy Trust", "Supported by a multi-academy trust"),
    (17009, "Langstone Harbour Trust", "Supported by a multi-academy trust"),
    (17010, "Hilsea Lines Academy Trust", "Supported by a single-academy trust"),
    (17011, "Admiralty Special Schools Trust", "Supported by a multi-academy trust"),
]

# TypeOfEstablishment (name) -> (code, EstablishmentTypeGroup (name))
TYPES = {
    "Community school": (1, "Local authority maintained schools"),
    "Voluntary aided school": (2, "Local authority maintained schools"),
    "Voluntary controlled school": (3, "Local authority maintained schools"),
    "Foundation school": (5, "Local authority maintained schools"),
    "Local authority nursery school": (15, "Local authority maintained schools"),
    "Community special school": (7, "Special schools"),
    "Pupil referral unit": (14, "Local authority maintained schools"),
    "Academy converter": (34, "Academies"),
    "Academy sponsor led": (28, "Academies"),
    "Academy special converter": (44, "Academies"),
    "Free schools": (35, "Free Schools"),
    "Further education": (18, "Colleges"),
    "Sixth form centres": (31, "Colleges"),
}
PHASES = {
    "Nursery": (2, 5, 1),
    "Infant": (4, 7, 2),
    "Junior": (7, 11, 2),
    "Primary": (4, 11, 2),
    "Secondary": (11, 16, 4),
    "Secondary 6th": (11, 18, 4),
    "All-through": (4, 16, 7),
    "16 plus": (16, 19, 5),
    "Not applicable": (5, 16, 0),
    "Special": (2, 19, 0),
}
PHASE_NAMES = {1: "Nursery", 2: "Primary", 4: "Secondary", 5: "16 plus", 7: "All-through",
               0: "Not applicable"}  # fmt: skip

CE = ("Church of England", "Diocese of Portsmouth")
RC = ("Roman Catholic", "Roman Catholic Diocese of Portsmouth")

# (estab no, name, type, phase, trust index or None, (religion, diocese) or None, postcode)
SCHOOLS = [
    (1000, "Stamshaw Nursery School", "Local authority nursery school", "Nursery", None, None, "PO2 8QT"),
    (1001, "Somers Town Nursery School", "Local authority nursery school", "Nursery", None, None, "PO5 4LB"),
    (2001, "Copnor Meadow Infant School", "Community school", "Infant", None, None, "PO3 5BZ"),
    (2002, "Copnor Meadow Junior School", "Community school", "Junior", None, None, "PO3 5BZ"),
    (2003, "Baffins Pond Infant School", "Community school", "Infant", None, None, "PO4 8SX"),
    (2004, "Baffins Pond Junior School", "Academy converter", "Junior", 4, None, "PO4 8SX"),
    (2005, "Drayton Green Infant School", "Community school", "Infant", None, None, "PO6 1HG"),
    (2006, "Drayton Green Junior School", "Community school", "Junior", None, None, "PO6 1HG"),
    (2007, "Highland Road Infant School", "Foundation school", "Infant", None, None, "PO4 9BD"),
    (2008, "Highland Road Junior School", "Foundation school", "Junior", None, None, "PO4 9BD"),
    (2009, "Milton Common Infant School", "Academy sponsor led", "Infant", 0, None, "PO4 8JN"),
    (2010, "Milton Common Junior School", "Academy sponsor led", "Junior", 0, None, "PO4 8JN"),
    (2011, "Cosham Hillside Infant School", "Community school", "Infant", None, None, "PO6 3EZ"),
    (2012, "Cosham Hillside Junior School", "Community school", "Junior", None, None, "PO6 3EZ"),
    (2013, "Fratton Lane Infant School", "Community school", "Infant", None, None, "PO1 5JN"),
    (2014, "Fratton Lane Junior School", "Academy converter", "Junior", 1, None, "PO1 5JN"),
    (2015, "Buckland Brook Primary School", "Community school", "Primary", None, None, "PO2 7BN"),
    (2016, "Landport Gate Primary School", "Community school", "Primary", None, None, "PO1 1RL"),
    (2017, "Tipner Wharf Primary School", "Academy sponsor led", "Primary", 1, None, "PO2 9PF"),
    (2018, "Paulsgrove Heights Primary School", "Academy sponsor led", "Primary", 2, None, "PO6 4DR"),
    (2019, "Wymering Fields Primary School", "Academy converter", "Primary", 2, None, "PO6 3NH"),
    (2020, "Farlington Marsh Primary School", "Community school", "Primary", None, None, "PO6 1RJ"),
    (2021, "Anchorage Park Primary School", "Academy converter", "Primary", 3, None, "PO3 5UP"),
    (2022, "Eastney Shore Primary School", "Community school", "Primary", None, None, "PO4 9LD"),
    (2023, "Craneswater Gardens Primary School", "Community school", "Primary", None, None, "PO4 0NQ"),
    (2024, "Southsea Common Primary School", "Academy converter", "Primary", 4, None, "PO5 3AH"),
    (2025, "Portsea Quay Primary School", "Community school", "Primary", None, None, "PO1 3HY"),
    (2026, "Hilsea Lines Primary School", "Community school", "Primary", None, None, "PO2 0RY"),
    (2027, "North End Park Primary School", "Academy converter", "Primary", 5, None, "PO2 0NT"),
    (2028, "Kingston Crescent Primary School", "Community school", "Primary", None, None, "PO2 8AL"),
    (2029, "Goldsmith Avenue Primary School", "Free schools", "Primary", 5, None, "PO4 0DF"),
    (2030, "Lakeside Copse Primary School", "Community school", "Primary", None, None, "PO3 6EU"),
    (2031, "Albert Road Primary School", "Community school", "Primary", None, None, "PO5 2SB"),
    (2032, "Great Salterns Primary School", "Academy converter", "Primary", 8, None, "PO3 6DF"),
    (2033, "Langstone Quay Primary School", "Academy converter", "Primary", 8, None, "PO3 6NS"),
    (2034, "Hillsley Road Primary School", "Community school", "Primary", None, None, "PO6 4NQ"),
    (2035, "Queens Gate Primary School", "Community school", "Primary", None, None, "PO5 1QA"),
    (3300, "St Agatha's Church of England Primary School", "Voluntary controlled school", "Primary", None, CE, "PO1 4EY"),
    (3301, "St Jude's Church of England Primary School", "Voluntary aided school", "Primary", None, CE, "PO5 3LX"),
    (3302, "St Swithun’s Catholic Primary School", "Academy converter", "Primary", 6, RC, "PO5 2RQ"),
    (3303, "St Edmund’s Catholic Primary School", "Academy converter", "Primary", 6, RC, "PO2 9HL"),
    (3304, "St Faith's Church of England Primary School", "Academy converter", "Primary", 7, CE, "PO6 2LU"),
    (3305, "Our Lady of the Isles Catholic Primary School", "Voluntary aided school", "Primary", None, RC, "PO3 6JB"),
    (4000, "Admiral Lord Nelson Park School", "Community school", "Secondary", None, None, "PO3 5XT"),
    (4001, "Cosham Downs Academy", "Academy sponsor led", "Secondary", 2, None, "PO6 3BQ"),
    (4002, "Southsea Lines Academy", "Academy sponsor led", "Secondary", 0, None, "PO4 8LL"),
    (4003, "Mayfield Heights School", "Community school", "Secondary", None, None, "PO2 0RH"),
    (4004, "Milton Park Academy", "Academy converter", "Secondary 6th", 3, None, "PO4 8RA"),
    (4005, "Portsdown Ridge School", "Foundation school", "Secondary", None, None, "PO6 2QH"),
    (4006, "Hilsea Lines Academy", "Academy converter", "Secondary", 9, None, "PO2 0PX"),
    (4007, "Copnor Bridge School", "Community school", "Secondary", None, None, "PO3 6RD"),
    (4600, "St Swithun’s Catholic Secondary School", "Academy converter", "Secondary", 6, RC, "PO3 6AB"),
    (4601, "The Portsmouth Church of England Academy", "Academy converter", "Secondary 6th", 7, CE, "PO1 1QE"),
    (4100, "Harbourside All-Through School", "Free schools", "All-through", 1, None, "PO1 2EW"),
    (7000, "Cliffdale Vale Special School", "Community special school", "Special", None, None, "PO2 0SN"),
    (7001, "Redwood Harbour School", "Community special school", "Special", None, None, "PO6 4QP"),
    (7002, "Mary Rose Bay Academy", "Academy special converter", "Special", 10, None, "PO3 6AW"),
    (7003, "The Willows Bay Centre", "Community special school", "Special", None, None, "PO3 5HJ"),
    (1100, "Portsmouth Harbour Tuition Centre", "Pupil referral unit", "Not applicable", None, None, "PO4 8BB"),
    (8000, "Portsmouth Sixth Form College of the Solent", "Sixth form centres", "16 plus", None, None, "PO3 6PZ"),
    (8001, "Highbury Point College", "Further education", "16 plus", None, None, "PO6 2SA"),
]  # fmt: skip

# A closed school, to show closures: the junior school that merged into a primary in 2019.
CLOSED = [
    (2099, "Fratton Park Junior School", "Community school", "Junior", None, None, "PO1 5AA"),
]

GIAS_COLUMNS = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "OpenDate", "CloseDate", "PhaseOfEducation (code)", "PhaseOfEducation (name)",
    "StatutoryLowAge", "StatutoryHighAge", "ReligiousCharacter (name)", "Diocese (name)",
    "NumberOfPupils", "PercentageFSM", "TrustSchoolFlag (name)", "Trusts (code)",
    "Trusts (name)", "UKPRN", "Postcode", "SENStat", "SENNoStat", "PercentageEAL",
]  # fmt: skip

AREAS = ["Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
         "Personal development and well-being", "Leadership and governance"]  # fmt: skip
AREA_GRADES = ["Strong standard", "Expected standard", "Expected standard", "Needs attention"]
SEPTEMBER_2024 = dt.date(2024, 9, 1)


def _urn(estab: int, academy: bool) -> int:
    return (145000 if academy else 116400) + estab % 1000 + (estab // 1000) * 37


def _pupils(rng: random.Random, phase: str) -> int:
    ranges = {"Nursery": (60, 120), "Infant": (170, 360), "Junior": (230, 480),
              "Primary": (200, 630), "Secondary": (750, 1250), "Secondary 6th": (900, 1500),
              "All-through": (900, 1400), "16 plus": (800, 2600), "Special": (80, 240),
              "Not applicable": (40, 90)}  # fmt: skip
    low, high = ranges[phase]
    return rng.randrange(low, high)


def _rows(rng: random.Random):
    for spec, status in [(s, "Open") for s in SCHOOLS] + [(s, "Closed") for s in CLOSED]:
        estab, name, type_name, phase, trust, church, postcode = spec
        type_code, group = TYPES[type_name]
        academy = trust is not None
        low, high, phase_code = PHASES[phase]
        pupils = _pupils(rng, phase) if status == "Open" else None
        sen_rate = 0.9 if phase in ("Special", "Not applicable") else rng.uniform(0.1, 0.22)
        sen = int(pupils * sen_rate) if pupils else None
        uid, trust_name, flag = TRUSTS[trust] if academy else ("", "", "Not applicable")
        opened = dt.date(rng.randrange(2011, 2022), 9, 1) if academy else None
        yield {
            "URN": _urn(estab, academy),
            "LA (code)": LA_CODE,
            "LA (name)": LA_NAME,
            "EstablishmentNumber": estab,
            "EstablishmentName": name,
            "TypeOfEstablishment (code)": type_code,
            "TypeOfEstablishment (name)": type_name,
            "EstablishmentTypeGroup (name)": group,
            "EstablishmentStatus (code)": 1 if status == "Open" else 2,
            "EstablishmentStatus (name)": status,
            "OpenDate": opened.strftime("%d-%m-%Y") if opened else "",
            "CloseDate": "31-08-2019" if status == "Closed" else "",
            "PhaseOfEducation (code)": phase_code,
            "PhaseOfEducation (name)": PHASE_NAMES[phase_code],
            "StatutoryLowAge": low,
            "StatutoryHighAge": high,
            "ReligiousCharacter (name)": church[0] if church else "Does not apply",
            "Diocese (name)": church[1] if church else "Not applicable",
            "NumberOfPupils": pupils if pupils is not None else "",
            "PercentageFSM": f"{rng.uniform(8, 48):.1f}" if pupils else "",
            "TrustSchoolFlag (name)": flag,
            "Trusts (code)": uid,
            "Trusts (name)": trust_name,
            "UKPRN": 10070000 + estab,
            "Postcode": postcode,
            "SENStat": int(sen * 0.25) if sen is not None else "",
            "SENNoStat": sen - int(sen * 0.25) if sen is not None else "",
            "PercentageEAL": f"{rng.uniform(3, 38):.1f}" if pupils else "",
        }


def _inspections(rng: random.Random, rows: list[dict]):
    """One to three inspections per school; grades mostly good, some later ungraded."""
    grades = [1, 2, 2, 2, 2, 2, 3, 3, 4]
    for i, row in enumerate(rows):
        if row["EstablishmentStatus (name)"] != "Open":
            continue
        opened = row["OpenDate"]
        first_year = int(opened[-4:]) + 1 if opened else 2013
        years = sorted(
            rng.sample(range(first_year, 2024), k=min(rng.randint(1, 3), 2024 - first_year))
        )
        for year in years:
            when = dt.date(year, rng.randrange(1, 12), rng.randrange(1, 28))
            yield {"URN": row["URN"], "Inspection date": when.strftime("%d-%m-%Y"),
                   "Overall effectiveness": rng.choice(grades)}  # fmt: skip
        if i % 7 == 3:  # an ungraded inspection after single-word judgements ended
            when = dt.date(2025, rng.randrange(1, 7), rng.randrange(1, 28))
            yield {"URN": row["URN"], "Inspection date": when.strftime("%d-%m-%Y"),
                   "Overall effectiveness": "", "Inspection type": "Ungraded inspection"}  # fmt: skip
        elif i % 11 == 5:  # a report card (evaluation areas, no overall grade)
            when = dt.date(2025, 11, rng.randrange(10, 28))
            card = {area: rng.choice(AREA_GRADES) for area in AREAS}
            yield {"URN": row["URN"], "Inspection date": when.strftime("%d-%m-%Y"),
                   "Overall effectiveness": "", "Inspection type": "Report card",
                   "Safeguarding": "Met", **card}  # fmt: skip


def write_files(directory: Path) -> tuple[Path, Path]:
    rng = random.Random(LA_CODE)
    rows = list(_rows(rng))
    gias_path = directory / "edubasealldata_portsmouth_demo.csv"
    with gias_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=GIAS_COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    ofsted_path = directory / "ofsted_portsmouth_demo.csv"
    columns = ["URN", "Inspection date", "Overall effectiveness", "Inspection type",
               "Safeguarding", *AREAS]  # fmt: skip
    with ofsted_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(_inspections(rng, rows))
    return gias_path, ofsted_path


@demo_loader(order=10, name="schools")
def load(stdout=None) -> None:
    local_authority_save(
        code=LA_CODE,
        name=LA_NAME,
        region="South East",
        gss_code="E06000044",
        in_partnership=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        gias_path, ofsted_path = write_files(Path(tmp))
        schools = import_file(kind="gias", path=str(gias_path))
        inspections = import_file(kind="ofsted", path=str(ofsted_path))
    if stdout:
        stdout.write(
            f"  schools: {schools['created']} created, {schools['updated']} updated, "
            f"{schools['unchanged']} unchanged; Ofsted inspections: {inspections['created']} "
            f"created, {inspections['unchanged']} unchanged"
        )


# Schools' own data (agreements, soft intelligence, workforce) registers its loader too.
from .intelligence import demo as intelligence_demo  # noqa: E402, F401
