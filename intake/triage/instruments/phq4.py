"""PHQ-4 (GAD-2 + PHQ-2), 4 items (reference §1.2.10)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "PHQ-4"
REF = "§1.2.10"
SHIPPABLE = True  # §1.3 default set (check before release that the PHQ statement covers PHQ-4)
INPUT_KEYS = ("phq4",)
N_ITEMS = 4
SCALE = {"type": "integer", "min": 0, "max": 3, "labels": "not at all .. nearly every day (2 weeks)"}
MCID = None  # §1.2.10: none verified
# §1.2.10 bands on the total, as lower bounds.
BANDS = ((0, "normal"), (3, "mild"), (6, "moderate"), (9, "severe"))
SUBSCALE_POSITIVE = 3  # §1.2.10: either subscale >=3 is positive

_validate = c.int_list_validator(N_ITEMS, 0, 3)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 4 integers 0-3, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Total 0-12; anxiety = items 1-2, depression = items 3-4 (§1.2.10)."""
    items = c.ints(value)
    anxiety, depression = items[0] + items[1], items[2] + items[3]
    total = anxiety + depression
    return {
        "total": total,
        "band": c.band(total, BANDS),
        "anxiety": anxiety,
        "depression": depression,
        "anxiety_positive": anxiety >= SUBSCALE_POSITIVE,
        "depression_positive": depression >= SUBSCALE_POSITIVE,
    }
