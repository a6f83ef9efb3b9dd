"""Red flags of reference.md §2 through `evaluate` (contract B, C.2–C.5, E.1–E.5).

Every intake rule of §2 has a case where it fires (tier/action, the triggered_by facts C.2 requires, the sources of
its §2 row, an explain entry) and a case one step short of its threshold or condition where it must not fire (or not
upgrade). POST-TX-NEURO is a follow-up rule (§2.4 "at follow-up", contract A) and is not part of the intake engine.

The expected values are copied from reference.md §2 and contract.md; nothing here reads ../shared at test time.
Plain pytest, no database.
"""

from __future__ import annotations

import pytest

from intake.triage import InvalidInput, evaluate
from tests.engine.builders import intake

LUMBAR = "NO_MANUAL_THERAPY_REGION=lumbar"
THORACIC = "NO_MANUAL_THERAPY_REGION=thoracic"
NO_CERVICAL_MT = "NO_CERVICAL_MANUAL_THERAPY"
HVLA = "NO_CERVICAL_HVLA_UNTIL_CLEARED"

ED_NOW, SAME_DAY, URGENT, ROUTINE_REF, NOTE = "ED_NOW", "SAME_DAY", "URGENT_REFERRAL", "ROUTINE_REFERRAL", "NOTE"
# §0.3 / contract C.2: the only tier/action pairs.
TIER = {ED_NOW: "EMERGENCY", SAME_DAY: "EMERGENCY", URGENT: "URGENT", ROUTINE_REF: "ROUTINE", NOTE: "ROUTINE"}

# The Sources column of each §2 row, citation keys in the order they appear there (contract C.2 `sources`).
SOURCES = {
    "LBP-CES-1": ["BASS18", "GLOS", "GIRFT23", "FIN20"],
    "LBP-CES-2": ["BASS18", "GIRFT23"],
    "LBP-NEURO": ["GLOS", "FIN20"],
    "LBP-MSCC": ["NG234"],
    "LBP-MALIG": ["COCH-MAL", "DOW13", "FIN20", "GLOS"],
    "LBP-INFECT": ["GLOS", "FIN20"],
    "LBP-INFECT-RISK": ["GLOS", "FIN20"],
    "LBP-FX-TRAUMA": ["DOW13", "COCH-FX"],
    "LBP-FX-OSTEO": ["DOW13", "COCH-FX"],
    "LBP-AAA-RUPT": ["NG156", "GG-AAA"],
    "LBP-AAA-RISK": ["NG156", "GG-AAA"],
    "LBP-AXSPA": ["NG65", "BJGP-NG65"],
    "HA-THUNDER": ["ICHD3-4.4", "SNNOOP10"],
    "HA-MENING": ["NG240", "SNNOOP10"],
    "HA-FEVER": ["SNNOOP10"],
    "HA-NEURO": ["SNNOOP10", "CMAJ-SNOOP4"],
    "HA-AURA-ATYP": ["DANISH-ICHD", "YEUNGNAM-ICHD", "SNNOOP10"],
    "HA-GCA": ["BSR20", "BSR-NEWS", "REMEDY-GCA", "SNNOOP10"],
    "HA-OLDER": ["SNNOOP10"],
    "HA-NEW-PATTERN": ["SNNOOP10", "CMAJ-SNOOP4"],
    "HA-PROGRESSIVE": ["SNNOOP10", "CMAJ-SNOOP4"],
    "HA-PDPH": ["ICHD3-7.2.1", "SNNOOP10"],
    "HA-ORTHOSTATIC": ["JKNA-ICHD7", "ICHD3-7.2.2", "SNNOOP10"],
    "HA-RAISED-ICP": ["CMAJ-SNOOP4", "SNNOOP10"],
    "HA-VALSALVA": ["SNNOOP10", "CMAJ-SNOOP4"],
    "HA-PREG": ["NG133", "SNNOOP10", "DRMASH-SNNOOP"],
    "HA-IMMUNO": ["SNNOOP10"],
    "HA-NEOPLASM": ["SNNOOP10"],
    "HA-TRAUMA": ["SNNOOP10"],
    "HA-EYE": ["SNNOOP10"],
    "HA-DRUG": ["SNNOOP10"],
    "CAD-ACUTE": ["IFOMPT20", "UNANS-5D3N", "ARNOLD06", "DOVE-CEAD"],
    "CAD-HISTORY": ["IFOMPT20"],
    "CAD-RISK": ["IFOMPT20", "OPENNEURO-CAD", "MIGRAINE-CEAD"],
    "UCI-RISK": ["IFOMPT-PP3"],
    "MH-SI": ["AACN-PHQ9", "IATROX-PHQ9", "SIMON13"],
}
# Every rule ID of §2 that the intake engine evaluates (all but the follow-up-only POST-TX-NEURO).
INTAKE_FLAG_IDS = frozenset(SOURCES)

CES_ITEMS = (
    "ces_saddle_numbness",
    "ces_urinary_difficulty",
    "ces_urinary_incontinence",
    "ces_bowel_dysfunction",
    "ces_sexual_dysfunction",
)
HA_NEURO_ITEMS = (
    "hemi_weakness_new",
    "hemi_numbness_new",
    "speech_difficulty_new",
    "facial_droop_new",
    "vision_loss_new",
    "seizure_new",
    "faint_new",
    "diplopia_new",
    "ataxia_new",
)
CAD_ITEMS = (
    "vertigo_new",
    "diplopia_new",
    "dysarthria_new",
    "dysphagia_new",
    "drop_attacks_new",
    "nystagmus_new",
    "facial_numbness_new",
    "ataxia_new",
    "ptosis",
    "pulsatile_tinnitus",
)
CAD_RF_ITEMS = (
    "cad_rf_hypertension",
    "cad_rf_high_cholesterol",
    "cad_rf_connective_tissue",
    "cad_rf_recent_infection",
    "cad_rf_migraine",
    "cad_rf_family_history",
    "cad_rf_smoker",
)
UCI_ITEMS = ("uci_rheumatoid_arthritis", "uci_down_syndrome", "uci_neck_surgery")
AXSPA_FIELDS = (
    "axspa_night_waking",
    "axspa_buttock_pain",
    "axspa_improves_with_movement",
    "axspa_nsaid_response_48h",
    "axspa_family_history",
    "axspa_arthritis",
    "axspa_enthesitis",
    "axspa_psoriasis",
)


# --- helpers -----------------------------------------------------------------------------------------------


def summarise(overrides: dict) -> dict:
    """evaluate() on a builder intake. Two extra keys edit the first headache type: `ha0` (fields of ha_types[0])
    and `aura0` (fields of ha_types[0].aura, which needs aura=True)."""
    kw = dict(overrides)
    ha0, aura0 = kw.pop("ha0", None), kw.pop("aura0", None)
    answers = intake(**kw)
    if ha0:
        answers["ha_types"][0].update(ha0)
    if aura0:
        answers["ha_types"][0]["aura"].update(aura0)
    try:
        return evaluate(answers)
    except InvalidInput as exc:  # a broken test intake, not an engine result
        pytest.fail(f"invalid test intake: {[e.as_dict() for e in exc.errors]}")


def flags(summary: dict) -> dict[str, str]:
    """{flag id: action} of the fired flags."""
    return {f["id"]: f["action"] for f in summary["red_flags"]}


def flag(summary: dict, flag_id: str) -> dict | None:
    found = [f for f in summary["red_flags"] if f["id"] == flag_id]
    assert len(found) <= 1, f"{flag_id} reported more than once (C.2)"
    return found[0] if found else None


def unclear_note(summary: dict) -> dict | None:
    found = [n for n in summary["notes"] if n["id"] == "RF-UNCLEAR"]
    assert len(found) <= 1, "more than one RF-UNCLEAR note (§2.1: one note)"
    return found[0] if found else None


def cad(item: str, within_14: str = "yes", **kw) -> dict:
    """A CAD item answered yes; `neuro_symptoms_within_14_days` is then required (B.5)."""
    return {item: "yes", "neuro_symptoms_within_14_days": within_14, **kw}


def typical(*classes: str, **kw) -> dict:
    """A patient with aura whose established usual aura is `classes` (E.4); the aura types include them."""
    types = ["visual", *(c for c in classes if c != "visual")]
    return {"aura": True, "aura0": {"types": types}, "typical_aura": list(classes), **kw}


def first_aura(**kw) -> dict:
    """A first-ever aura: typical_aura must then be [] (B.14 #10)."""
    return {"aura": True, "aura_first_ever": "yes", "typical_aura": [], **kw}


def pdph(onset_days, days_ago=10, no_longer_positional="no", **kw) -> dict:
    """A dural puncture `onset_days` before this headache began (B.9 fields required with the procedure)."""
    return {
        "dural_puncture_procedure": "yes",
        "procedure_days_ago": days_ago,
        "procedure_to_headache_onset_days": onset_days,
        "pdph_no_longer_positional": no_longer_positional,
        **kw,
    }


def pregnant(weeks: int, symptoms=(), **kw) -> dict:
    return {"pregnant": "yes", "gestation_weeks": weeks, "preeclampsia_symptoms": list(symptoms), **kw}


def postpartum(weeks: int, symptoms=(), **kw) -> dict:
    return {"postpartum_weeks": weeks, "preeclampsia_symptoms": list(symptoms), **kw}


def head_trauma(days: int, **kw) -> dict:
    return {"head_neck_trauma": "yes", "neck_trauma_days": days, **kw}


def major_trauma(days: int, **kw) -> dict:
    return {"major_trauma": "yes", "major_trauma_days": days, **kw}


def axspa(n_fields: int, onset: int = 40, history: int = 12, **kw) -> dict:
    """Back pain first at `onset` (criterion 1 only when < 35), `history` months overall, the first n NG65 fields."""
    age = max(40, onset)
    return {
        "age": age,
        "back_pain_onset_age": onset,
        "back_pain_history_months": history,
        **{f: "yes" for f in AXSPA_FIELDS[:n_fields]},
        **kw,
    }


