"""Builders of valid intakes for engine tests: every red-flag answer "no", nothing else of note.

`intake(...)` gives a patient with back pain, headache and neck pain (every section asked); pass section switches
and field overrides. Keys set to `DROP` are removed. Nothing here reads ../shared.
"""

from __future__ import annotations

import copy

DROP = object()

BACK = {
    "back_pain_duration_weeks": 2,
    "back_pain_history_months": 0,
    "back_pain_onset_age": 40,
    "back_pain_days_past_6m": "lt_half",
    "back_pain_new_or_changed": "no",
    "abdominal_pain_new": "no",
    "back_pain_unchanged_by_movement": "no",
    "thoracic_pain": "no",
    "night_pain_unrelenting": "no",
    "unexplained_weight_loss": "no",
    "leg_weakness_new": "no",
    "leg_weakness_progressing": "no",
    "gait_disturbance_new": "no",
    "sensory_change_new": "no",
    "fever_recent": "no",
    "ivdu": "no",
    "recent_spinal_procedure": "no",
    "major_trauma": "no",
    "osteoporosis": "no",
    "steroids_3mo_plus": "no",
    "onset_sudden": "no",
    "minor_trauma": "no",
    "collapse_or_faint": "no",
    "known_aaa": "no",
    "abdominal_pulsation": "no",
    "axspa_night_waking": "no",
    "axspa_buttock_pain": "no",
    "axspa_improves_with_movement": "no",
    "axspa_nsaid_response_48h": "no",
    "axspa_family_history": "no",
    "axspa_arthritis": "no",
    "axspa_enthesitis": "no",
    "axspa_psoriasis": "no",
}
CES = {
    "ces_saddle_numbness": "no",
    "ces_urinary_difficulty": "no",
    "ces_urinary_incontinence": "no",
    "ces_bowel_dysfunction": "no",
    "ces_sexual_dysfunction": "no",
    "leg_pain_below_knee": "none",
}
CAD = {
    "vertigo_new": "no",
    "diplopia_new": "no",
    "dysarthria_new": "no",
    "dysphagia_new": "no",
    "drop_attacks_new": "no",
    "nystagmus_new": "no",
    "facial_numbness_new": "no",
    "ataxia_new": "no",
    "ptosis": "no",
    "pulsatile_tinnitus": "no",
    "cad_symptoms_older_intermittent": "no",
    "dizziness_neck_movement": "no",
    "sudden_severe_unlike_before": "no",
    "recent_neck_injury": "no",
    "recent_neck_manipulation": "no",
    "cad_rf_hypertension": "no",
    "cad_rf_high_cholesterol": "no",
    "cad_rf_connective_tissue": "no",
    "cad_rf_recent_infection": "no",
    "cad_rf_migraine": "no",
    "cad_rf_family_history": "no",
    "cad_rf_smoker": "no",
    "uci_rheumatoid_arthritis": "no",
    "uci_down_syndrome": "no",
    "uci_neck_surgery": "no",
}
HA_TYPE = {
    "attack_count_lifetime": "10+",
    "duration_untreated": "4h_72h",
    "side": "both_sides",
    "quality": "pressing_tight",
    "intensity": "mild",
    "worse_with_activity": "no",
    "nausea": "none",
    "vomiting": "no",
    "photophobia": "no",
    "phonophobia": "no",
    "aura": None,
    "triptan_relieves": "not_used",
    "days_per_month": 4,
}
NECK_PROXIES = {
    "ha_started_with_neck_problem": "no",
    "ha_improves_when_neck_improves": "no",
    "neck_movement_or_posture_triggers_ha": "no",
    "side_locked": "no",
    "neck_pressure_triggers_ha": "no",
}
HEADACHE = {
    "headache_days_per_month": 4,
    "headache_freq_duration": "gt_3m",
    "headache_history_months": 60,
    "onset_to_peak": "hours",
    "new_headache": "no",
    "pattern_change_3mo": "no",
    "progressive": "no",
    "fever": "no",
    "neck_stiffness": "no",
    "confusion_drowsy": "no",
    "non_blanching_rash": "no",
    "hemi_weakness_new": "no",
    "hemi_numbness_new": "no",
    "speech_difficulty_new": "no",
    "facial_droop_new": "no",
    "vision_loss_new": "no",
    "seizure_new": "no",
    "faint_new": "no",
    "orthostatic": "no",
    "worse_lying_or_morning": "no",
    "vomiting": "no",
    "transient_visual_obscurations": "no",
    "valsalva_or_exertion_trigger": "no",
    "pregnant": "no",
    "postpartum_weeks": None,
    "head_neck_trauma": "no",
    "anticoagulant": "no",
    "loc": "no",
    "red_painful_eye": "no",
    "eye_blurring_haloes": "no",
    "ha_autonomic_features": "no",
    "new_drug_at_onset": "no",
    "dural_puncture_procedure": "no",
}
GCA = {
    "gca_jaw_claudication": "no",
    "gca_scalp_tenderness": "no",
    "gca_temple_tenderness": "no",
    "gca_morning_girdle_stiffness": "no",
    "gca_systemic": "no",
    "gca_visual": "no",
}
AURA = {
    "types": ["visual"],
    "attack_count": "5+",
    "spreads_over_5min": "yes",
    "two_or_more_in_succession": "no",
    "each_lasts_5_60min": "yes",
    "one_sided": "yes",
    "positive": "yes",
    "headache_within_60min": "yes",
}
AURA_QUESTIONS = {
    "typical_aura": ["visual"],
    "aura_first_ever": "no",
    "aura_limb_weakness": "no",
    "aura_over_60min": "no",
    "aura_started_age_50_plus": "no",
    "aura_sudden_onset": "no",
}
NO_MEDS = {
    "paracetamol": 0,
    "nsaid_aspirin": 0,
    "triptan": 0,
    "ergot": 0,
    "opioid": 0,
    "combination": 0,
    "gepant_ditan": 0,
    "other": 0,
    "any_acute": 0,
}


