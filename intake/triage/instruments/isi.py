"""ISI, Insomnia Severity Index, 7 items (reference §1.2.18)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "Insomnia Severity Index (ISI)"
REF = "§1.2.18"
SHIPPABLE = False  # §1.3: copyright C. Morin / Mapi -> bring your own wording
INPUT_KEYS = ("isi",)
N_ITEMS = 7
SCALE = {"type": "integer", "min": 0, "max": 4}
MCID = {"abs": 6, "pct": None, "direction": "lower_is_better"}  # §6.3 [YANG09]; 8.4 = moderate [MORIN11]
# §1.2.18 bands, as lower bounds.
BANDS = ((0, "none"), (8, "subthreshold"), (15, "moderate"), (22, "severe"))

_validate = c.int_list_validator(N_ITEMS, 0, 4)  # §1.2.18: score only when all 7 are answered


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 7 integers 0-4, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Sum 0-28."""
    total = sum(c.ints(value))
    return {"total": total, "band": c.band(total, BANDS)}
