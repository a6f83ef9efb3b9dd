"""NDI, Neck Disability Index, 10 sections (reference §1.2.4)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.util import round_half_up

NAME = "Neck Disability Index (NDI)"
REF = "§1.2.4"
SHIPPABLE = False  # §1.3: licence terms not verified -> bring your own wording
INPUT_KEYS = ("ndi",)
N_ITEMS = 10
SCALE = {"type": "integer", "min": 0, "max": 5, "nullable": True, "labels": "section score; null = skipped"}
MCID = {"abs": 5, "pct": None, "direction": "lower_is_better"}  # §6.3 raw points [VERNON]; ~7 raw in [ABBOTT14]

MIN_SECTIONS = 9  # §1.2.4 PRODUCT RULE: score when >=9 of 10 are answered
# §1.2.4 bands on the raw /50 score, as lower bounds.
BANDS = ((0, "none"), (5, "mild"), (15, "moderate"), (25, "severe"), (35, "complete"))

_validate = c.int_list_validator(N_ITEMS, 0, 5, null=c.NULL_ALLOWED)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 10 section scores, each an integer 0-5 or null (section skipped)."""
    return _validate(value, path)


def score(value: list) -> dict:
    """Raw 0-50 (prorated when one section is missing), percent = raw x 2."""
    answered = c.ints(v for v in value if v is not None)
    n = len(answered)
    if n < MIN_SECTIONS:
        return {
            "total": None,
            "band": None,
            "percent": None,
            "sections_answered": n,
            "estimated": False,
            "not_scored": f"only {n} of {N_ITEMS} sections answered (at least {MIN_SECTIONS} needed)",
        }
    # §1.2.4 PRODUCT RULE and §1.2 prorated totals: sum x 10 / n rounded half-up; bands use that integer.
    raw = sum(answered) if n == N_ITEMS else round_half_up(sum(answered) * N_ITEMS / n)
    return {
        "total": raw,
        "band": c.band(raw, BANDS),
        "percent": raw * 2,
        "sections_answered": n,
        "estimated": n < N_ITEMS,
    }