def intake(
    *,
    back: bool = True,
    headache: bool = True,
    neck: bool = True,
    leg: bool = False,
    age: int = 40,
    aura: bool = False,
    **overrides,
) -> dict:
    """A complete, valid intake with every red-flag answer "no"; overrides replace or add fields."""
    a: dict = {
        "age": age,
        "sex": "F",
        "has_back_pain": "yes" if back else "no",
        "has_headache": "yes" if headache else "no",
        "neck_pain": "yes" if neck else "no",
        "leg_pain": "yes" if leg else "no",
        "cancer_history": "no",
        "immunosuppressed": "no",
        "med_days": dict(NO_MEDS),
        "instruments": {},
    }
    if back:
        a.update(BACK)
        if isinstance(age, int) and not isinstance(age, bool):
            a["back_pain_onset_age"] = min(a["back_pain_onset_age"], age)
    if back or leg:
        a.update(CES)
    if leg:
        a.update({"leg_pain_below_knee": "left", "leg_vs_back": "back_worse", "leg_paraesthesia": "no"})
    if neck:
        a["neck_stiff_reduced_movement"] = "no"
    if neck or headache:
        a.update(CAD)
    if headache:
        a.update(HEADACHE)
        ha_type = dict(HA_TYPE)
        if neck:
            ha_type.update(NECK_PROXIES)
        if aura:
            ha_type["aura"] = dict(AURA)
            a.update(copy.deepcopy(AURA_QUESTIONS))
        a["ha_types"] = [ha_type]
        if isinstance(age, int) and age >= 50:
            a.update(GCA)
    for key, value in overrides.items():
        if value is DROP:
            a.pop(key, None)
        else:
            a[key] = value
    return copy.deepcopy(a)
