"""PSEQ, Pain Self-Efficacy Questionnaire, 10 items (reference §1.2.17)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Pain Self-Efficacy Questionnaire (PSEQ)"
REF = "§1.2.17"
SHIPPABLE = False  # §1.3: terms not verified -> bring your own wording
INPUT_KEYS = ("pseq",)
N_ITEMS = 10
SCALE = {"type": "integer", "min": 0, "max": 6, "labels": "not at all confident .. completely confident"}
MCID = {"abs": 6, "pct": None, "direction": "higher_is_better"}  # §1.2.17: 5.5 [CHIAR16] -> >=6 on whole totals

_validate = c.int_list_validator(N_ITEMS, 0, 6)  # §1.2.17 PRODUCT RULE: all 10 required


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 10 integers 0-6, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Sum 0-60, higher is better; §1.2.17: cut-offs unverified, raw score only."""
    return {"total": sum(c.ints(value)), "band": None}