def phq9(item9: int, others: int = 0) -> dict:
    return {"instruments": {"phq9": [others] * 8 + [item9]}}


# --- (a) every rule fires with its tier/action, facts, sources and explain entry ------------------------------

P = pytest.param
FIRES = [
    # §2.2 low back pain
    *(P({item: "yes"}, "LBP-CES-1", ED_NOW, [f"{item}=yes"], id=f"lbp_ces_1_fires_on_{item}") for item in CES_ITEMS),
    P({"back": False, "leg": True, "ces_urinary_incontinence": "yes"}, "LBP-CES-1", ED_NOW,
      ["ces_urinary_incontinence=yes"], id="lbp_ces_1_fires_with_leg_pain_only"),
    P({"leg": True, "leg_pain_below_knee": "both"}, "LBP-CES-2", SAME_DAY, ["leg_pain_below_knee=both"],
      id="lbp_ces_2_fires_on_bilateral_leg_pain_below_the_knee"),
    P({"back": False, "leg": True, "leg_pain_below_knee": "both"}, "LBP-CES-2", SAME_DAY,
      ["leg_pain_below_knee=both"], id="lbp_ces_2_fires_with_leg_pain_only"),
    P({"leg_weakness_new": "yes", "leg_weakness_progressing": "yes"}, "LBP-NEURO", SAME_DAY,
      ["leg_weakness_new=yes", "leg_weakness_progressing=yes"], id="lbp_neuro_fires_on_new_progressing_weakness"),
    *(P({"cancer_history": "yes", symptom: "yes"}, "LBP-MSCC", ED_NOW, ["cancer_history=yes", f"{symptom}=yes"],
        id=f"lbp_mscc_fires_on_cancer_and_{symptom}")
      for symptom in ("leg_weakness_new", "gait_disturbance_new", "sensory_change_new", "ces_bowel_dysfunction")),
    P({"cancer_history": "yes", "back_pain_new_or_changed": "yes"}, "LBP-MALIG", URGENT,
      ["cancer_history=yes", "back_pain_new_or_changed=yes"], id="lbp_malig_clause_a_cancer_and_new_spinal_pain"),
    P({"unexplained_weight_loss": "yes", "age": 50}, "LBP-MALIG", URGENT, ["unexplained_weight_loss=yes", "age=50"],
      id="lbp_malig_clause_b_weight_loss_at_age_50"),
    P({"unexplained_weight_loss": "yes", "night_pain_unrelenting": "yes"}, "LBP-MALIG", URGENT,
      ["unexplained_weight_loss=yes", "night_pain_unrelenting=yes"],
      id="lbp_malig_clause_b_weight_loss_and_night_pain"),
    P({"unexplained_weight_loss": "yes", "thoracic_pain": "yes"}, "LBP-MALIG", URGENT,
      ["unexplained_weight_loss=yes", "thoracic_pain=yes"], id="lbp_malig_clause_b_weight_loss_and_thoracic_pain"),
    P({"fever_recent": "yes"}, "LBP-INFECT", SAME_DAY, ["fever_recent=yes"], id="lbp_infect_fires_on_recent_fever"),
    P({"fever_recent": "yes", "sensory_change_new": "yes"}, "LBP-INFECT", ED_NOW,
      ["fever_recent=yes", "sensory_change_new=yes"], id="lbp_infect_upgrades_to_ed_now_with_a_new_neuro_symptom"),
    P({"fever_recent": "yes", "ces_urinary_difficulty": "yes"}, "LBP-INFECT", ED_NOW,
      ["fever_recent=yes", "ces_urinary_difficulty=yes"], id="lbp_infect_upgrades_to_ed_now_with_bladder_change"),
    *(P({risk: "yes", "back_pain_new_or_changed": "yes"}, "LBP-INFECT-RISK", URGENT,
        [f"{risk}=yes", "back_pain_new_or_changed=yes"], id=f"lbp_infect_risk_fires_on_{risk}_without_fever")
      for risk in ("ivdu", "immunosuppressed", "recent_spinal_procedure")),
    P(major_trauma(7), "LBP-FX-TRAUMA", SAME_DAY, ["major_trauma=yes", "major_trauma_days=7"],
      id="lbp_fx_trauma_fires_7_days_after_major_trauma"),
    P(major_trauma(0), "LBP-FX-TRAUMA", SAME_DAY, ["major_trauma=yes", "major_trauma_days=0"],
      id="lbp_fx_trauma_fires_on_the_day_of_major_trauma"),
    P({"age": 65, "onset_sudden": "yes"}, "LBP-FX-OSTEO", URGENT, ["age=65", "onset_sudden=yes"],
      id="lbp_fx_osteo_fires_at_age_65_with_sudden_onset"),
    P({"osteoporosis": "yes", "minor_trauma": "yes"}, "LBP-FX-OSTEO", URGENT,
      ["osteoporosis=yes", "minor_trauma=yes"], id="lbp_fx_osteo_fires_on_osteoporosis_and_minor_trauma"),
    P({"steroids_3mo_plus": "yes", "onset_sudden": "yes"}, "LBP-FX-OSTEO", URGENT,
      ["steroids_3mo_plus=yes", "onset_sudden=yes"], id="lbp_fx_osteo_fires_on_long_term_steroids_and_sudden_onset"),
    P({"back_pain_new_or_changed": "yes", "collapse_or_faint": "yes"}, "LBP-AAA-RUPT", ED_NOW,
      ["back_pain_new_or_changed=yes", "collapse_or_faint=yes"], id="lbp_aaa_rupt_fires_on_new_back_pain_and_collapse"),
    P({"abdominal_pain_new": "yes", "known_aaa": "yes"}, "LBP-AAA-RUPT", ED_NOW,
      ["abdominal_pain_new=yes", "known_aaa=yes"], id="lbp_aaa_rupt_fires_on_new_abdominal_pain_and_known_aaa"),
    P({"age": 50, "abdominal_pulsation": "yes", "back_pain_unchanged_by_movement": "yes"}, "LBP-AAA-RISK", URGENT,
      ["age=50", "abdominal_pulsation=yes", "back_pain_unchanged_by_movement=yes"],
      id="lbp_aaa_risk_fires_at_age_50_with_pulsation_and_pain_unchanged_by_movement"),
    P(axspa(4), "LBP-AXSPA", ROUTINE_REF,
      ["back_pain_onset_age=40", "back_pain_history_months=12", *(f"{f}=yes" for f in AXSPA_FIELDS[:4])],
      id="lbp_axspa_fires_with_4_criteria"),
    P(axspa(3), "LBP-AXSPA", ROUTINE_REF, [f"{f}=yes" for f in AXSPA_FIELDS[:3]],
      id="lbp_axspa_fires_with_exactly_3_criteria"),
    P(axspa(4, onset=44, age=50), "LBP-AXSPA", ROUTINE_REF, ["back_pain_onset_age=44"],
      id="lbp_axspa_fires_when_back_pain_began_at_44"),
    P(axspa(4, history=4), "LBP-AXSPA", ROUTINE_REF, ["back_pain_history_months=4"],
      id="lbp_axspa_fires_after_4_months_of_back_problems"),
    # §2.3 headache
    P({"onset_to_peak": "seconds"}, "HA-THUNDER", ED_NOW, ["onset_to_peak=seconds"],
      id="ha_thunder_fires_when_peak_is_reached_in_seconds"),
    P({"onset_to_peak": "within_a_minute"}, "HA-THUNDER", ED_NOW, ["onset_to_peak=within_a_minute"],
      id="ha_thunder_fires_when_peak_is_reached_within_a_minute"),
    *(P({"fever": "yes", sign: "yes"}, "HA-MENING", ED_NOW, ["fever=yes", f"{sign}=yes"],
        id=f"ha_mening_fires_on_fever_and_{sign}")
      for sign in ("neck_stiffness", "confusion_drowsy", "non_blanching_rash")),
    P({"fever": "yes"}, "HA-FEVER", SAME_DAY, ["fever=yes"], id="ha_fever_fires_on_fever_with_headache"),
    *(P(cad(item) if item in CAD_ITEMS else {item: "yes"}, "HA-NEURO", ED_NOW, [f"{item}=yes"],
        id=f"ha_neuro_fires_on_{item}")
      for item in HA_NEURO_ITEMS),
    P(typical("visual", "sensory", "speech", hemi_weakness_new="yes"), "HA-NEURO", ED_NOW, ["hemi_weakness_new=yes"],
      id="ha_neuro_fires_on_weakness_even_with_an_established_typical_aura"),
    P(typical("visual", **cad("diplopia_new")), "HA-NEURO", ED_NOW, ["diplopia_new=yes"],
      id="ha_neuro_fires_on_double_vision_even_with_a_typical_visual_aura"),
    P(typical(vision_loss_new="yes"), "HA-NEURO", ED_NOW, ["vision_loss_new=yes"],
      id="ha_neuro_fires_on_vision_loss_when_the_aura_is_not_established"),
    P(first_aura(aura_limb_weakness="yes"), "HA-AURA-ATYP", ED_NOW, ["aura_first_ever=yes", "aura_limb_weakness=yes"],
      id="ha_aura_atyp_ed_now_on_first_aura_with_limb_weakness"),
    P(first_aura(aura0={"types": ["visual", "motor"]}), "HA-AURA-ATYP", ED_NOW,
      ["aura_first_ever=yes", "ha_types[0].aura.types[]=motor"], id="ha_aura_atyp_ed_now_on_first_motor_aura"),
    P(first_aura(aura0={"types": ["visual", "speech"]}), "HA-AURA-ATYP", ED_NOW,
      ["aura_first_ever=yes", "ha_types[0].aura.types[]=speech"],
      id="ha_aura_atyp_ed_now_on_first_aura_with_speech_loss"),
    P({"aura": True, "aura_sudden_onset": "yes"}, "HA-AURA-ATYP", ED_NOW, ["aura_sudden_onset=yes"],
      id="ha_aura_atyp_ed_now_on_sudden_onset_aura"),
    P({"aura": True, "aura_over_60min": "yes"}, "HA-AURA-ATYP", URGENT, ["aura_over_60min=yes"],
      id="ha_aura_atyp_urgent_on_a_known_aura_over_60_minutes"),
    P(first_aura(aura_over_60min="yes"), "HA-AURA-ATYP", URGENT, ["aura_over_60min=yes"],
      id="ha_aura_atyp_urgent_on_a_first_aura_over_60_minutes"),
    P({"aura": True, "aura_started_age_50_plus": "yes"}, "HA-AURA-ATYP", URGENT, ["aura_started_age_50_plus=yes"],
      id="ha_aura_atyp_urgent_on_aura_that_started_at_50_or_over"),
    P(first_aura(age=50), "HA-AURA-ATYP", URGENT, ["aura_first_ever=yes", "age=50"],
      id="ha_aura_atyp_urgent_on_a_first_aura_at_age_50"),
    P({"aura": True, "aura_sudden_onset": "yes", "aura_over_60min": "yes"}, "HA-AURA-ATYP", ED_NOW,
      ["aura_sudden_onset=yes"], id="ha_aura_atyp_is_reported_once_at_ed_now_when_both_levels_hold"),
    P({"age": 50, "new_headache": "yes", "gca_jaw_claudication": "yes"}, "HA-GCA", SAME_DAY,
      ["age=50", "new_headache=yes", "gca_jaw_claudication=yes"], id="ha_gca_fires_at_age_50_with_jaw_claudication"),
    P({"age": 70, "new_headache": "yes", "gca_visual": "yes"}, "HA-GCA", ED_NOW,
      ["age=70", "new_headache=yes", "gca_visual=yes"], id="ha_gca_upgrades_to_ed_now_with_visual_symptoms"),
    P({"age": 50, "new_headache": "yes"}, "HA-OLDER", URGENT, ["age=50", "new_headache=yes"],
      id="ha_older_fires_on_a_new_headache_at_age_50"),
    P({"new_headache": "yes"}, "HA-NEW-PATTERN", URGENT, ["new_headache=yes"],
      id="ha_new_pattern_fires_on_a_new_headache"),
    P({"pattern_change_3mo": "yes"}, "HA-NEW-PATTERN", URGENT, ["pattern_change_3mo=yes"],
      id="ha_new_pattern_fires_on_a_changed_pattern"),
    P({"progressive": "yes"}, "HA-PROGRESSIVE", URGENT, ["progressive=yes"], id="ha_progressive_fires_urgent"),
    P({"progressive": "yes", "vomiting": "yes"}, "HA-PROGRESSIVE", SAME_DAY, ["progressive=yes", "vomiting=yes"],
      id="ha_progressive_upgrades_to_same_day_with_vomiting"),
    P({"progressive": "yes", "hemi_weakness_new": "yes"}, "HA-PROGRESSIVE", SAME_DAY,
      ["progressive=yes", "hemi_weakness_new=yes"], id="ha_progressive_upgrades_to_same_day_with_a_neuro_symptom"),
    P(pdph(5), "HA-PDPH", SAME_DAY, ["dural_puncture_procedure=yes", "procedure_to_headache_onset_days=5"],
      id="ha_pdph_fires_when_headache_began_5_days_after_the_puncture"),
    P(pdph(0), "HA-PDPH", SAME_DAY, ["dural_puncture_procedure=yes", "procedure_to_headache_onset_days=0"],
      id="ha_pdph_fires_when_headache_began_on_the_day_of_the_puncture"),
    P(pdph(1, no_longer_positional="yes"), "HA-PDPH", ED_NOW, ["pdph_no_longer_positional=yes"],
      id="ha_pdph_upgrades_to_ed_now_when_no_longer_positional"),
    P(pdph(1, seizure_new="yes"), "HA-PDPH", ED_NOW, ["seizure_new=yes"],
      id="ha_pdph_upgrades_to_ed_now_with_a_seizure"),
    P(pdph(1, confusion_drowsy="yes"), "HA-PDPH", ED_NOW, ["confusion_drowsy=yes"],
      id="ha_pdph_upgrades_to_ed_now_with_confusion"),
    P(pdph(1, facial_droop_new="yes"), "HA-PDPH", ED_NOW, ["facial_droop_new=yes"],
      id="ha_pdph_upgrades_to_ed_now_with_a_focal_sign"),
    P({"orthostatic": "yes"}, "HA-ORTHOSTATIC", URGENT, ["orthostatic=yes"],
      id="ha_orthostatic_fires_on_an_orthostatic_headache"),
    P(pdph(6, orthostatic="yes"), "HA-ORTHOSTATIC", URGENT, ["orthostatic=yes"],
      id="ha_orthostatic_fires_when_the_puncture_was_6_days_before_onset"),
    P({"worse_lying_or_morning": "yes", "vomiting": "yes"}, "HA-RAISED-ICP", URGENT,
      ["worse_lying_or_morning=yes", "vomiting=yes"], id="ha_raised_icp_fires_on_worse_lying_with_vomiting"),
    P({"transient_visual_obscurations": "yes"}, "HA-RAISED-ICP", URGENT, ["transient_visual_obscurations=yes"],
      id="ha_raised_icp_fires_on_transient_visual_obscurations"),
    P(cad("pulsatile_tinnitus", "no"), "HA-RAISED-ICP", URGENT, ["pulsatile_tinnitus=yes"],
      id="ha_raised_icp_fires_on_pulsatile_tinnitus_older_than_14_days"),
    P({"transient_visual_obscurations": "yes", "vision_loss_new": "yes"}, "HA-RAISED-ICP", ED_NOW,
      ["transient_visual_obscurations=yes", "vision_loss_new=yes"],
      id="ha_raised_icp_upgrades_to_ed_now_with_new_vision_loss"),
    P({"valsalva_or_exertion_trigger": "yes"}, "HA-VALSALVA", URGENT, ["valsalva_or_exertion_trigger=yes"],
      id="ha_valsalva_fires_on_a_cough_or_exertion_trigger"),
    P(pregnant(10, new_headache="yes"), "HA-PREG", SAME_DAY, ["pregnant=yes", "new_headache=yes"],
      id="ha_preg_same_day_on_a_new_headache_in_pregnancy"),
    P(pregnant(10, pattern_change_3mo="yes"), "HA-PREG", SAME_DAY, ["pregnant=yes", "pattern_change_3mo=yes"],
      id="ha_preg_same_day_on_a_changed_headache_in_pregnancy"),
    P(postpartum(6, new_headache="yes"), "HA-PREG", SAME_DAY, ["postpartum_weeks=6", "new_headache=yes"],
      id="ha_preg_same_day_on_a_new_headache_6_weeks_postpartum"),
    P(pregnant(20, ["pain_below_ribs"]), "HA-PREG", ED_NOW,
      ["pregnant=yes", "gestation_weeks=20", "preeclampsia_symptoms[]=pain_below_ribs"],
      id="ha_preg_ed_now_on_a_preeclampsia_symptom_at_20_weeks"),
    P(postpartum(6, ["sudden_swelling"]), "HA-PREG", ED_NOW,
      ["postpartum_weeks=6", "preeclampsia_symptoms[]=sudden_swelling"],
      id="ha_preg_ed_now_on_a_preeclampsia_symptom_6_weeks_postpartum"),
    P({"immunosuppressed": "yes", "new_headache": "yes"}, "HA-IMMUNO", URGENT,
      ["immunosuppressed=yes", "new_headache=yes"], id="ha_immuno_fires_on_a_new_headache"),
    P({"immunosuppressed": "yes", "pattern_change_3mo": "yes", "fever": "yes"}, "HA-IMMUNO", SAME_DAY,
      ["immunosuppressed=yes", "pattern_change_3mo=yes", "fever=yes"], id="ha_immuno_upgrades_to_same_day_with_fever"),
    P({"cancer_history": "yes", "pattern_change_3mo": "yes"}, "HA-NEOPLASM", URGENT,
      ["cancer_history=yes", "pattern_change_3mo=yes"], id="ha_neoplasm_fires_on_cancer_and_a_changed_headache"),
    P(head_trauma(7, new_headache="yes"), "HA-TRAUMA", SAME_DAY,
      ["head_neck_trauma=yes", "neck_trauma_days=7", "new_headache=yes"],
      id="ha_trauma_fires_on_a_new_headache_7_days_after_head_injury"),
    *(P(head_trauma(2, new_headache="yes", **{modifier: "yes"}), "HA-TRAUMA", ED_NOW,
        ["head_neck_trauma=yes", "neck_trauma_days=2", "new_headache=yes", f"{modifier}=yes"],
        id=f"ha_trauma_upgrades_to_ed_now_with_{modifier}")
      for modifier in ("anticoagulant", "vomiting", "confusion_drowsy", "loc", "seizure_new")),
    P({"red_painful_eye": "yes", "eye_blurring_haloes": "yes"}, "HA-EYE", ED_NOW,
      ["red_painful_eye=yes", "eye_blurring_haloes=yes"], id="ha_eye_ed_now_on_a_red_painful_eye_with_blurring"),
    P({"ha_autonomic_features": "yes", "ha0": {"side": "one_side"}}, "HA-EYE", URGENT,
      ["ha_autonomic_features=yes", "ha_types[0].side=one_side"],
      id="ha_eye_urgent_on_one_sided_pain_with_autonomic_features"),
    P(cad("ptosis", "no", ha0={"side": "one_side"}), "HA-EYE", URGENT, ["ptosis=yes", "ha_types[0].side=one_side"],
      id="ha_eye_urgent_on_one_sided_pain_with_a_drooping_eyelid"),
    P({"red_painful_eye": "yes", "eye_blurring_haloes": "yes", "ha_autonomic_features": "yes",
       "ha0": {"side": "one_side"}}, "HA-EYE", ED_NOW, ["red_painful_eye=yes", "eye_blurring_haloes=yes"],
      id="ha_eye_is_reported_once_at_ed_now_when_both_levels_hold"),
    P({"new_drug_at_onset": "yes"}, "HA-DRUG", NOTE, ["new_drug_at_onset=yes"],
      id="ha_drug_notes_a_new_drug_at_onset"),
    # §2.4 cervical arteries
    *(P(cad(item), "CAD-ACUTE", ED_NOW, [f"{item}=yes", "neuro_symptoms_within_14_days=yes"],
        id=f"cad_acute_fires_on_{item}_within_14_days")
      for item in CAD_ITEMS),
    P(cad("vertigo_new", headache=False), "CAD-ACUTE", ED_NOW, ["vertigo_new=yes"],
      id="cad_acute_fires_with_neck_pain_only"),
    P({"sudden_severe_unlike_before": "yes", "recent_neck_injury": "yes"}, "CAD-ACUTE", ED_NOW,
      ["sudden_severe_unlike_before=yes", "recent_neck_injury=yes"],
      id="cad_acute_fires_on_sudden_severe_pain_after_a_neck_injury"),
    P({"sudden_severe_unlike_before": "yes", "recent_neck_manipulation": "yes"}, "CAD-ACUTE", ED_NOW,
      ["sudden_severe_unlike_before=yes", "recent_neck_manipulation=yes"],
      id="cad_acute_fires_on_sudden_severe_pain_after_neck_manipulation"),
    P(head_trauma(30, sudden_severe_unlike_before="yes"), "CAD-ACUTE", ED_NOW,
      ["sudden_severe_unlike_before=yes", "head_neck_trauma=yes"],
      id="cad_acute_fires_on_sudden_severe_pain_after_head_or_neck_trauma"),
    P(typical("visual", "sensory", "speech", **cad("dysarthria_new")), "CAD-ACUTE", ED_NOW, ["dysarthria_new=yes"],
      id="cad_acute_fires_on_slurred_speech_even_with_a_typical_speech_aura"),
    P({"cad_symptoms_older_intermittent": "yes"}, "CAD-HISTORY", URGENT, ["cad_symptoms_older_intermittent=yes"],
      id="cad_history_fires_on_older_intermittent_episodes"),
    P({"dizziness_neck_movement": "yes"}, "CAD-HISTORY", URGENT, ["dizziness_neck_movement=yes"],
      id="cad_history_fires_on_dizziness_with_neck_movement"),
    P(cad("vertigo_new", "no"), "CAD-HISTORY", URGENT, ["vertigo_new=yes", "neuro_symptoms_within_14_days=no"],
      id="cad_history_fires_when_the_new_symptoms_are_all_older_than_14_days"),
    P({"dizziness_neck_movement": "yes", "headache": False}, "CAD-HISTORY", URGENT, ["dizziness_neck_movement=yes"],
      id="cad_history_fires_with_neck_pain_only"),
    *(P({item: "yes"}, "CAD-RISK", NOTE, [f"{item}=yes"], id=f"cad_risk_notes_{item}")
      for item in (*CAD_RF_ITEMS, "recent_neck_injury", "recent_neck_manipulation")),
    P({"cad_rf_smoker": "yes", "headache": False}, "CAD-RISK", NOTE, ["cad_rf_smoker=yes"],
      id="cad_risk_notes_with_neck_pain_only"),
    *(P({item: "yes"}, "UCI-RISK", NOTE, [f"{item}=yes"], id=f"uci_risk_notes_{item}")
      for item in (*UCI_ITEMS, "recent_neck_injury")),
    P({"uci_neck_surgery": "yes", "headache": False}, "UCI-RISK", NOTE, ["uci_neck_surgery=yes"],
      id="uci_risk_notes_with_neck_pain_only"),
    # §2.5 mental health
    P(phq9(1), "MH-SI", SAME_DAY, ["instruments.phq9[8]=1"], id="mh_si_fires_on_phq9_item_9_equal_to_1"),
    P(phq9(3), "MH-SI", SAME_DAY, ["instruments.phq9[8]=3"], id="mh_si_fires_on_phq9_item_9_equal_to_3"),
    P({**phq9(1), "headache": False, "neck": False}, "MH-SI", SAME_DAY, ["instruments.phq9[8]=1"],
      id="mh_si_fires_whatever_the_reason_for_the_visit"),
]


