"""PROMIS Sleep Disturbance short forms 4a / 6a / 8a (reference §1.2.19).

The raw-sum -> T-score table is licensed, so the caller supplies `t_score` (contract B.13); the engine
only reports the raw sum and bands the supplied T-score.
"""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "PROMIS Sleep Disturbance"
REF = "§1.2.19"
SHIPPABLE = False  # §1.3: integration into technology needs written HealthMeasures permission -> BYO
INPUT_KEYS = ("promis_sleep",)
N_ITEMS = None  # 4, 6 or 8 by form
FORM_ITEMS = {"4a": 4, "6a": 6, "8a": 8}
SCALE = {
    "type": "object",
    "form": tuple(FORM_ITEMS),
    "items": {"type": "integer", "min": 1, "max": 5, "labels": "7-day recall"},
    "t_score": {"type": "number", "optional": True},
}
MCID = None  # §1.2.19 / §6.3: none verified; show the T-score change
# §1.2.19 bands on T, UNVERIFIED [FOWH]: 55-59.9 mild, 60-69.9 moderate, >=70 severe; below 55 no band.
BANDS = ((55, "mild"), (60, "moderate"), (70, "severe"))
BANDS_UNVERIFIED = True


def _item_check(value: Any, path: str) -> list[FieldError]:
    return c.check_int(value, path, 1, 5)  # all items required (B.13)


def validate(value: Any, path: str) -> list[FieldError]:
    """Object {"form": "4a"|"6a"|"8a", "items": [4/6/8 integers 1-5 matching the form], "t_score": number}."""
    form = value.get("form") if isinstance(value, dict) else None
    n_items = FORM_ITEMS.get(form) if isinstance(form, str) else None

    def check_items(items: Any, items_path: str) -> list[FieldError]:
        what = "a list of 4, 6 or 8 integers from 1 to 5"
        if n_items is None:  # form missing or invalid: accept any of the three lengths
            return c.check_list(items, items_path, what, _item_check, lengths=tuple(FORM_ITEMS.values()))
        errors = c.check_list(items, items_path, what, _item_check)
        if isinstance(items, list) and len(items) != n_items:
            # The nested forms share items; a count that does not match the form is a length problem.
            errors.insert(
                0, FieldError(items_path, "wrong_length", f"form {form} has {n_items} items, got {len(items)}")
            )
        return errors

    fields = {
        "form": lambda v, p: c.check_enum(v, p, tuple(FORM_ITEMS), required_message="form missing"),
        "items": check_items,
        "t_score": lambda v, p: c.check_number(v, p, null=c.NULL_WRONG_TYPE),
    }
    what = 'an object {"form": ..., "items": [...], "t_score": ...}'
    return c.check_object(value, path, what, fields, required=("form", "items"))


def score(value: dict) -> dict:
    """`total` is the supplied T-score (or null); `raw` is the sum of the items."""
    t_score = value.get("t_score")
    if t_score is not None and float(t_score).is_integer():
        t_score = int(t_score)
    return {
        "total": t_score,
        "band": c.band(t_score, BANDS) if t_score is not None else None,
        "raw": sum(c.ints(value["items"])),
        "form": value["form"],
    }
