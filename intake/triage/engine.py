"""evaluate(answers) -> summary: the one entry point of the triage engine (contract parts B and C).

Pure and deterministic: no Django, no database, no clock, no randomness. The web request, the Celery task and the
`triage` command all call this function. The order is reference.md §4.10: red flags first, then everything that
depends on them (suppression of headache phenotypes, back-pain pattern, CS pattern).
"""

from __future__ import annotations

from .back import evaluate_back
from .errors import InvalidInput
from .headache import evaluate_headache
from .instruments import explain_scores, score_instruments
from .instruments.wpi import fm_2016_criteria_met
from .medication import evaluate_medication
from .red_flags import (
    ACTION_RANK,
    OVERALL_OF_ACTION,
    OVERALL_RANK,
    evaluate_flags,
    positive_answers,
    precautions_of,
)
from .schema import validate
from .sensitisation import FOOTNOTE, evaluate_features
from .unclear import evaluate_unclear
from .version import CONTRACT_VERSION, RULES_VERSION

# Contract C.5 / reference §0.3, §2.5: what the patient is shown after submitting.
SCREEN_OF_TIER = {
    "ED_NOW": "emergency_advice",
    "SAME_DAY": "same_day_contact",
    "URGENT_REFERRAL": "clinician_review_notice",
    "ROUTINE": "none",
    "NONE": "none",
}


def overall_tier(red_flags: list[dict], notes: list[dict]) -> str:
    """§0.3, §2.6.2: the highest tier among the flags and the tiered notes; NONE when there are neither."""
    actions = [f["action"] for f in red_flags] + [n["action"] for n in notes if n["action"] is not None]
    tiers = [OVERALL_OF_ACTION[a] for a in actions]
    return max(tiers, key=OVERALL_RANK.__getitem__) if tiers else "NONE"


def patient_screen(tier: str, red_flags: list[dict]) -> dict:
    screen = SCREEN_OF_TIER[tier]
    return {
        "screen": screen,
        "must_acknowledge": screen == "emergency_advice",
        "crisis_resources": any(f["id"] == "MH-SI" for f in red_flags),
    }


def _note_order(note: dict) -> tuple:
    """C.12: tiered notes by action rank, then the null-tier notes; ties by id."""
    rank = ACTION_RANK[note["action"]] if note["action"] is not None else 0
    return (-rank, note["id"])


# §2.2 "also record": ROUTINE notes, not triggers (contract C.3), only with back pain.
RECORD_NOTES = (
    (
        "LBP-RECORD-ONSET-AGE",
        "age under 20 or over 55 at first onset",
        lambda a: a["back_pain_onset_age"] < 20 or a["back_pain_onset_age"] > 55,
        ("back_pain_onset_age",),
    ),
    ("LBP-RECORD-THORACIC", "thoracic pain", lambda a: a.get("thoracic_pain") == "yes", ("thoracic_pain",)),
    (
        "LBP-RECORD-DEFORMITY",
        "structural deformity",
        lambda a: a.get("structural_deformity") == "yes",
        ("structural_deformity",),
    ),
    (
        "LBP-RECORD-MULTISITE",
        "pain at multiple sites",
        lambda a: a.get("pain_multiple_sites") == "yes",
        ("pain_multiple_sites",),
    ),
)


def _record_notes(a: dict) -> tuple[list[dict], list[dict]]:
    if a.get("has_back_pain") != "yes":
        return [], []
    notes, explain = [], []
    for note_id, text, test, reads in RECORD_NOTES:
        if test(a):
            facts = [f"{r}={a[r]}" for r in reads]
            notes.append({"id": note_id, "tier": "ROUTINE", "action": "NOTE", "text": text, "triggered_by": facts})
            explain.append({"id": note_id, "ref": "§2.2", "result": True, "inputs": {r: a.get(r) for r in reads}})
    return notes, explain


def evaluate_valid(a: dict) -> dict:
    """Evaluate answers that have already passed `schema.validate`."""
    positive = positive_answers(a)  # one pass over the answers, shared by §2 and §2.1
    red_flags, flag_explain = evaluate_flags(a, positive)
    unclear_notes, unclear_precautions, unclear_explain = evaluate_unclear(a, positive)
    record_notes, record_explain = _record_notes(a)
    scores = score_instruments(a["instruments"])
    med = evaluate_medication(a)
    headache = evaluate_headache(a, red_flags, med)
    back, back_explain = evaluate_back(a, red_flags, scores)
    cs, cs_explain = evaluate_features(a, scores, red_flags, headache, med)
    fm = fm_2016_criteria_met(a["instruments"], scores)

    notes = sorted(unclear_notes + record_notes + med["notes"] + headache["notes"], key=_note_order)
    tier = overall_tier(red_flags, notes)
    precautions = sorted(precautions_of(a, red_flags) | unclear_precautions)
    fm_explain = {
        "id": "FM-2016",
        "ref": "§1.2.14",
        "result": fm,
        "inputs": {
            "scores.wpi.total": scores["wpi"]["total"] if "wpi" in scores else None,
            "scores.sss.total": scores["sss"]["total"] if "sss" in scores else None,
            "scores.wpi.generalised_regions": scores["wpi"]["generalised_regions"] if "wpi" in scores else None,
            "instruments.sss.symptoms_3mo_plus": a["instruments"]["sss"]["symptoms_3mo_plus"]
            if "sss" in a["instruments"]
            else None,
        },
    }
    explain = (
        flag_explain
        + unclear_explain
        + record_explain
        + back_explain
        + headache["explain"]
        + med["explain"]
        + cs_explain
        + [fm_explain]
        + explain_scores(scores)
    )
    return {
        "contract_version": CONTRACT_VERSION,
        "rules_version": RULES_VERSION,
        "overall_tier": tier,
        "patient_screen": patient_screen(tier, red_flags),
        "red_flags": red_flags,
        "notes": notes,
        "precautions": precautions,
        "back_pain": back,
        "headache_phenotype_status": headache["headache_phenotype_status"],
        "headache_phenotypes": headache["headache_phenotypes"],
        "secondary_hint": headache["secondary_hint"],
        "cervicogenic_features_reported": headache["cervicogenic_features_reported"],
        "headache_counts": headache["headache_counts"],
        "moh": med["moh"],
        "acute_med_overuse_threshold_met": med["acute_med_overuse_threshold_met"],
        **cs,
        "cs_footnote": FOOTNOTE,
        "fm_2016_criteria_met": fm,
        "scores": scores,
        "explain": explain,
    }


def evaluate(answers: dict) -> dict:
    """Validate and evaluate one intake. Raises InvalidInput (with every error) on bad input."""
    clean, errors = validate(answers)
    if errors:
        raise InvalidInput(errors)
    return evaluate_valid(clean)