@pytest.mark.parametrize("overrides, flag_id, action, facts", FIRES)
def test_it_fires_with_its_tier_action_facts_sources_and_explain_entry(overrides, flag_id, action, facts):
    summary = summarise(overrides)
    fired = flag(summary, flag_id)
    assert fired is not None, f"{flag_id} did not fire; fired: {flags(summary)}"
    assert (fired["tier"], fired["action"]) == (TIER[action], action)
    missing = set(facts) - set(fired["triggered_by"])
    assert not missing, f"triggered_by {fired['triggered_by']} lacks {sorted(missing)} (C.2)"
    assert fired["sources"] == SOURCES[flag_id]
    assert any(e["id"] == flag_id and e["result"] is True for e in summary["explain"]), "no explain entry (C.11)"


# --- (b) one step short: the flag does not fire (None) or stays at the lower action -------------------------

SHORT = [
    # §2.2 low back pain
    P({"back": False, "leg": False, "ces_saddle_numbness": "yes"}, "LBP-CES-1", None,
      id="lbp_ces_1_not_without_back_or_leg_pain"),
    P({"leg": True, "leg_pain_below_knee": "left"}, "LBP-CES-2", None,
      id="lbp_ces_2_not_on_one_sided_leg_pain"),
    P({"leg": True, "leg_pain_below_knee": "both", "ces_saddle_numbness": "yes"}, "LBP-CES-2", None,
      id="lbp_ces_2_not_when_lbp_ces_1_fired"),
    P({"leg_weakness_new": "yes", "leg_weakness_progressing": "no"}, "LBP-NEURO", None,
      id="lbp_neuro_not_when_the_weakness_is_not_progressing"),
    P({"cancer_history": "no", "gait_disturbance_new": "yes", "sensory_change_new": "yes"}, "LBP-MSCC", None,
      id="lbp_mscc_not_without_cancer_history"),
    P({"cancer_history": "yes"}, "LBP-MSCC", None, id="lbp_mscc_not_without_a_new_neuro_symptom"),
    P({"cancer_history": "yes", "back_pain_new_or_changed": "no"}, "LBP-MALIG", None,
      id="lbp_malig_a_not_when_the_spinal_pain_is_not_new_or_changed"),
    P({"unexplained_weight_loss": "yes", "age": 49}, "LBP-MALIG", None,
      id="lbp_malig_b_not_on_weight_loss_alone_at_age_49"),
    P({"unexplained_weight_loss": "no", "age": 60, "night_pain_unrelenting": "yes", "thoracic_pain": "yes"},
      "LBP-MALIG", None, id="lbp_malig_b_not_without_weight_loss"),
    P({"fever_recent": "no", "sensory_change_new": "yes"}, "LBP-INFECT", None,
      id="lbp_infect_not_without_recent_fever"),
    P({"fever_recent": "yes", "leg_weakness_progressing": "yes"}, "LBP-INFECT", SAME_DAY,
      id="lbp_infect_not_upgraded_without_a_new_neuro_symptom"),
    P({"ivdu": "yes", "back_pain_new_or_changed": "no"}, "LBP-INFECT-RISK", None,
      id="lbp_infect_risk_not_when_the_back_pain_is_not_new"),
    P({"ivdu": "yes", "back_pain_new_or_changed": "yes", "fever_recent": "yes"}, "LBP-INFECT-RISK", None,
      id="lbp_infect_risk_not_with_fever"),
    P(major_trauma(8), "LBP-FX-TRAUMA", None, id="lbp_fx_trauma_not_8_days_after_major_trauma"),
    P({"age": 64, "onset_sudden": "yes", "minor_trauma": "yes"}, "LBP-FX-OSTEO", None,
      id="lbp_fx_osteo_not_at_age_64_without_bone_risk"),
    P({"age": 70, "osteoporosis": "yes", "steroids_3mo_plus": "yes"}, "LBP-FX-OSTEO", None,
      id="lbp_fx_osteo_not_without_sudden_onset_or_minor_trauma"),
    P({"collapse_or_faint": "yes", "known_aaa": "yes"}, "LBP-AAA-RUPT", None,
      id="lbp_aaa_rupt_not_without_new_back_or_abdominal_pain"),
    P({"back_pain_new_or_changed": "yes", "abdominal_pain_new": "yes"}, "LBP-AAA-RUPT", None,
      id="lbp_aaa_rupt_not_without_collapse_or_known_aaa"),
    P({"age": 49, "abdominal_pulsation": "yes", "back_pain_unchanged_by_movement": "yes"}, "LBP-AAA-RISK", None,
      id="lbp_aaa_risk_not_at_age_49"),
    P({"age": 50, "abdominal_pulsation": "yes", "back_pain_unchanged_by_movement": "no"}, "LBP-AAA-RISK", None,
      id="lbp_aaa_risk_not_when_the_pain_changes_with_movement"),
    P(axspa(2), "LBP-AXSPA", None, id="lbp_axspa_not_with_2_criteria"),
    P(axspa(4, onset=45, age=50), "LBP-AXSPA", None, id="lbp_axspa_not_when_back_pain_began_at_45"),
    P(axspa(4, history=3), "LBP-AXSPA", None, id="lbp_axspa_not_after_only_3_months_of_back_problems"),
    P({**axspa(4), "back": False, "headache": True}, "LBP-AXSPA", None, id="lbp_axspa_not_without_back_pain"),
    # §2.3 headache
    P({"onset_to_peak": "minutes"}, "HA-THUNDER", None, id="ha_thunder_not_when_peak_takes_minutes"),
    P({"headache": False, "onset_to_peak": "seconds"}, "HA-THUNDER", None, id="ha_thunder_not_without_headache"),
    P({"fever": "no", "neck_stiffness": "yes", "confusion_drowsy": "yes", "non_blanching_rash": "yes"},
      "HA-MENING", None, id="ha_mening_not_without_fever"),
    P({"fever": "yes", "neck_stiffness": "yes"}, "HA-FEVER", None, id="ha_fever_not_when_ha_mening_fired"),
    P({"headache": False, "fever": "yes"}, "HA-FEVER", None, id="ha_fever_not_without_headache"),
    P(typical("visual", vision_loss_new="yes"), "HA-NEURO", None,
      id="ha_neuro_not_on_vision_loss_explained_by_a_typical_visual_aura"),
    P(typical("sensory", hemi_numbness_new="yes"), "HA-NEURO", None,
      id="ha_neuro_not_on_numbness_explained_by_a_typical_sensory_aura"),
    P(typical("speech", speech_difficulty_new="yes"), "HA-NEURO", None,
      id="ha_neuro_not_on_speech_difficulty_explained_by_a_typical_speech_aura"),
    P({"headache": False, "hemi_weakness_new": "yes"}, "HA-NEURO", None, id="ha_neuro_not_without_headache"),
    P(first_aura(), "HA-AURA-ATYP", None, id="ha_aura_atyp_not_on_a_first_short_visual_aura_without_weakness"),
    P(first_aura(age=49), "HA-AURA-ATYP", None, id="ha_aura_atyp_not_on_a_first_aura_at_age_49"),
    P({"aura": True, "aura_limb_weakness": "yes"}, "HA-AURA-ATYP", None,
      id="ha_aura_atyp_not_on_limb_weakness_in_a_known_aura"),
    P(first_aura(aura_over_60min="yes"), "HA-AURA-ATYP", URGENT,
      id="ha_aura_atyp_not_ed_now_on_a_first_visual_aura_over_60_minutes"),
    P({"aura": False, "aura_sudden_onset": "yes", "aura_over_60min": "yes"}, "HA-AURA-ATYP", None,
      id="ha_aura_atyp_not_without_an_aura"),
    P({"age": 49, "new_headache": "yes", "gca_jaw_claudication": "yes", "gca_visual": "yes"}, "HA-GCA", None,
      id="ha_gca_not_at_age_49"),
    P({"age": 60, "new_headache": "no", "gca_jaw_claudication": "yes"}, "HA-GCA", None,
      id="ha_gca_not_without_a_new_headache"),
    P({"age": 60, "new_headache": "yes"}, "HA-GCA", None, id="ha_gca_not_without_a_feature"),
    P({"age": 60, "new_headache": "yes", "gca_scalp_tenderness": "yes", "gca_visual": "not_sure"}, "HA-GCA",
      SAME_DAY, id="ha_gca_not_ed_now_when_the_visual_answer_is_not_sure"),
    P({"age": 49, "new_headache": "yes"}, "HA-OLDER", None, id="ha_older_not_at_age_49"),
    P({"age": 50, "new_headache": "no", "pattern_change_3mo": "yes"}, "HA-OLDER", None,
      id="ha_older_not_on_a_changed_pattern_without_a_new_headache"),
    P({"new_headache": "no", "pattern_change_3mo": "no", "headache_history_months": 1}, "HA-NEW-PATTERN", None,
      id="ha_new_pattern_not_without_new_or_changed_headache"),
    P(typical("visual", progressive="yes", vision_loss_new="yes"), "HA-PROGRESSIVE", URGENT,
      id="ha_progressive_not_same_day_when_the_vision_loss_is_a_typical_aura"),
    P({"progressive": "yes", "worse_lying_or_morning": "yes"}, "HA-PROGRESSIVE", URGENT,
      id="ha_progressive_not_same_day_without_vomiting_or_neuro_symptoms"),
    P(pdph(6), "HA-PDPH", None, id="ha_pdph_not_when_headache_began_6_days_after_the_puncture"),
    P(pdph(5.5), "HA-PDPH", None, id="ha_pdph_not_when_headache_began_5_and_a_half_days_after_the_puncture"),
    P(pdph(-1, days_ago=3), "HA-PDPH", None, id="ha_pdph_not_when_headache_began_1_day_before_the_puncture"),
    P(pdph(2, vomiting="yes"), "HA-PDPH", SAME_DAY, id="ha_pdph_not_ed_now_on_vomiting"),
    P(pdph(2, no_longer_positional="not_sure"), "HA-PDPH", SAME_DAY,
      id="ha_pdph_not_ed_now_when_no_longer_positional_is_not_sure"),
    P(typical("visual", **pdph(2, vision_loss_new="yes")), "HA-PDPH", SAME_DAY,
      id="ha_pdph_not_ed_now_when_the_vision_loss_is_a_typical_aura"),
    P(pdph(3, orthostatic="yes"), "HA-ORTHOSTATIC", None, id="ha_orthostatic_not_when_ha_pdph_fired"),
    P({"worse_lying_or_morning": "yes", "vomiting": "no"}, "HA-RAISED-ICP", None,
      id="ha_raised_icp_not_on_worse_lying_without_vomiting"),
    P({"worse_lying_or_morning": "no", "vomiting": "yes"}, "HA-RAISED-ICP", None,
      id="ha_raised_icp_not_on_vomiting_alone"),
    P(typical("visual", transient_visual_obscurations="yes", vision_loss_new="yes"), "HA-RAISED-ICP", URGENT,
      id="ha_raised_icp_not_ed_now_when_the_vision_loss_is_a_typical_aura"),
    P({"headache": False, "valsalva_or_exertion_trigger": "yes"}, "HA-VALSALVA", None,
      id="ha_valsalva_not_without_headache"),
    P(pregnant(30), "HA-PREG", None, id="ha_preg_not_in_pregnancy_without_new_headache_or_symptom"),
    P(pregnant(19, ["vision_blurred_or_flashing"]), "HA-PREG", None,
      id="ha_preg_not_on_a_preeclampsia_symptom_at_19_weeks_without_new_headache"),
    P(pregnant(19, ["vision_blurred_or_flashing"], new_headache="yes"), "HA-PREG", SAME_DAY,
      id="ha_preg_not_ed_now_at_19_weeks"),
    P(postpartum(7, new_headache="yes"), "HA-PREG", None, id="ha_preg_not_on_a_new_headache_7_weeks_postpartum"),
    P(postpartum(7, ["pain_below_ribs"]), "HA-PREG", None, id="ha_preg_not_on_a_symptom_7_weeks_postpartum"),
    P(pregnant(24, ["not_sure"]), "HA-PREG", None, id="ha_preg_not_on_a_not_sure_preeclampsia_symptom"),
    P({"immunosuppressed": "yes"}, "HA-IMMUNO", None, id="ha_immuno_not_without_new_or_changed_headache"),
    P({"immunosuppressed": "yes", "new_headache": "yes", "fever": "not_sure"}, "HA-IMMUNO", URGENT,
      id="ha_immuno_not_same_day_when_fever_is_not_sure"),
    P({"cancer_history": "yes"}, "HA-NEOPLASM", None, id="ha_neoplasm_not_without_new_or_changed_headache"),
    P(head_trauma(8, new_headache="yes", anticoagulant="yes"), "HA-TRAUMA", None,
      id="ha_trauma_not_8_days_after_head_injury"),
    P(head_trauma(1, new_headache="no", loc="yes"), "HA-TRAUMA", None, id="ha_trauma_not_without_a_new_headache"),
    P(head_trauma(1, new_headache="yes", anticoagulant="not_sure"), "HA-TRAUMA", SAME_DAY,
      id="ha_trauma_not_ed_now_when_the_anticoagulant_answer_is_not_sure"),
    P({"red_painful_eye": "yes", "eye_blurring_haloes": "no"}, "HA-EYE", None,
      id="ha_eye_not_on_a_red_painful_eye_without_blurring"),
    P({"red_painful_eye": "yes", "eye_blurring_haloes": "no", "ha_autonomic_features": "yes",
       "ha0": {"side": "one_side"}}, "HA-EYE", URGENT, id="ha_eye_not_ed_now_without_blurring"),
    P({"ha_autonomic_features": "yes", "ha0": {"side": "both_sides"}}, "HA-EYE", None,
      id="ha_eye_not_on_autonomic_features_with_two_sided_pain"),
    P({"headache": False, "new_drug_at_onset": "yes"}, "HA-DRUG", None, id="ha_drug_not_without_headache"),
    # §2.4 cervical arteries
    P(cad("vertigo_new", "no"), "CAD-ACUTE", None, id="cad_acute_not_when_the_symptoms_are_older_than_14_days"),
    P(typical("visual", **cad("nystagmus_new")), "CAD-ACUTE", None,
      id="cad_acute_not_on_jumping_vision_explained_by_a_typical_visual_aura"),
    P(typical("sensory", **cad("facial_numbness_new")), "CAD-ACUTE", None,
      id="cad_acute_not_on_facial_numbness_explained_by_a_typical_sensory_aura"),
    P({"sudden_severe_unlike_before": "yes"}, "CAD-ACUTE", None,
      id="cad_acute_not_on_sudden_severe_pain_without_trauma_or_manipulation"),
    P({"recent_neck_injury": "yes", "recent_neck_manipulation": "yes"}, "CAD-ACUTE", None,
      id="cad_acute_not_on_neck_trauma_without_sudden_severe_pain"),
    P(cad("vertigo_new", headache=False, neck=False), "CAD-ACUTE", None,
      id="cad_acute_not_with_back_pain_only"),
    P(cad("vertigo_new", "yes"), "CAD-HISTORY", None, id="cad_history_not_when_a_symptom_is_within_14_days"),
    P(typical("visual", **cad("nystagmus_new", "no")), "CAD-HISTORY", None,
      id="cad_history_not_on_old_jumping_vision_explained_by_a_typical_visual_aura"),
    P({"dizziness_neck_movement": "yes", "headache": False, "neck": False}, "CAD-HISTORY", None,
      id="cad_history_not_with_back_pain_only"),
    P({"cad_rf_smoker": "yes", "headache": False, "neck": False}, "CAD-RISK", None,
      id="cad_risk_not_with_back_pain_only"),
    P({"uci_neck_surgery": "yes", "headache": False, "neck": False}, "UCI-RISK", None,
      id="uci_risk_not_with_back_pain_only"),
    P({"recent_neck_manipulation": "yes"}, "UCI-RISK", None, id="uci_risk_not_on_neck_manipulation"),
    # §2.5 mental health
    P(phq9(0, others=3), "MH-SI", None, id="mh_si_not_on_phq9_item_9_equal_to_0"),
]


