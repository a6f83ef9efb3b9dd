"""Back-pain classification, reference.md §5: duration category, NIH chronic LBP, pain pattern, STarT, axSpA count."""

from __future__ import annotations

from .red_flags import axspa_criteria

# §5.1: ACP 2017 boundaries (acute < 4 weeks, subacute 4–12, chronic > 12). The acute/subacute boundary is
# configurable (some guidelines use 6 weeks, ⚠ unverified); contract E.10 fixes the ACP default for contract v1.
SETTINGS = {"subacute_from_weeks": 4, "chronic_after_weeks": 12}

PATTERN_LABELS = (
    "specific_cause_suspected",
    "radicular_features_likely",
    "radicular_features_possible",
    "nonspecific_lbp",
)


def duration_category(weeks: int, settings: dict = SETTINGS) -> str:
    if weeks < settings["subacute_from_weeks"]:
        return "acute"
    if weeks <= settings["chronic_after_weeks"]:
        return "subacute"
    return "chronic"


def is_chronic_back(a: dict, settings: dict = SETTINGS) -> bool:
    """§5.1 chronic (> 12 weeks), also read by §3.3 F1/F10 and the NIH definition (contract E.6)."""
    weeks = a.get("back_pain_duration_weeks")
    return a.get("has_back_pain") == "yes" and weeks is not None and weeks > settings["chronic_after_weeks"]


def _leg_pattern(a: dict) -> tuple[str, dict]:
    """§5.2 rows 2–4 (the self-report cluster of KONST12)."""
    below_knee = a.get("leg_pain_below_knee") in ("left", "right", "both")
    leg_worse = a.get("leg_vs_back") == "leg_worse"
    paraesthesia = a.get("leg_paraesthesia") == "yes"
    weakness_with_leg_pain = a.get("leg_weakness_new") == "yes" and a.get("leg_pain") == "yes"
    if below_knee and leg_worse and paraesthesia:
        label = "radicular_features_likely"
    elif (below_knee and (leg_worse or paraesthesia)) or weakness_with_leg_pain:
        label = "radicular_features_possible"
    else:
        label = "nonspecific_lbp"
    inputs = {
        "leg_pain": a.get("leg_pain"),
        "leg_pain_below_knee": a.get("leg_pain_below_knee"),
        "leg_vs_back": a.get("leg_vs_back"),
        "leg_paraesthesia": a.get("leg_paraesthesia"),
        "leg_weakness_new": a.get("leg_weakness_new"),
    }
    return label, inputs


def evaluate_back(a: dict, red_flags: list[dict], scores: dict) -> tuple[dict | None, list[dict]]:
    """Returns (the C.6 back_pain object or None without back pain, explain entries)."""
    if a.get("has_back_pain") != "yes":
        return None, []
    weeks = a["back_pain_duration_weeks"]
    category = duration_category(weeks)
    nih = is_chronic_back(a) and a["back_pain_days_past_6m"] == "half_or_more"
    leg_label, leg_inputs = _leg_pattern(a)
    # §5.2: any LBP flag at URGENT or EMERGENCY, or LBP-AXSPA, takes precedence; the leg label is shown as well.
    specific = [
        f["id"]
        for f in red_flags
        if f["id"].startswith("LBP-") and (f["tier"] in ("URGENT", "EMERGENCY") or f["id"] == "LBP-AXSPA")
    ]
    pattern = "specific_cause_suspected" if specific else leg_label
    startback = scores.get("startback")
    back = {
        "duration_category": category,
        "duration_weeks": weeks,
        "nih_chronic_lbp": nih,
        "pattern": pattern,
        "pattern_secondary": [leg_label] if specific else [],
        "startback_group": startback["band"] if startback else None,
        "startback_total": startback["total"] if startback else None,
        "startback_psych": startback["psych"] if startback else None,
        "axspa_criteria_count": len(axspa_criteria(a)),
    }
    explain = [
        {"id": "BACK-DURATION", "ref": "§5.1", "result": category, "inputs": {"back_pain_duration_weeks": weeks}},
        {
            "id": "BACK-NIH",
            "ref": "§5.1",
            "result": nih,
            "inputs": {"back_pain_duration_weeks": weeks, "back_pain_days_past_6m": a["back_pain_days_past_6m"]},
        },
        {
            "id": "BACK-PATTERN",
            "ref": "§5.2",
            "result": pattern,
            "inputs": leg_inputs,
            "detail": {"specific_cause_flags": specific, "leg_pattern": leg_label},
        },
    ]
    return back, explain
