"""The measure catalogue (DOMAIN.md section 4) and the EES / LAIT mappings it ships with.

Data is written literally here (not imported from app code) so the migration never changes
meaning when the app does. Officers edit measures and their RAG settings in the admin after.
Re-running is safe: rows are matched by code (measures) and indicator+filters (mappings).
"""

from django.db import migrations

PUPIL = ["all", "disadvantaged", "non_disadvantaged", "boys", "girls", "sen_support", "ehcp",
         "sen", "no_sen", "eal", "non_eal"]
PRIOR = ["prior_low", "prior_middle", "prior_high"]
BASIC = ["all", "disadvantaged", "non_disadvantaged", "boys", "girls"]

# code, name, short name, key stage, unit, polarity, decimals, CI, quartile, groups,
# headline, RAG tolerance, description
MEASURES = [
    ("eyfsp_gld", "EYFSP: % achieving a good level of development", "EYFSP GLD",
     "eyfsp", "percent", "higher_better", 1, False, True, PUPIL, True, 2.0,
     "Children at the end of reception reaching a good level of development."),
    ("phonics_y1_exp", "Phonics: % meeting the expected standard in Year 1", "Phonics Y1",
     "phonics", "percent", "higher_better", 1, False, True, PUPIL, True, 2.0,
     "Year 1 pupils meeting the expected standard in the phonics screening check."),
    ("ks1_read_exp", "KS1: % expected standard in reading", "KS1 reading",
     "ks1", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0, ""),
    ("ks1_writ_exp", "KS1: % expected standard in writing", "KS1 writing",
     "ks1", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0, ""),
    ("ks1_mat_exp", "KS1: % expected standard in maths", "KS1 maths",
     "ks1", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0, ""),
    ("ks1_rwm_exp", "KS1: % expected standard in reading, writing and maths", "KS1 RWM",
     "ks1", "percent", "higher_better", 1, False, True, PUPIL, True, 2.0, ""),
    ("ks2_read_exp", "KS2: % expected standard in reading", "KS2 reading",
     "ks2", "percent", "higher_better", 1, False, True, PUPIL + PRIOR, False, 2.0,
     "Performance tables: PTREAD_EXP."),
    ("ks2_writ_exp", "KS2: % expected standard in writing", "KS2 writing",
     "ks2", "percent", "higher_better", 1, False, True, PUPIL + PRIOR, False, 2.0,
     "Performance tables: PTWRITTA_EXP."),
    ("ks2_mat_exp", "KS2: % expected standard in maths", "KS2 maths",
     "ks2", "percent", "higher_better", 1, False, True, PUPIL + PRIOR, False, 2.0,
     "Performance tables: PTMAT_EXP."),
    ("ks2_rwm_exp", "KS2: % expected standard in reading, writing and maths", "KS2 RWM",
     "ks2", "percent", "higher_better", 1, False, True, PUPIL + PRIOR, True, 2.0,
     "Performance tables: PTRWM_EXP (and _FSM6CLA1A, _NotFSM6CLA1A, _B, _G, _EAL, _L/_M/_H)."),
    ("ks2_rwm_high", "KS2: % higher standard in reading, writing and maths", "KS2 RWM higher",
     "ks2", "percent", "higher_better", 1, False, True, PUPIL + PRIOR, False, 2.0,
     "Performance tables: PTRWM_HIGH."),
    ("ks2_read_prog", "KS2: reading progress score", "KS2 reading progress",
     "ks2", "progress", "higher_better", 1, True, True, PUPIL + PRIOR, True, 0.5,
     "Performance tables: READPROG with READPROG_LOWER / READPROG_UPPER and READPROG_DESCR."),
    ("ks2_writ_prog", "KS2: writing progress score", "KS2 writing progress",
     "ks2", "progress", "higher_better", 1, True, True, PUPIL + PRIOR, True, 0.5,
     "Performance tables: WRITPROG with WRITPROG_LOWER / WRITPROG_UPPER and WRITPROG_DESCR."),
    ("ks2_mat_prog", "KS2: maths progress score", "KS2 maths progress",
     "ks2", "progress", "higher_better", 1, True, True, PUPIL + PRIOR, True, 0.5,
     "Performance tables: MATPROG with MATPROG_LOWER / MATPROG_UPPER and MATPROG_DESCR."),
    ("ks4_att8", "KS4: Attainment 8 average score", "Attainment 8",
     "ks4", "score", "higher_better", 1, False, True, PUPIL + PRIOR, True, 1.0,
     "Performance tables: ATT8SCR."),
    ("ks4_p8", "KS4: Progress 8 score", "Progress 8",
     "ks4", "progress", "higher_better", 2, True, True, PUPIL + PRIOR, True, 0.1,
     "Performance tables: P8MEA with P8CILOW / P8CIUPP and P8_BANDING."),
    ("ks4_ebacc_entry", "KS4: % entering the English Baccalaureate", "EBacc entry",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0,
     "Performance tables: PTEBACC_E_PTQ_EE."),
    ("ks4_ebacc_95", "KS4: % achieving the EBacc at grades 9-5", "EBacc 9-5",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0,
     "Performance tables: PTEBACC_95."),
    ("ks4_ebacc_aps", "KS4: EBacc average point score", "EBacc APS",
     "ks4", "score", "higher_better", 2, False, True, PUPIL, False, 0.2,
     "Performance tables: EBACCAPS."),
    ("ks4_basics_94", "KS4: % grade 9-4 (standard pass) in English and maths", "Basics 9-4",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, True, 2.0,
     "Performance tables: PTL2BASICS_94."),
    ("ks4_basics_95", "KS4: % grade 9-5 (strong pass) in English and maths", "Basics 9-5",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0,
     "Performance tables: PTL2BASICS_95."),
    ("ks4_basics_ac", "KS4: % A*-C in English and maths (legacy)", "Basics A*-C",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0,
     "Legacy measure (to 2016), before 9-1 grades in English and maths."),
    ("ks4_5ac_em", "KS4: % 5+ A*-C including English and maths (legacy)", "5+ A*-C inc E&M",
     "ks4", "percent", "higher_better", 1, False, True, PUPIL, False, 2.0,
     "Legacy headline measure (to 2015); performance tables: PTAC5EM."),
    ("abs_overall_pct", "Attendance: overall absence (% of sessions)", "Overall absence",
     "attendance", "percent", "lower_better", 1, False, True, PUPIL, True, 0.3,
     "Lower is better."),
    ("abs_persistent_pct", "Attendance: % pupils persistently absent", "Persistent absence",
     "attendance", "percent", "lower_better", 1, False, True, PUPIL, True, 1.0,
     "Lower is better."),
    ("ofsted_schools_gob_pct", "Ofsted: % schools good or better", "% schools good+",
     "ofsted", "percent", "higher_better", 0, False, True, ["all"], True, 2.0, ""),
    ("ofsted_pupils_gob_pct", "Ofsted: % pupils in good or better schools", "% pupils in good+",
     "ofsted", "percent", "higher_better", 0, False, True, ["all"], False, 2.0, ""),
    ("p16_participation_16", "16-19: % 16-year-olds participating in education or training",
     "Participation at 16", "post16", "percent", "higher_better", 1, False, True, ["all"],
     False, 1.0, ""),
    ("p16_participation_17", "16-19: % 17-year-olds participating in education or training",
     "Participation at 17", "post16", "percent", "higher_better", 1, False, True, ["all"],
     False, 1.0, ""),
    ("p16_l2_by19", "16-19: % qualified to Level 2 by 19", "Level 2 by 19",
     "post16", "percent", "higher_better", 1, False, True, BASIC, False, 2.0, ""),
    ("p16_l3_by19", "16-19: % qualified to Level 3 by 19", "Level 3 by 19",
     "post16", "percent", "higher_better", 1, False, True, BASIC, False, 2.0, ""),
    ("p16_em_by19", "16-19: % achieving English and maths by 19 (without them at 16)",
     "E&M by 19", "post16", "percent", "higher_better", 1, False, True, BASIC, False, 2.0, ""),
]

