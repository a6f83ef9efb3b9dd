"""PHQ-9, 9 scored items; item 9 (index 8) is also read by the MH-SI safety flag (reference §1.2.8, §2.5)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "PHQ-9"
REF = "§1.2.8"
SHIPPABLE = True  # §1.3: no permission needed to reproduce; ship the exact wording with attribution
INPUT_KEYS = ("phq9",)
N_ITEMS = 9
SCALE = {"type": "integer", "min": 0, "max": 3, "labels": "not at all .. nearly every day (2 weeks)"}
# §6.3 [LOWE04]; the ~20 % relative change holds at moderate baseline severity [KOUN22].
MCID = {"abs": 5, "pct": 20, "direction": "lower_is_better"}
# §1.2.8 bands, as lower bounds.
BANDS = ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately_severe"), (20, "severe"))

# §1.2.8 PRODUCT RULE: all 9 required; item 9 is never imputed.
_validate = c.int_list_validator(N_ITEMS, 0, 3)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 9 integers 0-3, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Sum 0-27; `item9` copies item 9 for the safety flag."""
    items = c.ints(value)
    total = sum(items)
    return {"total": total, "band": c.band(total, BANDS), "item9": items[8]}
