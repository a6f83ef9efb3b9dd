"""MIDAS, Migraine Disability Assessment: 5 scored day counts plus unscored items A and B (reference §1.2.7)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Migraine Disability Assessment (MIDAS)"
REF = "§1.2.7"
SHIPPABLE = False  # §1.3: copyright holder not verified -> bring your own wording
INPUT_KEYS = ("midas",)
N_ITEMS = 5
SCALE = {
    "type": "object",
    "items": {"type": "integer", "min": 0, "max": 92, "labels": "days in the last 3 months"},
    "a": {"type": "integer", "min": 0, "max": 92, "optional": True, "labels": "headache days in 3 months"},
    "b": {"type": "integer", "min": 0, "max": 10, "optional": True, "labels": "average pain 0-10"},
}
# §1.2.7 / §6.3, UNVERIFIED [AHS19]: >=5 points when the baseline is 11-20; >=30 % when the baseline is >20.
MCID = {
    "abs": 5,
    "pct": 30,
    "direction": "lower_is_better",
    "abs_baseline": (11, 20),
    "pct_baseline_above": 20,
    "unverified": True,
}
# §1.2.7 grades, as lower bounds: 0-5 I, 6-10 II, 11-20 III, >=21 IV.
BANDS = ((0, "I"), (6, "II"), (11, "III"), (21, "IV"))
MAX_DAYS = 92  # §1.2.7: validate each item as an integer 0-92


def _validate_items(value: Any, path: str) -> list[FieldError]:
    what = f"a list of {N_ITEMS} integers from 0 to {MAX_DAYS}"
    return c.check_list(value, path, what, lambda v, p: c.check_int(v, p, 0, MAX_DAYS), length=N_ITEMS)


FIELDS = {
    "items": _validate_items,
    # `a` and `b` are optional: leave them out rather than sending null (B.1).
    "a": lambda v, p: c.check_int(v, p, 0, MAX_DAYS, null=c.NULL_WRONG_TYPE),
    "b": lambda v, p: c.check_int(v, p, 0, 10, null=c.NULL_WRONG_TYPE),
}


def validate(value: Any, path: str) -> list[FieldError]:
    """Object {"items": [5 integers 0-92], "a": 0-92 (optional), "b": 0-10 (optional)}."""
    return c.check_object(value, path, 'an object {"items": [...], "a": ..., "b": ...}', FIELDS, required=("items",))


def score(value: dict) -> dict:
    """Sum of the 5 items; items A and B are copied, never added (§1.2.7)."""
    total = sum(c.ints(value["items"]))
    item_a = int(value["a"]) if "a" in value else None
    item_b = int(value["b"]) if "b" in value else None
    return {"total": total, "band": c.band(total, BANDS), "item_a": item_a, "item_b": item_b}