# EES tidy-CSV indicator columns of the catalogue's own measures (all pupils; filter columns
# not named here must hold a total such as "Total" for a row to count).
EES = [
    ("overall_absence_perc", {"education_phase": "Total"}, "abs_overall_pct", "all", "value"),
    ("pa_perc", {"education_phase": "Total"}, "abs_persistent_pct", "all", "value"),
    ("gld_percentage", {}, "eyfsp_gld", "all", "value"),
    ("phonics_y1_expected_percent", {}, "phonics_y1_exp", "all", "value"),
    ("ks1_rwm_expected_percent", {}, "ks1_rwm_exp", "all", "value"),
    ("pt_rwm_met_expected_standard", {}, "ks2_rwm_exp", "all", "value"),
    ("avg_att8", {}, "ks4_att8", "all", "value"),
    ("avg_p8score", {}, "ks4_p8", "all", "value"),
    ("pt_l2basics_94", {}, "ks4_basics_94", "all", "value"),
    ("pt_l2basics_95", {}, "ks4_basics_95", "all", "value"),
    ("pt_ebacc_e_ptq_ee", {}, "ks4_ebacc_entry", "all", "value"),
    ("avg_ebaccaps", {}, "ks4_ebacc_aps", "all", "value"),
]

# LAIT "Short Desc" codes of the catalogue's own measures.
LAIT = [
    ("EYFSP_GLD", "eyfsp_gld", "all"),
    ("PHONICS_Y1_EXP", "phonics_y1_exp", "all"),
    ("KS1_READ_EXP", "ks1_read_exp", "all"),
    ("KS1_WRIT_EXP", "ks1_writ_exp", "all"),
    ("KS1_MAT_EXP", "ks1_mat_exp", "all"),
    ("KS1_RWM_EXP", "ks1_rwm_exp", "all"),
    ("KS2_READ_EXP", "ks2_read_exp", "all"),
    ("KS2_WRIT_EXP", "ks2_writ_exp", "all"),
    ("KS2_MAT_EXP", "ks2_mat_exp", "all"),
    ("KS2_RWM_EXP", "ks2_rwm_exp", "all"),
    ("KS2_RWM_EXP_DIS", "ks2_rwm_exp", "disadvantaged"),
    ("KS2_RWM_EXP_NDIS", "ks2_rwm_exp", "non_disadvantaged"),
    ("KS2_RWM_HIGH", "ks2_rwm_high", "all"),
    ("KS2_READ_PROG", "ks2_read_prog", "all"),
    ("KS2_WRIT_PROG", "ks2_writ_prog", "all"),
    ("KS2_MAT_PROG", "ks2_mat_prog", "all"),
    ("KS4_ATT8", "ks4_att8", "all"),
    ("KS4_P8", "ks4_p8", "all"),
    ("KS4_EBACC_ENTRY", "ks4_ebacc_entry", "all"),
    ("KS4_EBACC_APS", "ks4_ebacc_aps", "all"),
    ("KS4_BASICS_94", "ks4_basics_94", "all"),
    ("KS4_BASICS_95", "ks4_basics_95", "all"),
    ("KS4_5AC_EM", "ks4_5ac_em", "all"),
    ("ABS_OVERALL", "abs_overall_pct", "all"),
    ("ABS_PERSISTENT", "abs_persistent_pct", "all"),
    ("OFSTED_SCH_GOB", "ofsted_schools_gob_pct", "all"),
    ("OFSTED_PUP_GOB", "ofsted_pupils_gob_pct", "all"),
    ("P16_PART_16", "p16_participation_16", "all"),
    ("P16_PART_17", "p16_participation_17", "all"),
    ("L2_BY_19", "p16_l2_by19", "all"),
    ("L3_BY_19", "p16_l3_by19", "all"),
    ("EM_BY_19", "p16_em_by19", "all"),
]


