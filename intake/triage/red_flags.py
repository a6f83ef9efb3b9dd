"""Every red flag of reference.md §2 as data plus a small predicate.

Each rule carries its ID, section, the actions it can give, its sources (in the order of the §2 Sources column),
the fields it reads, the precautions it sets and whether it suppresses headache phenotypes (§4.10), so the explain
trace, the clinician's "explain" view, the docs and the tests all come from this one definition.

Presence gates are contract E.1; the concepts each trigger names are carried by the fields of contract E.3, and the
typical-aura exclusion is E.4. An RF answer satisfies a trigger only when it is "yes" (§2.1): "not_sure" never fires
a flag here; it is routed to the RF-UNCLEAR note (`unclear.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .schema import BACK, BACK_OR_LEG, CAD_ITEMS, HEADACHE, NECK_OR_HEADACHE, Condition

ED_NOW, SAME_DAY, URGENT_REFERRAL, ROUTINE_REFERRAL, NOTE = (
    "ED_NOW",
    "SAME_DAY",
    "URGENT_REFERRAL",
    "ROUTINE_REFERRAL",
    "NOTE",
)
# §0.3: the only tier/action pairs that exist.
TIER_OF_ACTION = {
    ED_NOW: "EMERGENCY",
    SAME_DAY: "EMERGENCY",
    URGENT_REFERRAL: "URGENT",
    ROUTINE_REFERRAL: "ROUTINE",
    NOTE: "ROUTINE",
}
# Contract C.12: ED_NOW > SAME_DAY > URGENT_REFERRAL > NOTE = ROUTINE_REFERRAL.
ACTION_RANK = {ED_NOW: 4, SAME_DAY: 3, URGENT_REFERRAL: 2, ROUTINE_REFERRAL: 1, NOTE: 1}
# §0.3 / §2.6.2: the overall tier an action contributes.
OVERALL_OF_ACTION = {
    ED_NOW: "ED_NOW",
    SAME_DAY: "SAME_DAY",
    URGENT_REFERRAL: "URGENT_REFERRAL",
    ROUTINE_REFERRAL: "ROUTINE",
    NOTE: "ROUTINE",
}
OVERALL_RANK = {"ED_NOW": 4, "SAME_DAY": 3, "URGENT_REFERRAL": 2, "ROUTINE": 1, "NONE": 0}

LUMBAR = "NO_MANUAL_THERAPY_REGION=lumbar"
THORACIC = "NO_MANUAL_THERAPY_REGION=thoracic"
NO_CERVICAL_MT = "NO_CERVICAL_MANUAL_THERAPY"
NO_CERVICAL_HVLA = "NO_CERVICAL_HVLA_UNTIL_CLEARED"

PHQ9 = Condition("instruments.phq9 present", lambda a: "phq9" in a.get("instruments", {}))

# E.4: the only items a typical aura can explain, and the aura class that excludes each.
AURA_CLASS_OF_ITEM = {
    "vision_loss_new": "visual",
    "nystagmus_new": "visual",
    "hemi_numbness_new": "sensory",
    "facial_numbness_new": "sensory",
    "speech_difficulty_new": "speech",
}
# §2.3 HA-NEURO items (contract B.5/B.6 "Read by HA-NEURO").
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
CES_ITEMS = (
    "ces_saddle_numbness",
    "ces_urinary_difficulty",
    "ces_urinary_incontinence",
    "ces_bowel_dysfunction",
    "ces_sexual_dysfunction",
)
# E.3: "any new neurological symptom (weakness, gait disturbance, sensory change, bladder or bowel change)".
LBP_NEURO_SYMPTOMS = ("leg_weakness_new", "gait_disturbance_new", "sensory_change_new", *CES_ITEMS)
GCA_FEATURES = (
    "gca_jaw_claudication",
    "gca_scalp_tenderness",
    "gca_temple_tenderness",
    "gca_morning_girdle_stiffness",
    "gca_systemic",
    "gca_visual",
)
CAD_RF_ITEMS = (
    "cad_rf_hypertension",
    "cad_rf_high_cholesterol",
    "cad_rf_connective_tissue",
    "cad_rf_recent_infection",
    "cad_rf_migraine",
    "cad_rf_family_history",
    "cad_rf_smoker",
    "recent_neck_injury",
    "recent_neck_manipulation",
)
UCI_ITEMS = ("uci_rheumatoid_arthritis", "uci_down_syndrome", "uci_neck_surgery", "recent_neck_injury")
AXSPA_ITEMS = (
    "axspa_night_waking",
    "axspa_buttock_pain",
    "axspa_improves_with_movement",
    "axspa_nsaid_response_48h",
    "axspa_family_history",
    "axspa_arthritis",
    "axspa_enthesitis",
    "axspa_psoriasis",
)

# PRODUCT RULE thresholds of §2, kept here so each is defined once (and can be changed by governance).
THRESHOLDS = {
    "older_age": 50,  # §2.3 SNNOOP10 "older age": 50 (PRODUCT RULE), also LBP-MALIG, LBP-AAA-RISK, HA-GCA
    "osteo_age": 65,  # §2.2 LBP-FX-OSTEO (PRODUCT RULE; studies vary 65–74)
    "trauma_days": 7,  # §2.2 LBP-FX-TRAUMA, §2.3 HA-TRAUMA: within the last 7 days
    "pdph_onset_days": 5,  # §2.3 HA-PDPH, §4.8: within 5 days before headache onset
    "postpartum_weeks": 6,  # §2.3 HA-PREG: puerperium
    "preeclampsia_gestation_weeks": 20,  # §2.3 HA-PREG ED_NOW clause
    "axspa_onset_age": 45,  # §2.2 LBP-AXSPA: began before age 45
    "axspa_criterion1_age": 35,  # NG65 criterion 1: began before age 35 (E.5)
    "axspa_history_months": 3,  # §2.2 LBP-AXSPA: > 3 months overall (PRODUCT RULE, E.6)
    "axspa_refer": 4,  # ≥4 criteria → refer
    "axspa_hla": 3,  # exactly 3 → HLA-B27 test
    "phq9_item9": 1,  # §2.5 MH-SI: item 9 ≥ 1
}


def _yes(a: dict, name: str) -> bool:
    return a.get(name) == "yes"


def _facts(a: dict, names) -> list[str]:
    get = a.get
    return [f"{n}=yes" for n in names if get(n) == "yes"]


def counted_items(a: dict, names) -> list[str]:
    """E.4: the "yes" items that a listed typical-aura class does not explain."""
    get = a.get
    yes = [n for n in names if get(n) == "yes"]
    if not yes:
        return yes
    typical = a.get("typical_aura") or ()
    return [n for n in yes if AURA_CLASS_OF_ITEM.get(n) not in typical]


class Result(NamedTuple):
    """What one rule gave: its action (None = did not fire), the facts that triggered it, and any detail.

    A NamedTuple rather than a frozen dataclass: it is built on the hot path of every intake and check-in.
    """

    action: str | None
    triggered_by: tuple[str, ...] = ()
    detail: dict | None = None


NOT_FIRED = Result(None)


@dataclass(frozen=True)
class Rule:
    id: str
    ref: str
    title: str
    actions: tuple[str, ...]  # every action its trigger can give, the base action first
    sources: tuple[str, ...]
    reads: tuple[str, ...]
    gate: Condition
    predicate: Callable[[dict, dict], Result]  # (answers, flags fired so far by id) -> Result
    precautions: tuple[str, ...] = ()
    suppresses_phenotypes: bool = False

    @property
    def region(self) -> str:
        return self.id.split("-", 1)[0]


# ---------------------------------------------------------------- §2.2 low back pain
def _ces1(a, fired):
    items = _facts(a, CES_ITEMS)
    if not items:
        return NOT_FIRED
    return Result(ED_NOW, tuple(_facts(a, ("has_back_pain", "leg_pain")) + items))


def _ces2(a, fired):
    if a.get("leg_pain_below_knee") == "both" and "LBP-CES-1" not in fired:
        return Result(SAME_DAY, ("leg_pain_below_knee=both",))
    return NOT_FIRED


def _lbp_neuro(a, fired):
    if _yes(a, "leg_weakness_new") and _yes(a, "leg_weakness_progressing"):
        return Result(SAME_DAY, ("leg_weakness_new=yes", "leg_weakness_progressing=yes"))
    return NOT_FIRED


def _mscc(a, fired):
    if not _yes(a, "cancer_history"):
        return NOT_FIRED
    neuro = _facts(a, LBP_NEURO_SYMPTOMS)
    return Result(ED_NOW, ("cancer_history=yes", *neuro)) if neuro else NOT_FIRED


def _malig(a, fired):
    facts: list[str] = []
    if _yes(a, "cancer_history") and _yes(a, "back_pain_new_or_changed"):
        facts += ["cancer_history=yes", "back_pain_new_or_changed=yes"]
    if _yes(a, "unexplained_weight_loss"):
        either = _facts(a, ("night_pain_unrelenting", "thoracic_pain"))
        if a["age"] >= THRESHOLDS["older_age"]:
            either.insert(0, f"age={a['age']}")
        if either:
            facts += ["unexplained_weight_loss=yes", *either]
    return Result(URGENT_REFERRAL, tuple(facts)) if facts else NOT_FIRED


def _infect(a, fired):
    if not _yes(a, "fever_recent"):
        return NOT_FIRED
    neuro = _facts(a, LBP_NEURO_SYMPTOMS)
    return Result(ED_NOW if neuro else SAME_DAY, ("fever_recent=yes", *neuro))


def _infect_risk(a, fired):
    risks = _facts(a, ("ivdu", "immunosuppressed", "recent_spinal_procedure"))
    # E.2: "no fever" means LBP-INFECT has not fired (fever_recent is not "yes").
    if risks and _yes(a, "back_pain_new_or_changed") and not _yes(a, "fever_recent"):
        return Result(URGENT_REFERRAL, (*risks, "back_pain_new_or_changed=yes"))
    return NOT_FIRED


def _fx_trauma(a, fired):
    days = a.get("major_trauma_days")
    if _yes(a, "major_trauma") and days is not None and days <= THRESHOLDS["trauma_days"]:
        return Result(SAME_DAY, ("major_trauma=yes", f"major_trauma_days={days}"))
    return NOT_FIRED


def _fx_osteo(a, fired):
    risk = _facts(a, ("osteoporosis", "steroids_3mo_plus"))
    if a["age"] >= THRESHOLDS["osteo_age"]:
        risk.insert(0, f"age={a['age']}")
    onset = _facts(a, ("onset_sudden", "minor_trauma"))
    return Result(URGENT_REFERRAL, (*risk, *onset)) if risk and onset else NOT_FIRED


def _aaa_rupt(a, fired):
    pain = _facts(a, ("back_pain_new_or_changed", "abdominal_pain_new"))
    sign = _facts(a, ("collapse_or_faint", "known_aaa"))
    return Result(ED_NOW, (*pain, *sign)) if pain and sign else NOT_FIRED


def _aaa_risk(a, fired):
    if (
        a["age"] >= THRESHOLDS["older_age"]
        and _yes(a, "abdominal_pulsation")
        and _yes(a, "back_pain_unchanged_by_movement")
    ):
        return Result(
            URGENT_REFERRAL, (f"age={a['age']}", "abdominal_pulsation=yes", "back_pain_unchanged_by_movement=yes")
        )
    return NOT_FIRED


def axspa_criteria(a: dict) -> list[str]:
    """E.5: the NG65 criteria met, as triggered_by facts (criterion 1 from back_pain_onset_age < 35)."""
    met = []
    onset = a.get("back_pain_onset_age")
    if onset is not None and onset < THRESHOLDS["axspa_criterion1_age"]:
        met.append(f"back_pain_onset_age={onset}")
    return met + _facts(a, AXSPA_ITEMS)


def _axspa(a, fired):
    onset, history = a.get("back_pain_onset_age"), a.get("back_pain_history_months")
    if onset is None or history is None:
        return NOT_FIRED
    if not (onset < THRESHOLDS["axspa_onset_age"] and history > THRESHOLDS["axspa_history_months"]):
        return NOT_FIRED
    met = axspa_criteria(a)
    if len(met) < THRESHOLDS["axspa_hla"]:
        return NOT_FIRED
    recommendation = (
        "refer_rheumatology" if len(met) >= THRESHOLDS["axspa_refer"] else "hla_b27_test_then_refer_if_positive"
    )
    facts = [f"back_pain_onset_age={onset}", f"back_pain_history_months={history}", *met]
    return Result(
        ROUTINE_REFERRAL,
        tuple(dict.fromkeys(facts)),
        {"criteria_count": len(met), "recommendation": recommendation},
    )


# ---------------------------------------------------------------- §2.3 headache
def _thunder(a, fired):
    if a.get("onset_to_peak") in ("seconds", "within_a_minute"):
        return Result(ED_NOW, (f"onset_to_peak={a['onset_to_peak']}",))
    return NOT_FIRED


def _mening(a, fired):
    if not _yes(a, "fever"):
        return NOT_FIRED
    signs = _facts(a, ("neck_stiffness", "confusion_drowsy", "non_blanching_rash"))
    return Result(ED_NOW, ("fever=yes", *signs)) if signs else NOT_FIRED


def _fever(a, fired):
    return Result(SAME_DAY, ("fever=yes",)) if _yes(a, "fever") and "HA-MENING" not in fired else NOT_FIRED


def _ha_neuro(a, fired):
    items = counted_items(a, HA_NEURO_ITEMS)
    return Result(ED_NOW, tuple(f"{n}=yes" for n in items)) if items else NOT_FIRED


def _has_aura(a) -> bool:
    return any(isinstance(t.get("aura"), dict) for t in a.get("ha_types", ()))


def _aura_types_with(a, classes) -> list[str]:
    facts = []
    for i, t in enumerate(a.get("ha_types", ())):
        aura = t.get("aura")
        if isinstance(aura, dict):
            facts += [f"ha_types[{i}].aura.types[]={c}" for c in aura["types"] if c in classes]
    return facts


def _aura_atyp(a, fired):
    if not _has_aura(a):
        return NOT_FIRED
    ed: list[str] = []
    if _yes(a, "aura_first_ever"):
        deficit = _facts(a, ("aura_limb_weakness",)) + _aura_types_with(a, ("motor", "speech"))
        if deficit:
            ed += ["aura_first_ever=yes", *deficit]
    ed += _facts(a, ("aura_sudden_onset",))
    if ed:
        return Result(ED_NOW, tuple(ed))
    urgent = _facts(a, ("aura_over_60min", "aura_started_age_50_plus"))
    if _yes(a, "aura_first_ever") and a["age"] >= THRESHOLDS["older_age"]:
        urgent += ["aura_first_ever=yes", f"age={a['age']}"]
    return Result(URGENT_REFERRAL, tuple(urgent)) if urgent else NOT_FIRED


def _gca(a, fired):
    if a["age"] < THRESHOLDS["older_age"] or not _yes(a, "new_headache"):
        return NOT_FIRED
    features = _facts(a, GCA_FEATURES)
    if features:
        action = ED_NOW if _yes(a, "gca_visual") else SAME_DAY
        return Result(action, (f"age={a['age']}", "new_headache=yes", *features))
    return NOT_FIRED


def _older(a, fired):
    if a["age"] >= THRESHOLDS["older_age"] and _yes(a, "new_headache"):
        return Result(URGENT_REFERRAL, (f"age={a['age']}", "new_headache=yes"))
    return NOT_FIRED


def _new_or_changed(a) -> list[str]:
    return _facts(a, ("new_headache", "pattern_change_3mo"))


def _new_pattern(a, fired):
    facts = _new_or_changed(a)
    return Result(URGENT_REFERRAL, tuple(facts)) if facts else NOT_FIRED


def _progressive(a, fired):
    if not _yes(a, "progressive"):
        return NOT_FIRED
    upgrade = _facts(a, ("vomiting",)) + [f"{n}=yes" for n in counted_items(a, HA_NEURO_ITEMS)]
    return Result(SAME_DAY if upgrade else URGENT_REFERRAL, ("progressive=yes", *upgrade))


def _pdph(a, fired):
    onset = a.get("procedure_to_headache_onset_days")
    if not (_yes(a, "dural_puncture_procedure") and onset is not None and 0 <= onset <= THRESHOLDS["pdph_onset_days"]):
        return NOT_FIRED
    upgrade = _facts(a, ("pdph_no_longer_positional", "seizure_new", "confusion_drowsy"))
    upgrade += [f"{n}=yes" for n in counted_items(a, HA_NEURO_ITEMS) if f"{n}=yes" not in upgrade]
    facts = ("dural_puncture_procedure=yes", f"procedure_to_headache_onset_days={onset}", *upgrade)
    return Result(ED_NOW if upgrade else SAME_DAY, facts)


def _orthostatic(a, fired):
    if _yes(a, "orthostatic") and "HA-PDPH" not in fired:
        return Result(URGENT_REFERRAL, ("orthostatic=yes",))
    return NOT_FIRED


def _raised_icp(a, fired):
    facts: list[str] = []
    if _yes(a, "worse_lying_or_morning") and _yes(a, "vomiting"):
        facts += ["worse_lying_or_morning=yes", "vomiting=yes"]
    facts += _facts(a, ("transient_visual_obscurations", "pulsatile_tinnitus"))
    if not facts:
        return NOT_FIRED
    visual_loss = counted_items(a, ("vision_loss_new",))
    if visual_loss:
        return Result(ED_NOW, (*facts, "vision_loss_new=yes"))
    return Result(URGENT_REFERRAL, tuple(facts))


def _valsalva(a, fired):
    if _yes(a, "valsalva_or_exertion_trigger"):
        return Result(URGENT_REFERRAL, ("valsalva_or_exertion_trigger=yes",))
    return NOT_FIRED


def _preg(a, fired):
    postpartum = a.get("postpartum_weeks")
    recent_birth = postpartum is not None and postpartum <= THRESHOLDS["postpartum_weeks"]
    symptoms = [s for s in a.get("preeclampsia_symptoms") or () if s != "not_sure"]
    gestation = a.get("gestation_weeks") or 0
    late_pregnancy = _yes(a, "pregnant") and gestation >= THRESHOLDS["preeclampsia_gestation_weeks"]
    if (late_pregnancy or recent_birth) and symptoms:
        if late_pregnancy:
            context = ["pregnant=yes", f"gestation_weeks={a['gestation_weeks']}"]
        else:
            context = [f"postpartum_weeks={postpartum}"]
        return Result(ED_NOW, (*context, *(f"preeclampsia_symptoms[]={s}" for s in symptoms)))
    new = _new_or_changed(a)
    if (_yes(a, "pregnant") or recent_birth) and new:
        context = ["pregnant=yes"] if _yes(a, "pregnant") else [f"postpartum_weeks={postpartum}"]
        return Result(SAME_DAY, (*context, *new))
    return NOT_FIRED


def _immuno(a, fired):
    new = _new_or_changed(a)
    if _yes(a, "immunosuppressed") and new:
        if _yes(a, "fever"):
            return Result(SAME_DAY, ("immunosuppressed=yes", *new, "fever=yes"))
        return Result(URGENT_REFERRAL, ("immunosuppressed=yes", *new))
    return NOT_FIRED


def _neoplasm(a, fired):
    new = _new_or_changed(a)
    return Result(URGENT_REFERRAL, ("cancer_history=yes", *new)) if _yes(a, "cancer_history") and new else NOT_FIRED


def _ha_trauma(a, fired):
    days = a.get("neck_trauma_days")
    if not (_yes(a, "head_neck_trauma") and days is not None and days <= THRESHOLDS["trauma_days"]):
        return NOT_FIRED
    if not _yes(a, "new_headache"):
        return NOT_FIRED
    modifiers = _facts(a, ("anticoagulant", "vomiting", "confusion_drowsy", "loc", "seizure_new"))
    facts = ("head_neck_trauma=yes", f"neck_trauma_days={days}", "new_headache=yes", *modifiers)
    return Result(ED_NOW if modifiers else SAME_DAY, facts)


def _eye(a, fired):
    if _yes(a, "red_painful_eye") and _yes(a, "eye_blurring_haloes"):
        return Result(ED_NOW, ("red_painful_eye=yes", "eye_blurring_haloes=yes"))
    autonomic = _facts(a, ("ha_autonomic_features", "ptosis"))
    if not autonomic:
        return NOT_FIRED
    one_side = [
        f"ha_types[{i}].side=one_side" for i, t in enumerate(a.get("ha_types", ())) if t.get("side") == "one_side"
    ]
    if autonomic and one_side:
        return Result(URGENT_REFERRAL, (*autonomic, *one_side))
    return NOT_FIRED


def _drug(a, fired):
    return Result(NOTE, ("new_drug_at_onset=yes",)) if _yes(a, "new_drug_at_onset") else NOT_FIRED


# ---------------------------------------------------------------- §2.4 cervical arteries
def _cad_acute(a, fired):
    facts: list[str] = []
    items = counted_items(a, CAD_ITEMS)
    if items and _yes(a, "neuro_symptoms_within_14_days"):
        facts += [f"{n}=yes" for n in items] + ["neuro_symptoms_within_14_days=yes"]
    trauma = _facts(a, ("recent_neck_injury", "recent_neck_manipulation", "head_neck_trauma"))
    if _yes(a, "sudden_severe_unlike_before") and trauma:
        facts += ["sudden_severe_unlike_before=yes", *trauma]
    return Result(ED_NOW, tuple(facts)) if facts else NOT_FIRED


def _cad_history(a, fired):
    facts = _facts(a, ("cad_symptoms_older_intermittent", "dizziness_neck_movement"))
    items = counted_items(a, CAD_ITEMS)
    if items and a.get("neuro_symptoms_within_14_days") == "no":
        facts += [f"{n}=yes" for n in items] + ["neuro_symptoms_within_14_days=no"]
    return Result(URGENT_REFERRAL, tuple(facts)) if facts else NOT_FIRED


def _cad_risk(a, fired):
    facts = _facts(a, CAD_RF_ITEMS)
    return Result(NOTE, tuple(facts)) if facts else NOT_FIRED


def _uci_risk(a, fired):
    facts = _facts(a, UCI_ITEMS)
    return Result(NOTE, tuple(facts)) if facts else NOT_FIRED


# ---------------------------------------------------------------- §2.5 mental health
def _mh_si(a, fired):
    item9 = a["instruments"]["phq9"][8]
    if item9 is not None and item9 >= THRESHOLDS["phq9_item9"]:
        return Result(SAME_DAY, (f"instruments.phq9[8]={int(item9)}",))
    return NOT_FIRED


LBP_PRECAUTION = (LUMBAR,)  # plus THORACIC with thoracic_pain = yes (§2.6.3); see precautions_of()

# Evaluation order matters only where a trigger names another flag (LBP-CES-2 after LBP-CES-1, HA-FEVER after
# HA-MENING, HA-ORTHOSTATIC after HA-PDPH); the output order is fixed by contract C.12, not by this list.
RULES: tuple[Rule, ...] = (
    Rule(
        "LBP-CES-1",
        "§2.2",
        "Suspected cauda equina syndrome",
        (ED_NOW,),
        ("BASS18", "GLOS", "GIRFT23", "FIN20"),
        ("has_back_pain", "leg_pain", *CES_ITEMS),
        BACK_OR_LEG,
        _ces1,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-CES-2",
        "§2.2",
        "Threatened cauda equina syndrome: bilateral radicular pain",
        (SAME_DAY,),
        ("BASS18", "GIRFT23"),
        ("leg_pain_below_knee",),
        BACK_OR_LEG,
        _ces2,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-NEURO",
        "§2.2",
        "Severe or progressive neurological deficit",
        (SAME_DAY,),
        ("GLOS", "FIN20"),
        ("leg_weakness_new", "leg_weakness_progressing"),
        BACK,
        _lbp_neuro,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-MSCC",
        "§2.2",
        "Suspected metastatic spinal cord compression",
        (ED_NOW,),
        ("NG234",),
        ("cancer_history", *LBP_NEURO_SYMPTOMS),
        BACK,
        _mscc,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-MALIG",
        "§2.2",
        "Possible spinal malignancy",
        (URGENT_REFERRAL,),
        ("COCH-MAL", "DOW13", "FIN20", "GLOS"),
        (
            "cancer_history",
            "back_pain_new_or_changed",
            "unexplained_weight_loss",
            "age",
            "night_pain_unrelenting",
            "thoracic_pain",
        ),
        BACK,
        _malig,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-INFECT",
        "§2.2",
        "Possible spinal infection",
        (SAME_DAY, ED_NOW),
        ("GLOS", "FIN20"),
        ("fever_recent", *LBP_NEURO_SYMPTOMS),
        BACK,
        _infect,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-INFECT-RISK",
        "§2.2",
        "Infection risk factors without fever",
        (URGENT_REFERRAL,),
        ("GLOS", "FIN20"),
        ("ivdu", "immunosuppressed", "recent_spinal_procedure", "back_pain_new_or_changed", "fever_recent"),
        BACK,
        _infect_risk,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-FX-TRAUMA",
        "§2.2",
        "Possible traumatic fracture",
        (SAME_DAY,),
        ("DOW13", "COCH-FX"),
        ("major_trauma", "major_trauma_days"),
        BACK,
        _fx_trauma,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-FX-OSTEO",
        "§2.2",
        "Possible osteoporotic or fragility fracture",
        (URGENT_REFERRAL,),
        ("DOW13", "COCH-FX"),
        ("age", "osteoporosis", "steroids_3mo_plus", "onset_sudden", "minor_trauma"),
        BACK,
        _fx_osteo,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-AAA-RUPT",
        "§2.2",
        "Possible ruptured or symptomatic abdominal aortic aneurysm",
        (ED_NOW,),
        ("NG156", "GG-AAA"),
        ("back_pain_new_or_changed", "abdominal_pain_new", "collapse_or_faint", "known_aaa"),
        BACK,
        _aaa_rupt,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-AAA-RISK",
        "§2.2",
        "Possible abdominal aortic aneurysm (non-acute)",
        (URGENT_REFERRAL,),
        ("NG156", "GG-AAA"),
        ("age", "abdominal_pulsation", "back_pain_unchanged_by_movement"),
        BACK,
        _aaa_risk,
        LBP_PRECAUTION,
    ),
    Rule(
        "LBP-AXSPA",
        "§2.2",
        "Possible axial spondyloarthritis",
        (ROUTINE_REFERRAL,),
        ("NG65", "BJGP-NG65"),
        ("back_pain_onset_age", "back_pain_history_months", *AXSPA_ITEMS),
        BACK,
        _axspa,
    ),
    Rule(
        "HA-THUNDER",
        "§2.3",
        "Thunderclap onset",
        (ED_NOW,),
        ("ICHD3-4.4", "SNNOOP10"),
        ("onset_to_peak",),
        HEADACHE,
        _thunder,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-MENING",
        "§2.3",
        "Fever with meningism",
        (ED_NOW,),
        ("NG240", "SNNOOP10"),
        ("fever", "neck_stiffness", "confusion_drowsy", "non_blanching_rash"),
        HEADACHE,
        _mening,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-FEVER",
        "§2.3",
        "Headache with fever",
        (SAME_DAY,),
        ("SNNOOP10",),
        ("fever",),
        HEADACHE,
        _fever,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-NEURO",
        "§2.3",
        "New neurological deficit",
        (ED_NOW,),
        ("SNNOOP10", "CMAJ-SNOOP4"),
        (*HA_NEURO_ITEMS, "typical_aura"),
        HEADACHE,
        _ha_neuro,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-AURA-ATYP",
        "§2.3",
        "Atypical aura",
        (URGENT_REFERRAL, ED_NOW),
        ("DANISH-ICHD", "YEUNGNAM-ICHD", "SNNOOP10"),
        (
            "aura_first_ever",
            "aura_limb_weakness",
            "aura_over_60min",
            "aura_started_age_50_plus",
            "aura_sudden_onset",
            "age",
            "ha_types[].aura.types",
        ),
        HEADACHE,
        _aura_atyp,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-GCA",
        "§2.3",
        "Possible giant cell arteritis",
        (SAME_DAY, ED_NOW),
        ("BSR20", "BSR-NEWS", "REMEDY-GCA", "SNNOOP10"),
        ("age", "new_headache", *GCA_FEATURES),
        HEADACHE,
        _gca,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-OLDER",
        "§2.3",
        "New headache at age 50 or over",
        (URGENT_REFERRAL,),
        ("SNNOOP10",),
        ("age", "new_headache"),
        HEADACHE,
        _older,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-NEW-PATTERN",
        "§2.3",
        "New headache or changed pattern",
        (URGENT_REFERRAL,),
        ("SNNOOP10", "CMAJ-SNOOP4"),
        ("new_headache", "pattern_change_3mo"),
        HEADACHE,
        _new_pattern,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-PROGRESSIVE",
        "§2.3",
        "Progressive headache",
        (URGENT_REFERRAL, SAME_DAY),
        ("SNNOOP10", "CMAJ-SNOOP4"),
        ("progressive", "vomiting", *HA_NEURO_ITEMS),
        HEADACHE,
        _progressive,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-PDPH",
        "§2.3",
        "Post-dural puncture headache",
        (SAME_DAY, ED_NOW),
        ("ICHD3-7.2.1", "SNNOOP10"),
        (
            "dural_puncture_procedure",
            "procedure_to_headache_onset_days",
            "pdph_no_longer_positional",
            "seizure_new",
            "confusion_drowsy",
            *HA_NEURO_ITEMS,
        ),
        HEADACHE,
        _pdph,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-ORTHOSTATIC",
        "§2.3",
        "Orthostatic headache",
        (URGENT_REFERRAL,),
        ("JKNA-ICHD7", "ICHD3-7.2.2", "SNNOOP10"),
        ("orthostatic",),
        HEADACHE,
        _orthostatic,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-RAISED-ICP",
        "§2.3",
        "Possible raised intracranial pressure",
        (URGENT_REFERRAL, ED_NOW),
        ("CMAJ-SNOOP4", "SNNOOP10"),
        (
            "worse_lying_or_morning",
            "vomiting",
            "transient_visual_obscurations",
            "pulsatile_tinnitus",
            "vision_loss_new",
        ),
        HEADACHE,
        _raised_icp,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-VALSALVA",
        "§2.3",
        "Precipitated by Valsalva or exertion",
        (URGENT_REFERRAL,),
        ("SNNOOP10", "CMAJ-SNOOP4"),
        ("valsalva_or_exertion_trigger",),
        HEADACHE,
        _valsalva,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-PREG",
        "§2.3",
        "Pregnancy or puerperium",
        (SAME_DAY, ED_NOW),
        ("NG133", "SNNOOP10", "DRMASH-SNNOOP"),
        (
            "pregnant",
            "gestation_weeks",
            "postpartum_weeks",
            "new_headache",
            "pattern_change_3mo",
            "preeclampsia_symptoms",
        ),
        HEADACHE,
        _preg,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-IMMUNO",
        "§2.3",
        "Immunosuppression with new headache",
        (URGENT_REFERRAL, SAME_DAY),
        ("SNNOOP10",),
        ("immunosuppressed", "new_headache", "pattern_change_3mo", "fever"),
        HEADACHE,
        _immuno,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-NEOPLASM",
        "§2.3",
        "Cancer history with new headache",
        (URGENT_REFERRAL,),
        ("SNNOOP10",),
        ("cancer_history", "new_headache", "pattern_change_3mo"),
        HEADACHE,
        _neoplasm,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-TRAUMA",
        "§2.3",
        "Post-traumatic headache",
        (SAME_DAY, ED_NOW),
        ("SNNOOP10",),
        (
            "head_neck_trauma",
            "neck_trauma_days",
            "new_headache",
            "anticoagulant",
            "vomiting",
            "confusion_drowsy",
            "loc",
            "seizure_new",
        ),
        HEADACHE,
        _ha_trauma,
        suppresses_phenotypes=True,
    ),
    Rule(
        "HA-EYE",
        "§2.3",
        "Painful eye or autonomic features",
        (URGENT_REFERRAL, ED_NOW),
        ("SNNOOP10",),
        ("red_painful_eye", "eye_blurring_haloes", "ha_autonomic_features", "ptosis", "ha_types[].side"),
        HEADACHE,
        _eye,
        suppresses_phenotypes=True,
    ),
    Rule("HA-DRUG", "§2.3", "New drug at onset", (NOTE,), ("SNNOOP10",), ("new_drug_at_onset",), HEADACHE, _drug),
    Rule(
        "CAD-ACUTE",
        "§2.4",
        "Possible acute cervical arterial dysfunction",
        (ED_NOW,),
        ("IFOMPT20", "UNANS-5D3N", "ARNOLD06", "DOVE-CEAD"),
        (
            *CAD_ITEMS,
            "neuro_symptoms_within_14_days",
            "typical_aura",
            "sudden_severe_unlike_before",
            "recent_neck_injury",
            "recent_neck_manipulation",
            "head_neck_trauma",
        ),
        NECK_OR_HEADACHE,
        _cad_acute,
        (NO_CERVICAL_MT,),
        suppresses_phenotypes=True,
    ),
    Rule(
        "CAD-HISTORY",
        "§2.4",
        "Earlier cervical arterial symptoms",
        (URGENT_REFERRAL,),
        ("IFOMPT20",),
        ("cad_symptoms_older_intermittent", "dizziness_neck_movement", *CAD_ITEMS, "neuro_symptoms_within_14_days"),
        NECK_OR_HEADACHE,
        _cad_history,
        (NO_CERVICAL_HVLA,),
        suppresses_phenotypes=True,
    ),
    Rule(
        "CAD-RISK",
        "§2.4",
        "Risk factors for cervical arterial dysfunction",
        (NOTE,),
        ("IFOMPT20", "OPENNEURO-CAD", "MIGRAINE-CEAD"),
        CAD_RF_ITEMS,
        NECK_OR_HEADACHE,
        _cad_risk,
    ),
    Rule(
        "UCI-RISK",
        "§2.4",
        "Upper cervical instability risk",
        (NOTE,),
        ("IFOMPT-PP3",),
        UCI_ITEMS,
        NECK_OR_HEADACHE,
        _uci_risk,
        (NO_CERVICAL_HVLA,),
    ),
    Rule(
        "MH-SI",
        "§2.5",
        "Thoughts of death or self-harm (PHQ-9 item 9)",
        (SAME_DAY,),
        ("AACN-PHQ9", "IATROX-PHQ9", "SIMON13"),
        ("instruments.phq9[8]",),
        PHQ9,
        _mh_si,
    ),
)
RULE_BY_ID = {r.id: r for r in RULES}
SUPPRESSING_FLAGS = frozenset(r.id for r in RULES if r.suppresses_phenotypes)


def _read(a: dict, path: str):
    if path == "instruments.phq9[8]":
        return a["instruments"]["phq9"][8]
    if path.startswith("ha_types[]"):
        sub = path[len("ha_types[].") :]
        values = []
        for t in a.get("ha_types", ()):
            cur = t
            for part in sub.split("."):
                cur = cur.get(part) if isinstance(cur, dict) else None
            values.append(cur)
        return values
    return a.get(path)


_GATES = tuple({id(r.gate): r.gate for r in RULES}.values())
_GATE_FIELDS = frozenset({"has_back_pain", "has_headache", "neck_pain", "leg_pain"})
# Rules reading nested values need _read; the others read top-level answers directly (a hot path: §2 runs on every
# intake and check-in).
_SPECIAL_RULES = frozenset(r.id for r in RULES if any(p.startswith(("instruments.", "ha_types[]")) for p in r.reads))


def _group_by_gate() -> tuple:
    """Consecutive rules sharing a presence gate, in RULES order (the order dependent triggers need)."""
    groups: list[tuple] = []
    for rule in RULES:
        answer_reads = tuple(p for p in rule.reads if not p.startswith(("instruments.", "ha_types[]")))
        item = (rule, rule.id in _SPECIAL_RULES, rule.reads, answer_reads)
        if groups and groups[-1][0] is rule.gate:
            groups[-1][1].append(item)
        else:
            groups.append((rule.gate, [item]))
    return tuple((gate, tuple(items)) for gate, items in groups)


_RULES_BY_GATE = _group_by_gate()


def positive_answers(a: dict) -> dict:
    """The answers that are "yes" or "not_sure": the only ones a rule or the unclear-answer note can act on."""
    return {k: v for k, v in a.items() if v == "yes" or v == "not_sure"}  # noqa: PLR1714 - v may be a list


def evaluate_flags(a: dict, positive: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Run every §2 rule whose presence gate is open. Returns (red_flags sorted per C.12, explain entries).

    Explain: one entry per fired rule (with the answers it read and its triggering facts), one per rule that did not
    fire although one of its answers was "yes" or "not_sure" (a near miss the clinician may want to see), and one
    RED-FLAGS-CLEAR entry listing the rules evaluated with every answer negative. The rule definitions above say
    which answers each rule reads, so the explain view can show them for any rule.
    """
    fired: dict[str, Result] = {}
    explain: list[dict] = []
    clear: list[str] = []
    get = a.get
    positive = (positive_answers(a) if positive is None else positive).keys() - _GATE_FIELDS
    for gate, rules in _RULES_BY_GATE:  # five presence gates (E.1), each decided once
        if not gate.test(a):
            continue
        for rule, special, reads, answer_reads in rules:
            # Every predicate runs on every intake: no shortcut may decide that a rule cannot fire (§0.2.1).
            result = rule.predicate(a, fired)
            action = result.action
            if action is None:
                # Explain only: a rule that did not fire and read no "yes"/"not sure" answer is listed as clear.
                if positive.isdisjoint(answer_reads):
                    clear.append(rule.id)
                    continue
                entry = {"id": rule.id, "ref": rule.ref, "result": False}
            else:
                fired[rule.id] = result
                entry = {"id": rule.id, "ref": rule.ref, "result": True}
            entry["inputs"] = (
                {path: _read(a, path) for path in reads} if special else dict(zip(reads, map(get, reads), strict=False))
            )
            if action is not None:
                entry["detail"] = {"action": action, "triggered_by": list(result.triggered_by)}
            explain.append(entry)
    if clear:
        explain.append(
            {"id": "RED-FLAGS-CLEAR", "ref": "§2", "result": False, "inputs": {}, "detail": {"rules": clear}}
        )
    flags = []
    for rule_id, result in fired.items():
        rule = RULE_BY_ID[rule_id]
        flag = {
            "id": rule_id,
            "tier": TIER_OF_ACTION[result.action],
            "action": result.action,
            "triggered_by": list(result.triggered_by),
            "sources": list(rule.sources),
        }
        if result.detail is not None:
            flag["detail"] = result.detail
        flags.append(flag)
    flags.sort(key=lambda f: (-ACTION_RANK[f["action"]], f["id"]))
    return flags, explain


def precautions_of(a: dict, flags: list[dict]) -> set[str]:
    """§2.6.3: precautions set by the fired flags (unclear answers add theirs in `unclear.py`)."""
    tags: set[str] = set()
    for flag in flags:
        rule = RULE_BY_ID[flag["id"]]
        if rule.region == "LBP":
            if flag["tier"] in ("URGENT", "EMERGENCY"):
                tags.add(LUMBAR)
                if a.get("thoracic_pain") == "yes":
                    tags.add(THORACIC)
        else:
            tags.update(rule.precautions)
    return tags