@pytest.mark.parametrize("overrides, flag_id, expected", SHORT)
def test_one_step_short_it_does_not_fire_or_upgrade(overrides, flag_id, expected):
    fired = flags(summarise(overrides))
    assert fired.get(flag_id) == expected, f"{flag_id}: expected {expected}, fired: {fired}"


def test_every_intake_rule_of_section_2_has_a_firing_case_and_a_one_step_short_case():
    assert {case.values[1] for case in FIRES} == INTAKE_FLAG_IDS
    assert {case.values[1] for case in SHORT} == INTAKE_FLAG_IDS
    assert "POST-TX-NEURO" not in INTAKE_FLAG_IDS  # follow-up only (§2.4 "at follow-up"; contract A)


def test_an_all_no_intake_fires_nothing():
    summary = summarise({"leg": True})
    assert summary["red_flags"] == []
    assert summary["notes"] == []
    assert summary["overall_tier"] == "NONE"
    assert summary["precautions"] == []


# --- LBP-AXSPA counting and recommendation (E.5) ----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, count, recommendation",
    [
        P(axspa(4), 4, "refer_rheumatology", id="4_criteria_refer_to_rheumatology"),
        P(axspa(8), 8, "refer_rheumatology", id="8_criteria_refer_to_rheumatology"),
        P(axspa(3), 3, "hla_b27_test_then_refer_if_positive", id="exactly_3_criteria_hla_b27_test"),
        P(axspa(3, onset=34), 4, "refer_rheumatology", id="onset_before_35_is_criterion_1"),
        P(axspa(2, onset=34), 3, "hla_b27_test_then_refer_if_positive", id="onset_at_34_plus_2_fields_is_3"),
        P(axspa(3, onset=35), 3, "hla_b27_test_then_refer_if_positive", id="onset_at_35_is_not_criterion_1"),
    ],
)
def test_lbp_axspa_counts_the_ng65_criteria_and_recommends(overrides, count, recommendation):
    fired = flag(summarise(overrides), "LBP-AXSPA")
    assert fired is not None
    assert (fired["tier"], fired["action"]) == ("ROUTINE", ROUTINE_REF)
    assert fired["detail"] == {"criteria_count": count, "recommendation": recommendation}