def _key(filters):
    return ";".join(f"{k}={filters[k]}" for k in sorted(filters))


def load(apps, schema_editor):
    Measure = apps.get_model("outcomes", "Measure")
    IndicatorMapping = apps.get_model("outcomes", "IndicatorMapping")
    by_code = {}
    for order, row in enumerate(MEASURES, start=1):
        (code, name, short, ks, unit, polarity, dp, ci, quartile, groups, headline, tol,
         desc) = row
        measure, _ = Measure.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "short_name": short, "key_stage": ks, "unit": unit,
                "polarity": polarity, "decimal_places": dp, "has_confidence_interval": ci,
                "has_quartile": quartile, "groups": list(groups), "is_headline": headline,
                "rag_tolerance": tol, "rag_bottom_quartile_red": True,
                "description": desc, "sort_order": order * 10,
            },
        )
        by_code[code] = measure
    for indicator, filters, code, group, field in EES:
        IndicatorMapping.objects.update_or_create(
            source="ees", indicator=indicator, filters_key=_key(filters),
            defaults={"filters": filters, "measure": by_code[code], "pupil_group": group,
                      "field": field, "is_builtin": True},
        )
    for short_desc, code, group in LAIT:
        IndicatorMapping.objects.update_or_create(
            source="lait", indicator=short_desc, filters_key="",
            defaults={"filters": {}, "measure": by_code[code], "pupil_group": group,
                      "field": "value", "is_builtin": True},
        )


def unload(apps, schema_editor):
    apps.get_model("outcomes", "IndicatorMapping").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
