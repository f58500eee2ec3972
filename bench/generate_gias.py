"""Write a full-size GIAS establishment CSV in the real edubasealldata layout.

    .venv/bin/python bench/generate_gias.py var/bench/edubasealldata.csv [--rows 50000]
        [--encoding cp1252|utf-8-sig|utf-8] [--seed 1]

About 50,000 establishments (England has ~50,000 rows incl. closed ones) across 152 LAs,
138 columns with "(code)" / "(name)" pairs as GIAS publishes them, every field quoted (as
the GIAS download does), CRLF line endings, names with Windows-1252 characters (’ é).
Deterministic for a seed. Runs without Django.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

SEN_COLUMNS = [f"SEN{i} (name)" for i in range(1, 14)]

HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)",
    "OfficialSixthForm (code)", "OfficialSixthForm (name)", "Gender (code)", "Gender (name)",
    "ReligiousCharacter (code)", "ReligiousCharacter (name)", "ReligiousEthos (name)",
    "Diocese (code)", "Diocese (name)", "AdmissionsPolicy (code)", "AdmissionsPolicy (name)",
    "SchoolCapacity", "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate",
    "NumberOfPupils", "NumberOfBoys", "NumberOfGirls", "PercentageFSM",
    "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)",
    "Federations (code)", "Federations (name)", "UKPRN", "FEHEIdentifier",
    "FurtherEducationType (name)", "OfstedLastInsp", "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)", "LastChangedDate", "Street", "Locality", "Address3", "Town",
    "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)",
    "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "BSOInspectorateName (name)",
    "InspectorateReport", "DateOfLastInspectionVisit", "NextInspectionVisit",
    "TeenMoth (name)", "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)",
    "PlacesPRU", "FTProv (name)", "EdByOther (name)", "Section41Approved (name)",
    *SEN_COLUMNS,
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity",
    "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)",
    "DistrictAdministrative (code)", "DistrictAdministrative (name)",
    "AdministrativeWard (code)", "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)",
    "UrbanRural (code)", "UrbanRural (name)", "GSSLACode (name)", "Easting", "Northing",
    "MSOA (name)", "LSOA (name)", "InspectorateName (name)", "SENStat", "SENNoStat",
    "BoardingEstablishment (name)", "PropsName", "PreviousLA (code)", "PreviousLA (name)",
    "PreviousEstablishmentNumber", "OfstedRating (name)", "RSCRegion (name)", "Country (name)",
    "UPRN", "SiteName", "QABName (code)", "QABName (name)", "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)", "LSOA (code)",
    "FSM", "AccreditationExpiryDate",
]  # fmt: skip

# (type code, type name, group code, group name, phase code, phase name, low, high, weight)
TYPES = [
    (1, "Community school", 4, "Local authority maintained schools", 2, "Primary", 4, 11, 18),
    (2, "Voluntary aided school", 4, "Local authority maintained schools", 2, "Primary", 4, 11, 6),
    (3, "Voluntary controlled school", 4, "Local authority maintained schools", 2, "Primary", 4, 11, 5),
    (5, "Foundation school", 4, "Local authority maintained schools", 4, "Secondary", 11, 16, 2),
    (15, "Local authority nursery school", 4, "Local authority maintained schools", 1, "Nursery", 2, 5, 1),
    (34, "Academy converter", 10, "Academies", 2, "Primary", 4, 11, 16),
    (34, "Academy converter", 10, "Academies", 4, "Secondary", 11, 18, 5),
    (28, "Academy sponsor led", 10, "Academies", 2, "Primary", 3, 11, 7),
    (28, "Academy sponsor led", 10, "Academies", 4, "Secondary", 11, 16, 3),
    (35, "Free schools", 11, "Free Schools", 7, "All-through", 4, 18, 2),
    (7, "Community special school", 5, "Special schools", 0, "Not applicable", 2, 19, 2),
    (44, "Academy special converter", 10, "Academies", 0, "Not applicable", 3, 19, 1),
    (14, "Pupil referral unit", 4, "Local authority maintained schools", 0, "Not applicable", 5, 16, 1),
    (18, "Further education", 1, "Colleges", 5, "16 plus", 16, 99, 1),
    (11, "Other independent school", 3, "Independent schools", 0, "Not applicable", 3, 18, 8),
    (27, "Miscellaneous", 9, "Other types", 0, "Not applicable", 0, 0, 2),
]  # fmt: skip
STATUSES = [(1, "Open", 78), (2, "Closed", 19), (3, "Open, but proposed to close", 2),
            (4, "Proposed to open", 1)]  # fmt: skip
RATINGS = ["Outstanding", "Good", "Good", "Good", "Requires improvement", "Inadequate",
           "Serious Weaknesses", "Special Measures", ""]  # fmt: skip
PLACES = ["St Thomas’", "Ste-Thérèse", "Harbour", "Meadow", "Oakwood", "Riverside", "Hillside",
          "St Mary’s", "Fairfield", "Kingsway", "Brookfield", "Westfield", "Church Lane",
          "Beacon", "Highfield", "Northgate", "Southdown", "Elmhurst", "Abbey", "Victoria"]  # fmt: skip
KINDS = {"Primary": "Primary School", "Secondary": "Academy", "Nursery": "Nursery School",
         "All-through": "School", "16 plus": "College", "Not applicable": "School"}  # fmt: skip


def _date(rng: random.Random, start: int, end: int) -> str:
    day = dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((end - start) * 365))
    return day.strftime("%d-%m-%Y")


def generate(path: Path, *, rows: int = 50_000, encoding: str = "cp1252", seed: int = 1) -> Path:
    rng = random.Random(seed)
    las = [(code, f"Authority {code}") for code in range(201, 201 + 152)]
    trusts = [(5000 + i, f"{rng.choice(PLACES)} Learning Trust {i}") for i in range(2600)]
    weights = [t[-1] for t in TYPES]
    status_weights = [s[-1] for s in STATUSES]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        index = {name: i for i, name in enumerate(HEADER)}
        for n in range(rows):
            t_code, t_name, g_code, g_name, p_code, p_name, low, high, _ = rng.choices(
                TYPES, weights
            )[0]
            s_code, s_name, _ = rng.choices(STATUSES, status_weights)[0]
            la_code, la_name = las[n % len(las)]
            pupils = rng.randrange(20, 1800) if s_name != "Closed" else None
            row = [""] * len(HEADER)

            def put(column: str, value, row=row) -> None:
                row[index[column]] = "" if value is None else str(value)

            put("URN", 100000 + n)
            put("LA (code)", la_code)
            put("LA (name)", la_name)
            put("EstablishmentNumber", 1000 + n % 9000)
            put("EstablishmentName", f"{rng.choice(PLACES)} {KINDS[p_name]} {n}")
            put("TypeOfEstablishment (code)", t_code)
            put("TypeOfEstablishment (name)", t_name)
            put("EstablishmentTypeGroup (code)", g_code)
            put("EstablishmentTypeGroup (name)", g_name)
            put("EstablishmentStatus (code)", s_code)
            put("EstablishmentStatus (name)", s_name)
            put("ReasonEstablishmentOpened (name)", "Not applicable")
            put("OpenDate", _date(rng, 1990, 2024) if rng.random() < 0.6 else "")
            if s_name == "Closed":
                put("ReasonEstablishmentClosed (name)", "Academy Converter")
                put("CloseDate", _date(rng, 2005, 2025))
            put("PhaseOfEducation (code)", p_code)
            put("PhaseOfEducation (name)", p_name)
            put("StatutoryLowAge", low)
            put("StatutoryHighAge", high)
            put("Boarders (name)", "No boarders")
            put("NurseryProvision (name)", "No Nursery Classes")
            put("OfficialSixthForm (name)", "Does not have a sixth form")
            put("Gender (name)", "Mixed")
            rc = rng.random()
            put("ReligiousCharacter (name)", "Church of England" if rc < 0.2 else "Does not apply")
            put("Diocese (name)", "Diocese of Portsmouth" if rc < 0.2 else "Not applicable")
            put("AdmissionsPolicy (name)", "Not applicable")
            put("SchoolCapacity", (pupils or 200) + 30)
            put("CensusDate", "16-01-2025")
            put("NumberOfPupils", pupils)
            put("NumberOfBoys", pupils // 2 if pupils else None)
            put("NumberOfGirls", pupils - pupils // 2 if pupils else None)
            put("PercentageFSM", f"{rng.uniform(2, 60):.1f}" if pupils else "")
            academy = g_name in ("Academies", "Free Schools")
            if academy:
                uid, tname = trusts[rng.randrange(len(trusts))]
                put("TrustSchoolFlag (name)", "Supported by a multi-academy trust")
                put("Trusts (code)", uid)
                put("Trusts (name)", tname)
            else:
                put("TrustSchoolFlag (name)", "Not applicable")
            put("SchoolSponsorFlag (name)", "Not applicable")
            put("FederationFlag (name)", "Not under a federation")
            put("UKPRN", 10000000 + n)
            put("OfstedLastInsp", _date(rng, 2012, 2024) if rng.random() < 0.8 else "")
            put("OfstedRating (name)", rng.choice(RATINGS) if row[index["OfstedLastInsp"]] else "")
            put("LastChangedDate", _date(rng, 2023, 2025))
            put("Street", f"{rng.randrange(1, 200)} {rng.choice(PLACES)} Road")
            put("Town", la_name)
            put(
                "Postcode",
                f"PO{rng.randrange(1, 40)} {rng.randrange(1, 9)}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}",
            )
            put("SchoolWebsite", f"https://school{n}.example.org")
            put("TelephoneNum", f"023 9{n:07d}"[:13])
            put("HeadTitle (name)", "Mrs")
            put("HeadFirstName", "Renée")
            put("HeadLastName", f"O’Brien-{n}")
            put("HeadPreferredJobTitle", "Headteacher")
            for col in SEN_COLUMNS:
                put(col, "")
            put("GOR (name)", "South East")
            put("DistrictAdministrative (name)", la_name)
            put("UrbanRural (name)", "(A1) Urban major conurbation")
            put("GSSLACode (name)", f"E06{la_code:06d}")
            put("Easting", 460000 + n % 9000)
            put("Northing", 100000 + n % 9000)
            put("SENStat", rng.randrange(0, 20) if pupils else "")
            put("SENNoStat", rng.randrange(0, 80) if pupils else "")
            put("Country (name)", "United Kingdom")
            put("UPRN", 1775000000 + n)
            put("FSM", rng.randrange(0, 200) if pupils else "")
            writer.writerow(row)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--encoding", default="cp1252", choices=["cp1252", "utf-8-sig", "utf-8"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.path, rows=args.rows, encoding=args.encoding, seed=args.seed)
    size = args.path.stat().st_size / 1e6
    print(f"Wrote {args.rows} rows x {len(HEADER)} columns to {args.path} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
