"""LAIT mappings keyed on LAIT's real ``Short Desc`` codes (its ``lait_data_dictionary.csv``,
December 2025) for every catalogue measure LAIT carries; the invented codes of 0002
(``KS2_RWM_EXP``...) matched nothing LAIT publishes and are removed.

Written literally (not imported from app code), like 0002. Catalogue measures LAIT does not
carry: KS1 RWM combined, the legacy KS4 A*-C measures, Ofsted % good or better, participation
at 16 and 17. LAIT's FSM rows are not the disadvantaged group and are not mapped.
"""

from django.db import migrations

OLD_CODES = [
    "EYFSP_GLD", "PHONICS_Y1_EXP", "KS1_READ_EXP", "KS1_WRIT_EXP", "KS1_MAT_EXP",
    "KS1_RWM_EXP", "KS2_READ_EXP", "KS2_WRIT_EXP", "KS2_MAT_EXP", "KS2_RWM_EXP",
    "KS2_RWM_EXP_DIS", "KS2_RWM_EXP_NDIS", "KS2_RWM_HIGH", "KS2_READ_PROG", "KS2_WRIT_PROG",
    "KS2_MAT_PROG", "KS4_ATT8", "KS4_P8", "KS4_EBACC_ENTRY", "KS4_EBACC_APS", "KS4_BASICS_94",
    "KS4_BASICS_95", "KS4_5AC_EM", "ABS_OVERALL", "ABS_PERSISTENT", "OFSTED_SCH_GOB",
    "OFSTED_PUP_GOB", "P16_PART_16", "P16_PART_17", "L2_BY_19", "L3_BY_19", "EM_BY_19",
]

