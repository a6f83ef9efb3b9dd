"""NPRS, numeric pain rating scale 0-10, one per site (reference §1.2.12).

One module, two input keys (`nprs_back`, `nprs_head`), each scored separately under its own key (C.10).
"""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Numeric Pain Rating Scale (NPRS)"
REF = "§1.2.12"
SHIPPABLE = True  # §1.3: generic scale; ship your own wording
INPUT_KEYS = ("nprs_back", "nprs_head")
N_ITEMS = 1
SCALE = {"type": "integer", "min": 0, "max": 10}
MCID = {"abs": 2, "pct": 30, "direction": "lower_is_better"}  # §6.3 [FARRAR01][OSTELO08]


def validate(value: Any, path: str) -> list[FieldError]:
    """A single integer 0-10; null is not allowed (leave the key out when not asked)."""
    return c.check_int(value, path, 0, 10, null=c.NULL_WRONG_TYPE)


def score(value: Any) -> dict:
    """The raw number; §1.2.12 PRODUCT RULE: no bands (no universal cut-points)."""
    return {"total": int(value), "band": None}