def test_lbp_axspa_does_not_fire_with_2_criteria_when_onset_at_35_is_not_criterion_1():
    assert "LBP-AXSPA" not in flags(summarise(axspa(2, onset=35)))


# --- presence gates (E.1) and shared CAD symptom answers (§2.4) ----------------------------------------------


def test_lbp_flags_are_not_evaluated_without_back_pain():
    summary = summarise({
        "back": False, "age": 70, "fever_recent": "yes", "unexplained_weight_loss": "yes", "cancer_history": "yes",
        "back_pain_new_or_changed": "yes", "gait_disturbance_new": "yes", "leg_weakness_new": "yes",
        "leg_weakness_progressing": "yes", "collapse_or_faint": "yes", "osteoporosis": "yes", "onset_sudden": "yes",
        "ivdu": "yes", "abdominal_pulsation": "yes", "back_pain_unchanged_by_movement": "yes",
        **major_trauma(1),
    })
    assert not [f for f in flags(summary) if f.startswith("LBP-")]
    assert not [e for e in summary["explain"] if e["id"].startswith("LBP-") and e["result"] is True]


def test_only_the_cauda_equina_flags_are_evaluated_with_leg_pain_only():
    summary = summarise({
        "back": False, "leg": True, "ces_saddle_numbness": "yes", "fever_recent": "yes", "cancer_history": "yes",
        "leg_weakness_new": "yes", "leg_weakness_progressing": "yes",
    })
    assert [f for f in flags(summary) if f.startswith("LBP-")] == ["LBP-CES-1"]


