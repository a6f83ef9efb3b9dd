"""RMDQ, Roland-Morris Disability Questionnaire, 24 items (reference §1.2.2)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Roland-Morris Disability Questionnaire (RMDQ)"
REF = "§1.2.2"
SHIPPABLE = True  # §1.3: "no permission is required" in the published form; ship unchanged, with attribution
INPUT_KEYS = ("rmdq",)
N_ITEMS = 24
SCALE = {"type": "boolean", "labels": "ticked = applies today"}
MCID = {"abs": 5, "pct": 30, "direction": "lower_is_better"}  # §6.3 [OSTELO08]; floor: baseline < 4

# §1.2.2 PRODUCT RULE: a tick list, so no item can be missing; B.13 sends all 24 booleans.
_validate = c.bool_list_validator(N_ITEMS)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 24 booleans (true = ticked)."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Count of ticked statements, 0-24; §1.2.2: no official bands."""
    return {"total": sum(1 for v in value if v is True), "band": None}
