"""SSS, Symptom Severity Scale of the 2016 fibromyalgia criteria (reference §1.2.14)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Symptom Severity Scale (SSS, 2016 fibromyalgia criteria)"
REF = "§1.2.14"
SHIPPABLE = True  # §1.3: published criteria; ship your own wording with attribution
INPUT_KEYS = ("sss",)
N_ITEMS = 6  # 3 symptoms rated 0-3 plus 3 yes/no symptoms
SEVERITY_KEYS = ("fatigue", "waking_unrefreshed", "cognitive")  # §1.2.14 step 1: each 0-3 over the past week
SYMPTOM_KEYS = ("headaches", "lower_abdominal_pain", "depression")  # step 2: 1 point each, past 6 months
DURATION_KEY = "symptoms_3mo_plus"  # 2016 criterion 3 (contract B.13); not part of the score
SCALE = {
    "type": "object",
    **{k: {"type": "integer", "min": 0, "max": 3} for k in SEVERITY_KEYS},
    **{k: {"type": "boolean"} for k in (*SYMPTOM_KEYS, DURATION_KEY)},
}
MCID = None  # none given in §6.3

_REQUIRED_MESSAGE = "missing (all 7 SSS keys are required)"  # §1.2.14 PRODUCT RULE: all 6 components required
FIELDS = {
    **{k: (lambda v, p: c.check_int(v, p, 0, 3, required_message=_REQUIRED_MESSAGE)) for k in SEVERITY_KEYS},
    **{k: (lambda v, p: c.check_bool(v, p, required_message=_REQUIRED_MESSAGE)) for k in (*SYMPTOM_KEYS, DURATION_KEY)},
}


def validate(value: Any, path: str) -> list[FieldError]:
    """Object with exactly the 7 keys: three integers 0-3 and four booleans, all required."""
    return c.check_object(value, path, "an object with the 7 SSS keys", FIELDS, required=FIELDS)


def score(value: dict) -> dict:
    """SSS 0-12 = the three 0-3 ratings + 1 per yes symptom; `symptoms_3mo_plus` does not score."""
    total = sum(int(value[k]) for k in SEVERITY_KEYS) + sum(1 for k in SYMPTOM_KEYS if value[k] is True)
    return {"total": total, "band": None}
