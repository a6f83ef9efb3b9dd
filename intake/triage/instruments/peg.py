"""PEG (pain, enjoyment, general activity), 3 items (reference §1.2.11)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.util import round_half_up

NAME = "PEG"
REF = "§1.2.11"
SHIPPABLE = False  # §1.3: derives from the Brief Pain Inventory; terms not verified -> bring your own wording
INPUT_KEYS = ("peg",)
N_ITEMS = 3
SCALE = {"type": "integer", "min": 0, "max": 10}
# §1.2.11 PRODUCT RULE: provisional >=30 % improvement by analogy with the NPRS; no verified MCID.
MCID = {"abs": None, "pct": 30, "direction": "lower_is_better", "unverified": True, "provisional": True}

_validate = c.int_list_validator(N_ITEMS, 0, 10)  # §1.2.11 PRODUCT RULE: all 3 required


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 3 integers 0-10, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Mean of the 3 items, rounded half-up to 1 decimal (C.10); §1.2.11: no validated bands, ship none."""
    return {"total": round_half_up(sum(c.ints(value)) / N_ITEMS, 1), "band": None}
