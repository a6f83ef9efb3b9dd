"""HIT-6, Headache Impact Test, 6 items (reference §1.2.6)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Headache Impact Test (HIT-6)"
REF = "§1.2.6"
SHIPPABLE = False  # §1.3: (c) QualityMetric / GSK, licence required -> bring your own wording
INPUT_KEYS = ("hit6",)
N_ITEMS = 6
# §1.1: five levels weighted 6, 8, 10, 11, 13 (never -> always).
WEIGHTS = {"never": 6, "rarely": 8, "sometimes": 10, "very_often": 11, "always": 13}
SCALE = {"type": "enum", "values": tuple(WEIGHTS), "weights": WEIGHTS}
MCID = {"abs": 6, "pct": None, "direction": "lower_is_better"}  # §1.2.6 PRODUCT RULE: >=6-point responder
# §1.2.6 bands, as lower bounds: <=49 / 50-55 / 56-59 / >=60.
BANDS = ((0, "little_or_none"), (50, "some"), (56, "substantial"), (60, "severe"))

_validate = c.enum_list_validator(N_ITEMS, tuple(WEIGHTS))


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 6 answers never/rarely/sometimes/very_often/always; all required (§1.2.6 PRODUCT RULE)."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Sum of the item weights, 36-78."""
    total = sum(WEIGHTS[a] for a in value)
    return {"total": total, "band": c.band(total, BANDS)}