def test_ha_flags_are_not_evaluated_without_headache():
    summary = summarise({
        "headache": False, "age": 70, "onset_to_peak": "seconds", "fever": "yes", "neck_stiffness": "yes",
        "new_headache": "yes", "progressive": "yes", "orthostatic": "yes", "hemi_weakness_new": "yes",
        "transient_visual_obscurations": "yes", "valsalva_or_exertion_trigger": "yes", "new_drug_at_onset": "yes",
        "red_painful_eye": "yes", "eye_blurring_haloes": "yes", "gca_visual": "yes", "cancer_history": "yes",
    })
    assert not [f for f in flags(summary) if f.startswith("HA-")]


def test_cad_flags_are_evaluated_with_neck_pain_only_and_not_with_back_pain_only():
    answers = {
        **cad("vertigo_new"), "dizziness_neck_movement": "yes", "cad_rf_migraine": "yes",
        "uci_rheumatoid_arthritis": "yes",
    }
    neck_only = flags(summarise({**answers, "headache": False}))
    assert {"CAD-ACUTE", "CAD-HISTORY", "CAD-RISK", "UCI-RISK"} <= set(neck_only)
    back_only = flags(summarise({**answers, "headache": False, "neck": False}))
    assert not {"CAD-ACUTE", "CAD-HISTORY", "CAD-RISK", "UCI-RISK"} & set(back_only)


def test_cad_flags_are_evaluated_with_headache_and_no_neck_pain():
    assert flags(summarise(cad("vertigo_new", neck=False))).get("CAD-ACUTE") == ED_NOW


def test_ha_flags_read_cad_symptoms_older_than_14_days():
    """§2.4 shared symptom questions: HA-NEURO, HA-RAISED-ICP and HA-EYE read the items with no time limit."""
    summary = summarise({
        "diplopia_new": "yes", "pulsatile_tinnitus": "yes", "ptosis": "yes", "neuro_symptoms_within_14_days": "no",
        "ha0": {"side": "one_side"},
    })
    fired = flags(summary)
    assert fired["HA-NEURO"] == ED_NOW
    assert fired["HA-RAISED-ICP"] == URGENT
    assert fired["HA-EYE"] == URGENT
    assert fired["CAD-HISTORY"] == URGENT
    assert "CAD-ACUTE" not in fired


# --- "not sure" (§2.1, E.2) -------------------------------------------------------------------------------

