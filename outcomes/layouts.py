"""Declarative tables: which column or marker of each published layout means what.

The importers (``outcomes/importers/``) hold the reading machinery and no knowledge of
individual columns; everything a DfE layout change needs is edited here.

EES and LAIT indicators are NOT listed here: they live in the database as
``IndicatorMapping`` rows (the catalogue's own ship in migration 0002; officers add more).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .models import AreaType, PupilGroup, ResultField, ResultStatus, Suppression

# How a result's ``source`` (``<importer kind>: <file name>``) is named on the pages.
SOURCE_LABELS = {
    "ks2_performance_tables": "DfE KS2 performance tables",
    "ks4_performance_tables": "DfE KS4 performance tables",
    "ees": "Explore Education Statistics",
    "lait": "LAIT",
    "template": "PEP Portal template",
}

# --- Markers: cell text that means "no number", by layout family ----------------------------

PERFORMANCE_TABLE_MARKERS: dict[str, str] = {
    "SUPP": Suppression.SUPPRESSED,
    "NA": Suppression.NOT_APPLICABLE,
    "NE": Suppression.NOT_ENTERED,
    "NP": Suppression.NOT_PUBLISHED,
    "LOWCOV": Suppression.LOW_COVERAGE,
    "NSE": Suppression.NO_SCHOOL_ENTRIES,
    "NR": Suppression.NO_RESULT,
    "NEW": Suppression.NEW_SCHOOL,
    "SP": Suppression.SMALL_COHORT,
}
EES_MARKERS: dict[str, str] = {
    "x": Suppression.NOT_AVAILABLE,
    "z": Suppression.NOT_APPLICABLE,
    "c": Suppression.SUPPRESSED,
    "low": Suppression.ROUNDS_TO_ZERO,
    ":": Suppression.NOT_AVAILABLE,
}
LAIT_MARKERS: dict[str, str] = {
    "-": Suppression.NOT_AVAILABLE,
    "x": Suppression.SUPPRESSED,
    ".": Suppression.NOT_AVAILABLE,
    "..": Suppression.NOT_AVAILABLE,
}
# The portal template accepts its own suppression codes and every published marker.
TEMPLATE_MARKERS: dict[str, str] = {
    **{m.upper(): s for m, s in EES_MARKERS.items()},
    **PERFORMANCE_TABLE_MARKERS,
    **{s.value.upper(): s.value for s in Suppression if s.value},
    "-": Suppression.NOT_AVAILABLE,
}


# --- DfE performance tables -------------------------------------------------------------------
# One description per key stage; an edition's columns that a layout does not name are counted
# as "not imported". Where DfE publishes a column guide (the KS2 meta file, committed in
# ``outcomes/guides/``), the record types are read from it, not restated here.

GUIDES = Path(__file__).resolve().parent / "guides"

# How DfE's column guides describe each record type, and what the portal stores it as. The
# national comparator is the state-funded row (DOMAIN.md section 5); "all schools" is skipped.
RECTYPE_MEANINGS: dict[str, str | None] = {
    "mainstream school": AreaType.SCHOOL,
    "special school": AreaType.SCHOOL,
    "local authority": AreaType.LA,
    "national (all schools)": None,
    "national (state-funded schools only)": AreaType.NATIONAL,
    "national (state-funded schools)": AreaType.NATIONAL,
}


def guide_columns(name: str) -> dict[str, str]:
    """A DfE column guide (``Column, Field Name, Label/Description``): field -> description."""
    with open(GUIDES / name, encoding="utf-8-sig", newline="") as fh:
        return {
            row["Field Name"].strip(): row["Label/Description"].strip()
            for row in csv.DictReader(fh)
            if row.get("Field Name")
        }


def rectypes_from_guide(description: str) -> dict[str, str | None]:
    """'Record type (1=Mainstream school; ...; 5=National (state-funded schools only))' ->
    {'1': 'school', ..., '5': 'national'}; a meaning the portal does not know is an error."""
    inner = description[description.index("(") + 1 : description.rindex(")")]
    out: dict[str, str | None] = {}
    for part in inner.split(";"):
        code, _, meaning = part.strip().partition("=")
        key = meaning.strip().lower()
        if key not in RECTYPE_MEANINGS:
            raise ValueError(f"Record type {code} ({meaning}) is not one the portal knows.")
        out[code.strip()] = RECTYPE_MEANINGS[key]
    return out


@dataclass(frozen=True)
class PerformanceTableLayout:
    kind: str  # the importer kind / --layout name
    label: str
    signature: tuple[str, ...]  # header columns that identify the layout
    rectypes: dict[str, str | None]  # RECTYPE code -> area type (None = a row to skip)
    columns: dict[str, tuple[str, str]]  # all-pupils column -> (measure code, result field)
    cohort_columns: dict[str, str]  # column -> pupil group whose cohort it holds
    group_spellings: dict[str, str]  # how a column names a pupil group -> pupil group
    guide: str = ""  # DfE's column guide for the edition the layout was written from

    def resolve(self, column: str) -> tuple[str, str, str] | None:
        """(measure code, pupil group, field) for a header column, or None if not imported.

        A group's column is an all-pupils column with the group's spelling added as one
        ``_``-separated part, at the end (KS4 ``P8CILOW_FSM6CLA1A``, KS2 ``PTRWM_EXP_H``) or
        before the field's own ending (KS2 ``READPROG_FSM6CLA1A_LOWER``). Longest spelling
        first, so ``_NotFSM6CLA1A`` is never read as ``_FSM6CLA1A``.
        """
        if column in self.columns:
            measure, field = self.columns[column]
            return measure, PupilGroup.ALL, field
        for spelling in sorted(self.group_spellings, key=len, reverse=True):
            start = column.find(spelling)
            while start > 0:
                rest = column[start + len(spelling) :]
                if not rest or rest.startswith("_"):
                    base = column[:start] + rest
                    if base in self.columns:
                        measure, field = self.columns[base]
                        return measure, self.group_spellings[spelling], field
                start = column.find(spelling, start + 1)
        return None


# A year in a file name, as DfE names its downloads: "2018-2019_ks2final", "2018-19",
# "201819" (the academic year 2018/19, stored as 2019), or one year "2016" (2015/16).
FILE_NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)(?:[-_/]?(20\d\d|\d\d))?(?!\d)")

V, LO, HI, BAND = ResultField.VALUE, ResultField.CI_LOWER, ResultField.CI_UPPER, ResultField.BAND

KS2_GUIDE = "ks2_2018-2019_meta.csv"
KS2 = PerformanceTableLayout(
    kind="ks2_performance_tables",
    label="DfE performance tables: key stage 2 (school, LA and national rows)",
    signature=("RECTYPE", "URN", "TELIG"),
    # From DfE's guide: 1 mainstream, 2 special, 3 LA, 4 England all schools (skipped),
    # 5 England state-funded (the national comparator).
    rectypes=rectypes_from_guide(guide_columns(KS2_GUIDE)["RECTYPE"]),
    columns={
        "PTREAD_EXP": ("ks2_read_exp", V),
        "PTWRITTA_EXP": ("ks2_writ_exp", V),
        "PTMAT_EXP": ("ks2_mat_exp", V),
        "PTRWM_EXP": ("ks2_rwm_exp", V),
        "PTRWM_HIGH": ("ks2_rwm_high", V),
        "READPROG": ("ks2_read_prog", V),
        "READPROG_LOWER": ("ks2_read_prog", LO),
        "READPROG_UPPER": ("ks2_read_prog", HI),
        "READPROG_DESCR": ("ks2_read_prog", BAND),
        "WRITPROG": ("ks2_writ_prog", V),
        "WRITPROG_LOWER": ("ks2_writ_prog", LO),
        "WRITPROG_UPPER": ("ks2_writ_prog", HI),
        "WRITPROG_DESCR": ("ks2_writ_prog", BAND),
        "MATPROG": ("ks2_mat_prog", V),
        "MATPROG_LOWER": ("ks2_mat_prog", LO),
        "MATPROG_UPPER": ("ks2_mat_prog", HI),
        "MATPROG_DESCR": ("ks2_mat_prog", BAND),
        # Context: the cohort's prior attainment (read by "similar schools").
        "TKS1AVERAGE": ("ks2_prior_ks1_aps", V),
    },
    cohort_columns={
        "TELIG": PupilGroup.ALL,
        "TFSM6CLA1A": PupilGroup.DISADVANTAGED,
        "TNotFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,
        "BELIG": PupilGroup.BOYS,
        "GELIG": PupilGroup.GIRLS,
    },
    group_spellings={
        "_FSM6CLA1A": PupilGroup.DISADVANTAGED,
        "_NotFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,
        "_B": PupilGroup.BOYS,
        "_G": PupilGroup.GIRLS,
        "_EAL": PupilGroup.EAL,
        "_L": PupilGroup.PRIOR_LOW,
        "_M": PupilGroup.PRIOR_MIDDLE,
        "_H": PupilGroup.PRIOR_HIGH,
    },
    guide=KS2_GUIDE,
)

KS4 = PerformanceTableLayout(
    kind="ks4_performance_tables",
    label="DfE performance tables: key stage 4 (school, LA and national rows)",
    signature=("RECTYPE", "URN", "TPUP"),
    # KS4 codes differ from KS2 (no column guide in the download): 1 mainstream school,
    # 2 special school, 4 LA, 5 England all schools (skipped), 7 England state-funded (the
    # national comparator).
    rectypes={
        "1": AreaType.SCHOOL,
        "2": AreaType.SCHOOL,
        "4": AreaType.LA,
        "5": None,
        "7": AreaType.NATIONAL,
    },
    columns={
        "ATT8SCR": ("ks4_att8", V),
        "P8MEA": ("ks4_p8", V),
        "P8CILOW": ("ks4_p8", LO),
        "P8CIUPP": ("ks4_p8", HI),
        "P8_BANDING": ("ks4_p8", BAND),
        "PTL2BASICS_94": ("ks4_basics_94", V),
        "PTL2BASICS_95": ("ks4_basics_95", V),
        "PTEBACC_E_PTQ_EE": ("ks4_ebacc_entry", V),
        "PTEBACC_95": ("ks4_ebacc_95", V),
        "EBACCAPS": ("ks4_ebacc_aps", V),
        "PTAC5EM": ("ks4_5ac_em", V),
        # Context: the cohort's prior attainment (read by "similar schools").
        "KS2APS": ("ks4_prior_ks2_aps", V),
    },
    cohort_columns={
        "TPUP": PupilGroup.ALL,
        "TFSM6CLA1A": PupilGroup.DISADVANTAGED,
        "TNOTFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,
        "TNotFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,  # the spelling of older editions
        "TPRIORLO": PupilGroup.PRIOR_LOW,
        "TPRIORAV": PupilGroup.PRIOR_MIDDLE,
        "TPRIORHI": PupilGroup.PRIOR_HIGH,
    },
    # KS4 spells the groups its own way; "_ORIG" (Progress 8 before extreme scores were
    # capped) and the "_16"/"_17" cohort splits are other columns and stay unread.
    group_spellings={
        "_FSM6CLA1A": PupilGroup.DISADVANTAGED,
        "_NFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,
        "_NotFSM6CLA1A": PupilGroup.NON_DISADVANTAGED,
        "_BOYS": PupilGroup.BOYS,
        "_GIRLS": PupilGroup.GIRLS,
        "_EAL": PupilGroup.EAL,
        "_LO": PupilGroup.PRIOR_LOW,
        "_AV": PupilGroup.PRIOR_MIDDLE,
        "_HI": PupilGroup.PRIOR_HIGH,
    },
)

PERFORMANCE_TABLE_LAYOUTS = {layout.kind: layout for layout in (KS2, KS4)}


# --- EES tidy CSV ----------------------------------------------------------------------------

EES_SIGNATURE = ("time_period", "geographic_level")
# Columns every EES file may carry that are neither filters nor indicators.
EES_STANDARD_COLUMNS = frozenset(
    {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "new_la_code",
        "old_la_code",
        "la_name",
        "lad_code",
        "lad_name",
        "school_urn",
        "urn",
        "school_laestab",
        "school_name",
        "opportunity_area_code",
        "opportunity_area_name",
        "pcon_code",
        "pcon_name",
    }
)
EES_LEVELS = {
    "national": AreaType.NATIONAL,
    "regional": AreaType.REGION,
    "local authority": AreaType.LA,
    "school": AreaType.SCHOOL,
}
# EES time identifiers that mean a whole year: anything else (year to date, a term, a week,
# a month) is a part-year figure, kept with its period and never compared as a year.
EES_FULL_YEAR_PERIODS = frozenset(
    {"academic year", "calendar year", "financial year", "tax year", "reporting year"}
)
# A filter column a mapping does not name must hold one of these for the row to count.
EES_TOTAL_WORDS = frozenset({"total", "all", "all pupils", "all schools", "all pupils total"})


# --- LAIT long format ------------------------------------------------------------------------

LAIT_COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number")
LAIT_SIGNATURE = ("Short Desc", "Values", "LA and Regions")
ENGLAND_NAMES = frozenset({"england", "england (state-funded)", "england total"})
# LAIT's area numbers beyond the LAs: England, then the regions (980 North East ... 990 South
# West, with London (Inner) 987 and London (Outer) 988 beside London 986).
LAIT_ENGLAND = 970
LAIT_REGIONS = range(980, 991)
# Years: "2024", "2023-24", "2016/17", "2014-16", "2013/14-15/16", optionally "(suffix)".
LAIT_YEAR = re.compile(
    r"^(?P<first>\d{4})(?:/(?P<first_end>\d{2}))?(?:\s*-\s*(?P<last>\d{4}|\d{2})(?:/(?P<after>\d{2}))?)?"
    r"(?:\s*\((?P<suffix>[^)]*)\))?$"
)
LAIT_YEAR_SUFFIXES: dict[str, str] = {
    "prov": ResultStatus.PROVISIONAL,
    "rev": ResultStatus.REVISED,
    "final": ResultStatus.FINAL,
    "ot": ResultStatus.FINAL,  # outturn: the final spending figures (finance measures)
}


# --- The portal's own template ---------------------------------------------------------------

TEMPLATE_COLUMNS = (
    "measure_code",
    "area_type",
    "area_code",
    "academic_year",
    "pupil_group",
    "value",
    "cohort",
    "ci_lower",
    "ci_upper",
    "status",
)
TEMPLATE_REQUIRED = ("measure_code", "area_type", "academic_year", "value")
# Example rows in the downloadable template (numbers as numbers, so spreadsheets keep them).
TEMPLATE_EXAMPLE_ROWS = (
    ("ks2_rwm_exp", "la", 851, 2016, "all", 47.6, 1850, None, None, "provisional"),
    ("ks2_read_prog", "school", 116111, 2016, "all", -1.6, 58, -3.1, -0.1, "final"),
    ("ks2_rwm_exp", "national", None, 2016, "disadvantaged", 39, None, None, None, "revised"),
    ("ks2_rwm_exp", "school", 116111, 2016, "eal", "SUPP", None, None, None, "final"),
)
