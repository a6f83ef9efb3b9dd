"""Hypothesis strategies for valid intakes (contract part B), built on the builders."""

from __future__ import annotations

from hypothesis import strategies as st

from intake.triage.schema import CAD_ITEMS, RF, RF_FIELDS

from .builders import intake

WPI_AREAS = [
    "left_jaw",
    "left_shoulder_girdle",
    "left_upper_arm",
    "left_lower_arm",
    "right_jaw",
    "right_shoulder_girdle",
    "right_upper_arm",
    "right_lower_arm",
    "left_hip",
    "left_upper_leg",
    "left_lower_leg",
    "right_hip",
    "right_upper_leg",
    "right_lower_leg",
    "neck",
    "upper_back",
    "lower_back",
    "chest",
    "abdomen",
]
YN = st.sampled_from(["yes", "no"])


@st.composite
def instruments(draw) -> dict:
    out: dict = {}
    if draw(st.booleans()):
        out["phq9"] = draw(st.lists(st.integers(0, 3), min_size=9, max_size=9))
    if draw(st.booleans()):
        out["csi_a"] = draw(st.lists(st.one_of(st.integers(0, 4), st.none()), min_size=25, max_size=25))
    if draw(st.booleans()):
        out["wpi"] = draw(st.lists(st.sampled_from(WPI_AREAS), unique=True, max_size=19))
    if draw(st.booleans()):
        out["sss"] = {
            "fatigue": draw(st.integers(0, 3)),
            "waking_unrefreshed": draw(st.integers(0, 3)),
            "cognitive": draw(st.integers(0, 3)),
            "headaches": draw(st.booleans()),
            "lower_abdominal_pain": draw(st.booleans()),
            "depression": draw(st.booleans()),
            "symptoms_3mo_plus": draw(st.booleans()),
        }
    if draw(st.booleans()):
        out["odi"] = draw(st.lists(st.one_of(st.integers(0, 5), st.none()), min_size=10, max_size=10))
    if draw(st.booleans()):
        out["rmdq"] = draw(st.lists(st.booleans(), min_size=24, max_size=24))
    if draw(st.booleans()):
        out["nprs_back"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        out["gad7"] = draw(st.lists(st.integers(0, 3), min_size=7, max_size=7))
    return out


def complete(a: dict, draw) -> dict:
    """Add the fields that become required when a gate answer is "yes" (contract B "required when")."""
    if a.get("major_trauma") == "yes":
        a.setdefault("major_trauma_days", draw(st.integers(0, 30)))
    if a.get("head_neck_trauma") == "yes":
        a.setdefault("neck_trauma_days", draw(st.integers(0, 30)))
    if a.get("pregnant") == "yes":
        a.setdefault("gestation_weeks", draw(st.integers(0, 45)))
    postpartum = a.get("postpartum_weeks")
    if a.get("has_headache") == "yes" and (a.get("pregnant") == "yes" or (postpartum is not None and postpartum <= 6)):
        a.setdefault(
            "preeclampsia_symptoms",
            draw(
                st.lists(
                    st.sampled_from(
                        ["vision_blurred_or_flashing", "pain_below_ribs", "vomiting", "sudden_swelling", "not_sure"]
                    ),
                    unique=True,
                    max_size=2,
                )
            ),
        )
    if a.get("dural_puncture_procedure") == "yes":
        days_ago = draw(st.integers(0, 30))
        a.setdefault("procedure_days_ago", days_ago)
        a.setdefault("procedure_to_headache_onset_days", draw(st.integers(-3, a["procedure_days_ago"])))
        a.setdefault("pdph_no_longer_positional", draw(st.sampled_from(RF)))
    if (a.get("neck_pain") == "yes" or a.get("has_headache") == "yes") and any(a.get(f) == "yes" for f in CAD_ITEMS):
        a.setdefault("neuro_symptoms_within_14_days", draw(st.sampled_from(RF)))
    if a.get("aura_first_ever") == "yes":
        a["typical_aura"] = []
    return a


@st.composite
def valid_intakes(draw) -> dict:
    back, headache, neck, leg = draw(st.booleans()), draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    age = draw(st.integers(0, 120))
    aura = headache and draw(st.booleans())
    a = intake(back=back, headache=headache, neck=neck, leg=leg, age=age, aura=aura)
    # Every red-flag answer present gets a random yes / no / not_sure.
    for name in RF_FIELDS:
        if name in a:
            a[name] = draw(st.sampled_from(RF))
    if back:
        a["back_pain_duration_weeks"] = draw(st.integers(0, 600))
        a["back_pain_history_months"] = draw(st.integers(0, 600))
        a["back_pain_onset_age"] = draw(st.integers(0, age))
        for name in [k for k in a if k.startswith("axspa_")]:
            a[name] = draw(YN)
    if back or leg:
        a["leg_pain_below_knee"] = draw(st.sampled_from(["none", "left", "right", "both"])) if leg else "none"
    if headache:
        days = draw(st.integers(0, 31))
        a["headache_days_per_month"] = days
        a["headache_freq_duration"] = draw(st.sampled_from(["lt_1m", "1_3m", "gt_3m"]))
        a["onset_to_peak"] = draw(
            st.sampled_from(["seconds", "within_a_minute", "minutes", "hours", "days_or_longer", "not_sure"])
        )
        a["postpartum_weeks"] = draw(st.one_of(st.none(), st.integers(0, 60)))
        t = a["ha_types"][0]
        t["days_per_month"] = draw(st.integers(0, days))
        t["side"] = draw(st.sampled_from(["one_side", "both_sides", "varies"]))
        t["attack_count_lifetime"] = draw(st.sampled_from(["1", "2-4", "5-9", "10+"]))
        if aura and a.get("aura_first_ever") != "yes":
            a["typical_aura"] = draw(st.sampled_from([[], ["visual"]]))
        any_acute = draw(st.integers(0, 31))
        a["med_days"] = {
            "paracetamol": draw(st.integers(0, any_acute)),
            "nsaid_aspirin": draw(st.integers(0, any_acute)),
            "triptan": draw(st.one_of(st.integers(0, any_acute), st.just("not_sure"))),
            "ergot": 0,
            "opioid": draw(st.integers(0, any_acute)),
            "combination": 0,
            "gepant_ditan": 0,
            "other": 0,
            "any_acute": any_acute,
        }
        if any_acute >= 1:
            a["med_overuse_duration"] = draw(st.sampled_from(["lt_1m", "1_3m", "gt_3m"]))
            a["headache_predates_med_use"] = draw(st.sampled_from(["yes", "no", "not_sure"]))
    a["instruments"] = draw(instruments())
    return complete(a, draw)
