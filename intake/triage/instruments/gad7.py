"""GAD-7, 7 items (reference §1.2.9)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "GAD-7"
REF = "§1.2.9"
SHIPPABLE = True  # §1.3: no permission needed to reproduce; ship the exact wording with attribution
INPUT_KEYS = ("gad7",)
N_ITEMS = 7
SCALE = {"type": "integer", "min": 0, "max": 3, "labels": "not at all .. nearly every day (2 weeks)"}
MCID = {"abs": 4, "pct": None, "direction": "lower_is_better"}  # §6.3 [TOUS20]
# §1.2.9: 5 = mild, 10 = moderate, 15 = severe; contract C.10 names 0-4 "minimal".
BANDS = ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))

_validate = c.int_list_validator(N_ITEMS, 0, 3)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 7 integers 0-3, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Sum 0-21."""
    total = sum(c.ints(value))
    return {"total": total, "band": c.band(total, BANDS)}
