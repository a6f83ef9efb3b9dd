"""Builders of valid follow-up documents for the change-rule tests (docs/checkin-contract.md part B).

`document(baseline, [checkin(...), ...])` wraps a baseline intake (tests/engine/builders.intake) and its check-ins;
`answers(baseline, time_point, **overrides)` is a complete check-in with every red-flag answer "no" and nothing of
note, asking exactly what the field table asks for this baseline and time point. Keys set to DROP are removed.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

from intake.triage import RULES_VERSION, evaluate
from intake.triage import checkin_schema as cs

from .builders import DROP

BASELINE_DATE = date(2026, 1, 5)
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
DEFAULTS = {
    "nprs_back": 5,
    "nprs_head": 5,
    "ha_days_window": 2,
    "migraine_days_window": 0,
    "pgic": 4,
    "leg_pain_below_knee": "none",
    "onset_to_peak": "no_headache",
    "postpartum_weeks": None,
}


def answers(baseline: dict, time_point: str = "week6", **overrides) -> dict:
    view = cs.baseline_view(baseline, evaluate(baseline), time_point)
    a: dict = {"med_days_window": dict(NO_MEDS)}
    if view["_weeks"] >= cs.EXTENDED_FROM_WEEK:
        a["instruments"] = {"phq4": [0, 0, 0, 0]}
    for key, value in overrides.items():
        if value is not DROP:
            a[key] = value
    for name in cs.required_fields(view, a):
        if name in a or name in overrides:
            continue
        spec = cs.FIELD_BY_KEY[name]
        if name in DEFAULTS:
            a[name] = DEFAULTS[name]
        elif spec.kind == "enum":
            a[name] = "no"
    return copy.deepcopy(a)


def checkin(time_point: str, answers_: dict | None = None, *, day: int | None = None, status: str = "answered"):
    if status == "missed":
        return {"time_point": time_point, "status": "missed"}
    day = cs.TIME_POINTS[time_point]["target_day"] if day is None else day
    return {
        "time_point": time_point,
        "answered_on": (BASELINE_DATE + timedelta(days=day)).isoformat(),
        "answers": answers_,
    }


def document(baseline: dict, checkins: list[dict], **overrides) -> dict:
    doc = {
        "baseline": baseline,
        "rules_version": RULES_VERSION,
        "baseline_date": BASELINE_DATE.isoformat(),
        "checkins": checkins,
    }
    doc.update(overrides)
    return copy.deepcopy(doc)