UNCLEAR = [
    # (overrides, the flag "yes" would have fired, RF-UNCLEAR action, the fact listed)
    P({"ces_saddle_numbness": "not_sure"}, "LBP-CES-1", SAME_DAY, "ces_saddle_numbness=not_sure",
      id="ces_saddle_numbness_is_an_ed_now_question"),
    P({"leg_weakness_new": "yes", "leg_weakness_progressing": "not_sure"}, "LBP-NEURO", URGENT,
      "leg_weakness_progressing=not_sure", id="leg_weakness_progressing_is_urgent"),
    P({"cancer_history": "not_sure", "gait_disturbance_new": "yes"}, "LBP-MSCC", SAME_DAY,
      "cancer_history=not_sure", id="cancer_history_is_an_ed_now_question"),
    P({"unexplained_weight_loss": "not_sure", "age": 60}, "LBP-MALIG", URGENT, "unexplained_weight_loss=not_sure",
      id="unexplained_weight_loss_is_urgent"),
    P({"fever_recent": "not_sure"}, "LBP-INFECT", URGENT, "fever_recent=not_sure", id="fever_recent_is_urgent"),
    P({"ivdu": "not_sure", "back_pain_new_or_changed": "yes"}, "LBP-INFECT-RISK", URGENT, "ivdu=not_sure",
      id="ivdu_is_urgent"),
    P({"major_trauma": "not_sure"}, "LBP-FX-TRAUMA", URGENT, "major_trauma=not_sure", id="major_trauma_is_urgent"),
    P({"osteoporosis": "not_sure", "onset_sudden": "yes"}, "LBP-FX-OSTEO", URGENT, "osteoporosis=not_sure",
      id="osteoporosis_is_urgent"),
    P({"back_pain_new_or_changed": "yes", "collapse_or_faint": "not_sure"}, "LBP-AAA-RUPT", SAME_DAY,
      "collapse_or_faint=not_sure", id="collapse_or_faint_is_an_ed_now_question"),
    P({"age": 60, "abdominal_pulsation": "not_sure", "back_pain_unchanged_by_movement": "yes"}, "LBP-AAA-RISK",
      URGENT, "abdominal_pulsation=not_sure", id="abdominal_pulsation_is_urgent"),
    P({"onset_to_peak": "not_sure"}, "HA-THUNDER", SAME_DAY, "onset_to_peak=not_sure",
      id="onset_to_peak_is_an_ed_now_question"),
    P({"fever": "yes", "neck_stiffness": "not_sure"}, "HA-MENING", SAME_DAY, "neck_stiffness=not_sure",
      id="neck_stiffness_is_an_ed_now_question"),
    P({"fever": "not_sure"}, "HA-FEVER", SAME_DAY, "fever=not_sure", id="fever_is_an_ed_now_question"),
    P({"hemi_weakness_new": "not_sure"}, "HA-NEURO", SAME_DAY, "hemi_weakness_new=not_sure",
      id="hemi_weakness_new_is_an_ed_now_question"),
    P({"aura": True, "aura_sudden_onset": "not_sure"}, "HA-AURA-ATYP", SAME_DAY, "aura_sudden_onset=not_sure",
      id="aura_sudden_onset_is_an_ed_now_question"),
    P({"aura": True, "aura_over_60min": "not_sure"}, "HA-AURA-ATYP", URGENT, "aura_over_60min=not_sure",
      id="aura_over_60min_is_urgent"),
    P({"age": 60, "new_headache": "yes", "gca_visual": "not_sure"}, "HA-GCA", SAME_DAY, "gca_visual=not_sure",
      id="gca_visual_is_an_ed_now_question"),
    P({"age": 60, "new_headache": "yes", "gca_jaw_claudication": "not_sure"}, "HA-GCA", URGENT,
      "gca_jaw_claudication=not_sure", id="gca_jaw_claudication_is_urgent"),
    P({"age": 60, "new_headache": "not_sure"}, "HA-OLDER", URGENT, "new_headache=not_sure",
      id="new_headache_is_urgent"),
    P({"pattern_change_3mo": "not_sure"}, "HA-NEW-PATTERN", URGENT, "pattern_change_3mo=not_sure",
      id="pattern_change_3mo_is_urgent"),
    P({"progressive": "not_sure"}, "HA-PROGRESSIVE", URGENT, "progressive=not_sure", id="progressive_is_urgent"),
    P({"dural_puncture_procedure": "not_sure"}, "HA-PDPH", URGENT, "dural_puncture_procedure=not_sure",
      id="dural_puncture_procedure_is_urgent"),
    P({"orthostatic": "not_sure"}, "HA-ORTHOSTATIC", URGENT, "orthostatic=not_sure", id="orthostatic_is_urgent"),
    P({"transient_visual_obscurations": "not_sure"}, "HA-RAISED-ICP", URGENT,
      "transient_visual_obscurations=not_sure", id="transient_visual_obscurations_is_urgent"),
    P({"valsalva_or_exertion_trigger": "not_sure"}, "HA-VALSALVA", URGENT, "valsalva_or_exertion_trigger=not_sure",
      id="valsalva_is_urgent"),
    P({"pregnant": "not_sure", "new_headache": "yes"}, "HA-PREG", SAME_DAY, "pregnant=not_sure",
      id="pregnant_is_an_ed_now_question"),
    P(pregnant(24, ["not_sure"]), "HA-PREG", SAME_DAY, "preeclampsia_symptoms[]=not_sure",
      id="a_not_sure_preeclampsia_symptom_is_an_ed_now_question"),
    P({"immunosuppressed": "not_sure", "new_headache": "yes"}, "HA-IMMUNO", URGENT, "immunosuppressed=not_sure",
      id="immunosuppressed_is_urgent"),
    P({"cancer_history": "not_sure", "new_headache": "yes"}, "HA-NEOPLASM", SAME_DAY, "cancer_history=not_sure",
      id="cancer_history_is_an_ed_now_question_whatever_the_flag"),
    P({"head_neck_trauma": "not_sure", "new_headache": "yes"}, "HA-TRAUMA", SAME_DAY, "head_neck_trauma=not_sure",
      id="head_neck_trauma_is_an_ed_now_question"),
    P({"anticoagulant": "not_sure"}, "HA-TRAUMA", SAME_DAY, "anticoagulant=not_sure",
      id="anticoagulant_is_an_ed_now_question_whatever_the_other_answers"),
    P({"red_painful_eye": "yes", "eye_blurring_haloes": "not_sure"}, "HA-EYE", SAME_DAY,
      "eye_blurring_haloes=not_sure", id="eye_blurring_haloes_is_an_ed_now_question"),
    P({"vertigo_new": "not_sure"}, "CAD-ACUTE", SAME_DAY, "vertigo_new=not_sure",
      id="vertigo_new_is_an_ed_now_question"),
    P(cad("vertigo_new", "not_sure"), "CAD-ACUTE", SAME_DAY, "neuro_symptoms_within_14_days=not_sure",
      id="neuro_symptoms_within_14_days_is_an_ed_now_question"),
    P({"dizziness_neck_movement": "not_sure"}, "CAD-HISTORY", URGENT, "dizziness_neck_movement=not_sure",
      id="dizziness_neck_movement_is_urgent"),
    P({"recent_neck_manipulation": "not_sure"}, "CAD-RISK", SAME_DAY, "recent_neck_manipulation=not_sure",
      id="recent_neck_manipulation_is_an_ed_now_question"),
    P({"recent_neck_injury": "not_sure"}, "UCI-RISK", SAME_DAY, "recent_neck_injury=not_sure",
      id="recent_neck_injury_is_an_ed_now_question"),
]


@pytest.mark.parametrize("overrides, blocked, action, fact", UNCLEAR)
def test_not_sure_fires_no_flag_but_adds_the_rf_unclear_note(overrides, blocked, action, fact):
    summary = summarise(overrides)
    assert blocked not in flags(summary)
    note = unclear_note(summary)
    assert note is not None
    assert (note["tier"], note["action"], note["text"]) == (TIER[action], action, "unclear red-flag answer")
    assert fact in note["triggered_by"]
    assert any(e["id"] == "RF-UNCLEAR" and e["result"] is True for e in summary["explain"])


# Contract E.2: the ED_NOW questions (an unclear answer gives the SAME_DAY note) and every other RF question (the
# URGENT note), classified by question whatever the other answers are. Precautions: an RF field of B.3 (and
# cancer_history / immunosuppressed with back pain) sets lumbar; an RF field of B.5 sets the HVLA precaution.
B3_ED_NOW = (*CES_ITEMS, "back_pain_new_or_changed", "abdominal_pain_new", "leg_weakness_new", "gait_disturbance_new",
             "sensory_change_new", "collapse_or_faint", "known_aaa")
B3_URGENT = ("back_pain_unchanged_by_movement", "thoracic_pain", "night_pain_unrelenting", "unexplained_weight_loss",
             "leg_weakness_progressing", "fever_recent", "ivdu", "recent_spinal_procedure", "major_trauma",
             "osteoporosis", "steroids_3mo_plus", "onset_sudden", "minor_trauma", "abdominal_pulsation")
B5_ED_NOW = (*CAD_ITEMS, "neuro_symptoms_within_14_days", "sudden_severe_unlike_before", "recent_neck_injury",
             "recent_neck_manipulation")
B5_URGENT = ("cad_symptoms_older_intermittent", "dizziness_neck_movement")
HA_ED_NOW = ("fever", "neck_stiffness", "confusion_drowsy", "non_blanching_rash",
             *(i for i in HA_NEURO_ITEMS if i not in CAD_ITEMS), "vomiting", "pregnant", "head_neck_trauma",
             "anticoagulant", "loc", "red_painful_eye", "eye_blurring_haloes", "gca_visual", "aura_first_ever",
             "aura_limb_weakness", "aura_sudden_onset", "pdph_no_longer_positional")
HA_URGENT = ("new_headache", "pattern_change_3mo", "progressive", "orthostatic", "worse_lying_or_morning",
             "transient_visual_obscurations", "valsalva_or_exertion_trigger", "ha_autonomic_features",
             "gca_jaw_claudication", "gca_scalp_tenderness", "gca_temple_tenderness", "gca_morning_girdle_stiffness",
             "gca_systemic", "aura_over_60min", "aura_started_age_50_plus", "dural_puncture_procedure")
QUESTION_CLASSES = [
    *((q, SAME_DAY, [LUMBAR]) for q in B3_ED_NOW),
    *((q, URGENT, [LUMBAR]) for q in B3_URGENT),
    *((q, SAME_DAY, [HVLA]) for q in B5_ED_NOW),
    *((q, URGENT, [HVLA]) for q in B5_URGENT),
    *((q, SAME_DAY, []) for q in HA_ED_NOW),
    *((q, URGENT, []) for q in HA_URGENT),
    ("cancer_history", SAME_DAY, [LUMBAR]),
    ("immunosuppressed", URGENT, [LUMBAR]),
]


@pytest.mark.parametrize("question, action, precautions", [P(*c, id=c[0]) for c in QUESTION_CLASSES])
def test_a_single_unclear_answer_gives_the_note_tier_and_precautions_of_its_question(question, action, precautions):
    summary = summarise({question: "not_sure"})
    note = unclear_note(summary)
    assert note["triggered_by"] == [f"{question}=not_sure"]
    assert (note["tier"], note["action"]) == (TIER[action], action)
    assert summary["precautions"] == precautions
    assert summary["red_flags"] == []
    assert summary["overall_tier"] == action


def test_every_rf_field_is_classified_for_the_unclear_note():
    from intake.triage.schema import RF_FIELDS

    classified = [q for q, _, _ in QUESTION_CLASSES]
    assert len(classified) == len(set(classified))
    assert set(classified) == set(RF_FIELDS)


def test_one_rf_unclear_note_lists_every_unclear_answer():
    summary = summarise({
        "progressive": "not_sure", "night_pain_unrelenting": "not_sure", "dizziness_neck_movement": "not_sure",
        "orthostatic": "not_sure",
    })
    note = unclear_note(summary)
    assert sorted(note["triggered_by"]) == [
        "dizziness_neck_movement=not_sure", "night_pain_unrelenting=not_sure", "orthostatic=not_sure",
        "progressive=not_sure",
    ]
    assert note["action"] == URGENT
    assert summary["red_flags"] == []
    assert summary["overall_tier"] == URGENT


def test_rf_unclear_is_same_day_when_any_unclear_answer_is_an_ed_now_question():
    note = unclear_note(summarise({"progressive": "not_sure", "ces_saddle_numbness": "not_sure"}))
    assert (note["tier"], note["action"]) == ("EMERGENCY", SAME_DAY)
    assert set(note["triggered_by"]) == {"progressive=not_sure", "ces_saddle_numbness=not_sure"}


def test_rf_unclear_lists_unclear_answers_whether_or_not_their_section_applies():
    summary = summarise({"back": False, "fever_recent": "not_sure", "progressive": "not_sure"})
    assert set(unclear_note(summary)["triggered_by"]) == {"fever_recent=not_sure", "progressive=not_sure"}