# Short Desc (as LAIT spells it, inner spaces included), measure code, pupil group
LAIT = [
    ("FSP_NEW_GOODDEV", "eyfsp_gld", "all"),
    ("FSP_Gooddev_Without_SENSTATE", "eyfsp_gld", "sen_support"),
    ("FSP_Gooddev_With_SENSTATE", "eyfsp_gld", "ehcp"),
    ("KS1P_all", "phonics_y1_exp", "all"),
    ("KS1P_SEND", "phonics_y1_exp", "sen_support"),
    ("KS1P_EHCP", "phonics_y1_exp", "ehcp"),
    ("KS1P_NonSEND", "phonics_y1_exp", "no_sen"),
    ("KS1R_Expected_STD", "ks1_read_exp", "all"),
    ("KS1W_Expected _STD", "ks1_writ_exp", "all"),
    ("KS1M_Expected _STD", "ks1_mat_exp", "all"),
    ("KS2R_Expected_STD", "ks2_read_exp", "all"),
    ("KS2W_Teacher_Assess", "ks2_writ_exp", "all"),
    ("KS2M_Expected_STD", "ks2_mat_exp", "all"),
    ("KS2RWM_Expected_STD", "ks2_rwm_exp", "all"),
    ("DAP_NEW_KS2_RWM", "ks2_rwm_exp", "disadvantaged"),
    ("NonDAP_NEW_KS2_RWM", "ks2_rwm_exp", "non_disadvantaged"),
    ("NEW_KS2_RWM_Sen_W/Osta", "ks2_rwm_exp", "sen_support"),
    ("NEW_KS2_RWM_Sen_Withsta", "ks2_rwm_exp", "ehcp"),
    ("NoID_SEN_NEW_KS2_RWM", "ks2_rwm_exp", "no_sen"),
    ("KS2RWM_Higher_STD", "ks2_rwm_high", "all"),
    ("KS2R_Prog_VA", "ks2_read_prog", "all"),
    ("KS2_DAP_Reading_Progress", "ks2_read_prog", "disadvantaged"),
    ("KS2_NonDAP_Reading_Progress", "ks2_read_prog", "non_disadvantaged"),
    ("KS2_SENSupport_Reading_Progress", "ks2_read_prog", "sen_support"),
    ("KS2_SEN_Reading_Progress", "ks2_read_prog", "ehcp"),
    ("KS2_NonSEN_Reading_Progress", "ks2_read_prog", "no_sen"),
    ("KS2W_Prog_VA", "ks2_writ_prog", "all"),
    ("KS2_DAP_Writing_Progress", "ks2_writ_prog", "disadvantaged"),
    ("KS2_NonDAP_Writing_Progress", "ks2_writ_prog", "non_disadvantaged"),
    ("KS2_SENSupport_Writing_Progress", "ks2_writ_prog", "sen_support"),
    ("KS2_SEN_Writing_Progress", "ks2_writ_prog", "ehcp"),
    ("KS2_NonSEN_Writing_Progress", "ks2_writ_prog", "no_sen"),
    ("KS2M_Prog_VA", "ks2_mat_prog", "all"),
    ("KS2_DAP_Maths_Progress", "ks2_mat_prog", "disadvantaged"),
    ("KS2_NonDAP_Maths_Progress", "ks2_mat_prog", "non_disadvantaged"),
    ("KS2_SENSupport_Maths_Progress", "ks2_mat_prog", "sen_support"),
    ("KS2_SEN_Maths_Progress", "ks2_mat_prog", "ehcp"),
    ("KS2_NonSEN_Maths_Progress", "ks2_mat_prog", "no_sen"),
    ("AVG_Attain8_Score", "ks4_att8", "all"),
    ("DAP_KS4_ATT8", "ks4_att8", "disadvantaged"),
    ("NonDAP_KS4_ATT8", "ks4_att8", "non_disadvantaged"),
    ("SEN_WoStat_AVG_Attain8_Score", "ks4_att8", "sen_support"),
    ("SEN_Stat_AVG_Attain8_Score", "ks4_att8", "ehcp"),
    ("SEN_NoID_AVG_Attain8_Score", "ks4_att8", "no_sen"),
    ("AVG_Prog8_Score", "ks4_p8", "all"),
    ("DAP_KS4_Prog8", "ks4_p8", "disadvantaged"),
    ("NonDAP_KS4_Prog8", "ks4_p8", "non_disadvantaged"),
    ("SEN_WoStat_AVG_Prog8_Score", "ks4_p8", "sen_support"),
    ("SEN_Stat_AVG_Prog8_Score", "ks4_p8", "ehcp"),
    ("SEN_NoID_AVG_Prog8_Score", "ks4_p8", "no_sen"),
    ("EngMaths9-4", "ks4_basics_94", "all"),
    ("EngMaths9-5", "ks4_basics_95", "all"),
    ("EngBacEntries", "ks4_ebacc_entry", "all"),
    ("EngBacEntriesSENSupport", "ks4_ebacc_entry", "sen_support"),
    ("EngBacEntriesSEN", "ks4_ebacc_entry", "ehcp"),
    ("EngBacEntriesNonSEN", "ks4_ebacc_entry", "no_sen"),
    ("EngBacAvgPointScore", "ks4_ebacc_aps", "all"),
    ("EngBacAvgPointScoreSENSupport", "ks4_ebacc_aps", "sen_support"),
    ("EngBacAvgPointScoreSEN", "ks4_ebacc_aps", "ehcp"),
    ("EngBacAvgPointScoreNonSEN", "ks4_ebacc_aps", "no_sen"),
    ("EngBac9-5", "ks4_ebacc_95", "all"),
    ("TotAbs", "abs_overall_pct", "all"),
    ("TotPerAbNew", "abs_persistent_pct", "all"),
    ("Level2Age19", "p16_l2_by19", "all"),
    ("Level3Age19", "p16_l3_by19", "all"),
    ("L2Age19_E&M_not16", "p16_em_by19", "all"),
]


def load(apps, schema_editor):
    Measure = apps.get_model("outcomes", "Measure")
    IndicatorMapping = apps.get_model("outcomes", "IndicatorMapping")
    IndicatorMapping.objects.filter(source="lait", is_builtin=True, indicator__in=OLD_CODES).delete()
    measures = {m.code: m for m in Measure.objects.all()}
    for short_desc, code, group in LAIT:
        measure = measures.get(code)
        if measure is None:  # removed by an officer: nothing to map to
            continue
        IndicatorMapping.objects.update_or_create(
            source="lait", indicator=short_desc, filters_key="",
            defaults={"filters": {}, "measure": measure, "pupil_group": group,
                      "field": "value", "is_builtin": True},
        )


def unload(apps, schema_editor):
    IndicatorMapping = apps.get_model("outcomes", "IndicatorMapping")
    IndicatorMapping.objects.filter(
        source="lait", is_builtin=True, indicator__in=[row[0] for row in LAIT]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_datacollection_predictionsubmission_prediction_and_more")]
    operations = [migrations.RunPython(load, unload)]
