"""ID-Migraine screen, 3 yes/no items (reference §1.2.16)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "ID-Migraine"
REF = "§1.2.16"
SHIPPABLE = False  # §1.3: trademarked name, licence not verified -> bring your own wording
INPUT_KEYS = ("id_migraine",)
N_ITEMS = 3  # disability, nausea, light sensitivity (3-month recall)
SCALE = {"type": "boolean", "labels": "yes = true"}
MCID = None  # a screen, not an outcome measure
POSITIVE_AT = 2  # §1.2.16: positive when >=2 of 3 are yes

_validate = c.bool_list_validator(N_ITEMS)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 3 booleans, all required."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Number of yes answers; band positive/negative."""
    total = sum(1 for v in value if v is True)
    return {"total": total, "band": "positive" if total >= POSITIVE_AT else "negative"}