def test_rf_unclear_lists_an_out_of_scope_cad_answer():
    summary = summarise({"headache": False, "neck": False, "vertigo_new": "not_sure"})
    assert unclear_note(summary)["triggered_by"] == ["vertigo_new=not_sure"]
    assert unclear_note(summary)["action"] == SAME_DAY


def test_a_not_sure_preeclampsia_element_is_listed_beside_a_real_symptom():
    summary = summarise(pregnant(24, ["pain_below_ribs", "not_sure"]))
    assert flags(summary)["HA-PREG"] == ED_NOW
    assert "preeclampsia_symptoms[]=pain_below_ribs" in flag(summary, "HA-PREG")["triggered_by"]
    assert "preeclampsia_symptoms[]=not_sure" not in flag(summary, "HA-PREG")["triggered_by"]
    assert unclear_note(summary)["triggered_by"] == ["preeclampsia_symptoms[]=not_sure"]


@pytest.mark.parametrize(
    "overrides, precautions",
    [
        P({"night_pain_unrelenting": "not_sure"}, [LUMBAR], id="unclear_lbp_question_sets_lumbar"),
        P({"ces_saddle_numbness": "not_sure"}, [LUMBAR], id="unclear_cauda_equina_question_sets_lumbar"),
        P({"back": False, "leg": True, "ces_bowel_dysfunction": "not_sure"}, [LUMBAR],
          id="unclear_cauda_equina_question_with_leg_pain_only_sets_lumbar"),
        P({"cancer_history": "not_sure"}, [LUMBAR], id="unclear_cancer_history_with_back_pain_sets_lumbar"),
        P({"immunosuppressed": "not_sure"}, [LUMBAR], id="unclear_immunosuppression_with_back_pain_sets_lumbar"),
        P({"back": False, "cancer_history": "not_sure"}, [], id="unclear_cancer_history_without_back_pain_sets_none"),
        P({"vertigo_new": "not_sure"}, [HVLA], id="unclear_cad_item_sets_hvla"),
        P({"cad_symptoms_older_intermittent": "not_sure"}, [HVLA], id="unclear_cad_history_question_sets_hvla"),
        P(cad("vertigo_new", "not_sure"), [HVLA], id="unclear_14_day_question_sets_hvla"),
        P({"recent_neck_manipulation": "not_sure"}, [HVLA], id="unclear_neck_manipulation_sets_hvla"),
        P({"progressive": "not_sure", "onset_to_peak": "not_sure"}, [], id="unclear_headache_questions_set_none"),
        P({"thoracic_pain": "not_sure", "ptosis": "not_sure"}, [HVLA, LUMBAR], id="unclear_lbp_and_cad_set_both"),
    ],
)
def test_unclear_answers_set_precautions_until_clarified(overrides, precautions):
    assert summarise(overrides)["precautions"] == precautions


# --- output rules (§2.6, C.2, C.4, C.12) --------------------------------------------------------------------


def test_flags_are_sorted_highest_first_with_ties_by_id():
    summary = summarise({
        "onset_to_peak": "seconds", "ces_saddle_numbness": "yes", "fever": "yes", **phq9(2),
        "progressive": "yes", "valsalva_or_exertion_trigger": "yes", "new_headache": "yes",
        "new_drug_at_onset": "yes", "cad_rf_smoker": "yes", "uci_down_syndrome": "yes", **axspa(4),
    })
    assert [f["id"] for f in summary["red_flags"]] == [
        "HA-THUNDER", "LBP-CES-1",  # ED_NOW
        "HA-FEVER", "MH-SI",  # SAME_DAY
        "HA-NEW-PATTERN", "HA-PROGRESSIVE", "HA-VALSALVA",  # URGENT_REFERRAL
        "CAD-RISK", "HA-DRUG", "LBP-AXSPA", "UCI-RISK",  # NOTE = ROUTINE_REFERRAL
    ]
    assert summary["overall_tier"] == ED_NOW


def test_flags_are_never_merged_pdph_and_preg_both_listed():
    fired = flags(summarise({**pregnant(30, new_headache="yes"), **pdph(1)}))
    assert fired["HA-PDPH"] == SAME_DAY
    assert fired["HA-PREG"] == SAME_DAY


def test_thunderclap_and_valsalva_both_fire():
    fired = flags(summarise({"onset_to_peak": "seconds", "valsalva_or_exertion_trigger": "yes"}))
    assert (fired["HA-THUNDER"], fired["HA-VALSALVA"]) == (ED_NOW, URGENT)


def test_gca_older_and_new_pattern_all_fire_for_a_new_headache_at_70():
    fired = flags(summarise({"age": 70, "new_headache": "yes", "gca_systemic": "yes"}))
    assert fired == {"HA-GCA": SAME_DAY, "HA-OLDER": URGENT, "HA-NEW-PATTERN": URGENT}


@pytest.mark.parametrize(
    "overrides, tier",
    [
        P({}, "NONE", id="none_without_flags_or_notes"),
        P({"new_drug_at_onset": "yes"}, "ROUTINE", id="routine_from_a_note_flag"),
        P(axspa(3), "ROUTINE", id="routine_from_a_routine_referral_flag"),
        P({"thoracic_pain": "yes"}, "ROUTINE", id="routine_from_a_routine_note_alone"),
        P({"progressive": "not_sure"}, URGENT, id="urgent_from_the_unclear_note_alone"),
        P({"onset_to_peak": "not_sure"}, SAME_DAY, id="same_day_from_an_unclear_ed_now_question_alone"),
        P({"valsalva_or_exertion_trigger": "yes", "fever": "not_sure"}, SAME_DAY,
          id="the_unclear_note_outranks_an_urgent_flag"),
        P({"valsalva_or_exertion_trigger": "yes", "new_drug_at_onset": "yes"}, URGENT, id="the_highest_flag_wins"),
        P({"fever": "yes", "onset_to_peak": "not_sure"}, SAME_DAY, id="same_day_flag_and_same_day_note"),
        P({"onset_to_peak": "within_a_minute", "progressive": "not_sure"}, ED_NOW,
          id="an_ed_now_flag_outranks_the_note"),
    ],
)
def test_overall_tier_is_the_highest_of_flags_and_tiered_notes(overrides, tier):
    assert summarise(overrides)["overall_tier"] == tier


@pytest.mark.parametrize(
    "overrides, precautions",
    [
        P({"unexplained_weight_loss": "yes", "thoracic_pain": "yes"}, [LUMBAR, THORACIC],
          id="urgent_lbp_flag_with_thoracic_pain_sets_lumbar_and_thoracic"),
        P({"osteoporosis": "yes", "onset_sudden": "yes"}, [LUMBAR], id="urgent_lbp_flag_sets_lumbar"),
        P({"ces_sexual_dysfunction": "yes"}, [LUMBAR], id="emergency_lbp_flag_sets_lumbar"),
        P({"fever_recent": "yes", "thoracic_pain": "yes"}, [LUMBAR, THORACIC],
          id="same_day_lbp_flag_with_thoracic_pain_sets_both"),
        P({"back": False, "leg": True, "leg_pain_below_knee": "both"}, [LUMBAR],
          id="lbp_ces_2_with_leg_pain_only_sets_lumbar"),
        P(axspa(4), [], id="lbp_axspa_routine_sets_none"),
        P({**axspa(4), "thoracic_pain": "yes"}, [], id="lbp_axspa_with_thoracic_pain_sets_none"),
        P({"thoracic_pain": "yes"}, [], id="thoracic_pain_without_a_flag_sets_none"),
        P(cad("vertigo_new"), [NO_CERVICAL_MT], id="cad_acute_sets_no_cervical_manual_therapy"),
        P({"cad_symptoms_older_intermittent": "yes"}, [HVLA], id="cad_history_sets_hvla"),
        P({"uci_down_syndrome": "yes"}, [HVLA], id="uci_risk_sets_hvla"),
        P({"cad_rf_hypertension": "yes"}, [], id="cad_risk_sets_none"),
        P({"onset_to_peak": "seconds", "fever": "yes"}, [], id="headache_flags_set_none"),
        P({**cad("vertigo_new"), "uci_neck_surgery": "yes", "major_trauma": "yes", "major_trauma_days": 2},
          [HVLA, NO_CERVICAL_MT, LUMBAR], id="precautions_are_sorted_and_distinct"),
    ],
)
def test_precautions_set_by_flags(overrides, precautions):
    assert summarise(overrides)["precautions"] == precautions


@pytest.mark.parametrize(
    "overrides, screen, must_acknowledge",
    [
        P({"onset_to_peak": "seconds"}, "emergency_advice", True, id="ed_now_shows_emergency_advice"),
        P({"fever": "yes"}, "same_day_contact", False, id="same_day_shows_same_day_contact"),
        P({"ces_saddle_numbness": "not_sure"}, "same_day_contact", False, id="same_day_note_shows_same_day_contact"),
        P({"valsalva_or_exertion_trigger": "yes"}, "clinician_review_notice", False,
          id="urgent_shows_the_clinician_review_notice"),
        P({"new_drug_at_onset": "yes"}, "none", False, id="routine_shows_nothing"),
        P({}, "none", False, id="none_shows_nothing"),
    ],
)
def test_patient_screen_follows_the_overall_tier(overrides, screen, must_acknowledge):
    summary = summarise(overrides)
    assert summary["patient_screen"] == {
        "screen": screen, "must_acknowledge": must_acknowledge, "crisis_resources": False,
    }


def test_mh_si_shows_crisis_resources():
    summary = summarise(phq9(1))
    assert summary["patient_screen"] == {
        "screen": "same_day_contact", "must_acknowledge": False, "crisis_resources": True,
    }


def test_mh_si_crisis_resources_come_with_the_emergency_screen():
    summary = summarise({**phq9(2), "onset_to_peak": "seconds"})
    assert summary["patient_screen"] == {
        "screen": "emergency_advice", "must_acknowledge": True, "crisis_resources": True,
    }


def test_no_crisis_resources_when_phq9_item_9_is_0():
    summary = summarise(phq9(0, others=3))
    assert summary["patient_screen"]["crisis_resources"] is False
