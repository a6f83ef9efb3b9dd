"""The "not sure" rule of reference.md §2.1 (contract E.2): one RF-UNCLEAR note listing every unclear answer.

"not_sure" never fires a flag. It routes the case to clinician review: SAME_DAY when any unclear answer belongs to
an ED_NOW question (PRODUCT RULE), otherwise URGENT; unclear low-back or cervical-artery answers also set precautions
until a clinician has clarified them.
"""

from __future__ import annotations

from .red_flags import (
    CES_ITEMS,
    HA_NEURO_ITEMS,
    LUMBAR,
    NO_CERVICAL_HVLA,
    SAME_DAY,
    TIER_OF_ACTION,
    URGENT_REFERRAL,
)
from .schema import CAD_ITEMS, FIELD_BY_NAME, RF_FIELDS

TEXT = "unclear red-flag answer"

# Contract E.2 table: the questions whose "yes" is part of an ED_NOW trigger (always-ED_NOW flags, plus the
# questions of an ED_NOW clause or upgrade). Classified by question, whatever the other answers are.
ED_NOW_QUESTIONS = frozenset(
    {
        *CES_ITEMS,  # LBP-CES-1
        "cancer_history",
        "leg_weakness_new",
        "gait_disturbance_new",
        "sensory_change_new",  # LBP-MSCC; INFECT upgrade
        "back_pain_new_or_changed",
        "abdominal_pain_new",
        "collapse_or_faint",
        "known_aaa",  # LBP-AAA-RUPT
        "onset_to_peak",  # HA-THUNDER
        "fever",
        "neck_stiffness",
        "confusion_drowsy",
        "non_blanching_rash",  # HA-MENING
        *HA_NEURO_ITEMS,
        "pdph_no_longer_positional",  # HA-NEURO; HA-RAISED-ICP and HA-PDPH upgrades
        "aura_first_ever",
        "aura_limb_weakness",
        "aura_sudden_onset",  # HA-AURA-ATYP ED_NOW clause
        "gca_visual",  # HA-GCA upgrade
        "pregnant",
        "preeclampsia_symptoms",  # HA-PREG ED_NOW clause (a "not_sure" element)
        "anticoagulant",
        "vomiting",
        "loc",  # HA-TRAUMA upgrade (with confusion_drowsy, seizure_new above)
        "red_painful_eye",
        "eye_blurring_haloes",  # HA-EYE ED_NOW clause
        *CAD_ITEMS,
        "neuro_symptoms_within_14_days",
        "sudden_severe_unlike_before",  # CAD-ACUTE
        "recent_neck_injury",
        "recent_neck_manipulation",
        "head_neck_trauma",
    }
)
# E.2: the LBP red-flag questions are the RF fields of B.3 (the ces_* fields included); cancer_history and
# immunosuppressed count too when has_back_pain = yes. The CAD questions are the RF fields of B.5.
LBP_QUESTIONS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.rf and f.section == "B.3")
CAD_QUESTIONS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.rf and f.section == "B.5")


def unclear_answers(a: dict, positive: dict | None = None) -> list[tuple[str, str]]:
    """(question, triggered_by fact) for every unclear answer, in the order of the field table.

    `positive` (red_flags.positive_answers) may be passed in to avoid a second pass over the answers.
    """
    found = []
    source = a if positive is None else positive
    unclear = [k for k, v in source.items() if v == "not_sure"]  # usually none: then no per-question work at all
    if unclear:
        unclear_set = set(unclear)
        found = [(name, f"{name}=not_sure") for name in RF_FIELDS if name in unclear_set]
    if a.get("onset_to_peak") == "not_sure":
        found.append(("onset_to_peak", "onset_to_peak=not_sure"))
    if "not_sure" in (a.get("preeclampsia_symptoms") or ()):
        found.append(("preeclampsia_symptoms", "preeclampsia_symptoms[]=not_sure"))
    return found


def evaluate_unclear(a: dict, positive: dict | None = None) -> tuple[list[dict], set[str], list[dict]]:
    """Returns (notes, precautions, explain entries) for the unclear answers of one intake."""
    found = unclear_answers(a, positive)
    if not found:
        return [], set(), []
    questions = [q for q, _ in found]
    action = SAME_DAY if any(q in ED_NOW_QUESTIONS for q in questions) else URGENT_REFERRAL
    note = {
        "id": "RF-UNCLEAR",
        "tier": TIER_OF_ACTION[action],
        "action": action,
        "text": TEXT,
        "triggered_by": [fact for _, fact in found],
    }
    precautions: set[str] = set()
    back = a.get("has_back_pain") == "yes"
    for q in questions:
        if q in LBP_QUESTIONS or (back and q in ("cancer_history", "immunosuppressed")):
            precautions.add(LUMBAR)
        if q in CAD_QUESTIONS:
            precautions.add(NO_CERVICAL_HVLA)
    explain = {
        "id": "RF-UNCLEAR",
        "ref": "§2.1",
        "result": True,
        "inputs": {q: "not_sure" for q in questions},
        "detail": {
            "action": action,
            "ed_now_questions": sorted(q for q in questions if q in ED_NOW_QUESTIONS),
            "precautions": sorted(precautions),
        },
    }
    return [note], precautions, [explain]
