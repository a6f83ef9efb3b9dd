"""PSFS, Patient-Specific Functional Scale: 3-5 patient-named activities rated 0-10 (reference §1.2.15)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.util import round_half_up

NAME = "Patient-Specific Functional Scale (PSFS)"
REF = "§1.2.15"
SHIPPABLE = True  # §1.3: ship your own wording
INPUT_KEYS = ("psfs",)
N_ITEMS = None  # 3-5 activities chosen by the patient
MIN_ACTIVITIES, MAX_ACTIVITIES = 3, 5
SCALE = {
    "type": "object_list",
    "min_items": MIN_ACTIVITIES,
    "max_items": MAX_ACTIVITIES,
    "activity": {"type": "text", "non_empty": True},
    "score": {"type": "integer", "min": 0, "max": 10, "labels": "unable .. able at pre-problem level"},
}
# §6.3 [ABBOTT14]: 2.3 = medium change (1.3 small); higher is better. The Stratford "2 points" is unverified.
MCID = {"abs": 2.3, "pct": None, "direction": "higher_is_better"}


def _check_activity(value: Any, path: str) -> list[FieldError]:
    if value is None:
        return [FieldError(path, "required", "activity text missing")]
    if not isinstance(value, str):
        return [FieldError(path, "wrong_type", f"must be text, got {c.describe(value)}")]
    if not value.strip():
        # §1.2.15: the activity text is stored so the same activities are re-rated at follow-up.
        return [FieldError(path, "required", "activity must be non-empty text")]
    return []


FIELDS = {
    "activity": _check_activity,
    "score": lambda v, p: c.check_int(v, p, 0, 10, required_message="score missing"),
}


def _check_activity_object(value: Any, path: str) -> list[FieldError]:
    return c.check_object(value, path, 'an object {"activity": text, "score": 0-10}', FIELDS, FIELDS)


def validate(value: Any, path: str) -> list[FieldError]:
    """A list of 3-5 objects {"activity": non-empty text, "score": integer 0-10}."""
    what = "a list of 3 to 5 activity objects"
    return c.check_list(value, path, what, _check_activity_object, min_len=MIN_ACTIVITIES, max_len=MAX_ACTIVITIES)


def score(value: list) -> dict:
    """Mean of the rated activities, rounded half-up to 1 decimal (C.10); higher is better; no bands."""
    ratings = c.ints(a["score"] for a in value)
    return {"total": round_half_up(sum(ratings) / len(ratings), 1), "band": None, "n_activities": len(ratings)}
