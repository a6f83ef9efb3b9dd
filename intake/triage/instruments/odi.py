"""ODI, Oswestry Disability Index v2.1a, 10 sections (reference §1.2.3)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.util import round_half_up

NAME = "Oswestry Disability Index (ODI) v2.1a"
REF = "§1.2.3"
SHIPPABLE = False  # §1.3: copyright J. Fairbank / Mapi -> bring your own wording
INPUT_KEYS = ("odi",)
N_ITEMS = 10
SCALE = {"type": "integer", "min": 0, "max": 5, "nullable": True, "labels": "section score; null = skipped"}
MCID = {"abs": 10, "pct": 30, "direction": "lower_is_better"}  # §6.3 [OSTELO08]; 12 in [ABBOTT14]

# §1.2.3 PRODUCT RULE: score when >=9 of 10 sections are answered (a clinic may lower it to 8, but
# contract E.10 keeps the default for this contract version).
MIN_SECTIONS = 9

# §1.2.3 bands on the percentage. The table reads 0-20 / 21-40 / ...; applied to the unrounded value
# (contract C.10) each band ends at its upper number, so only values above 20 are "moderate", etc.
BANDS_UPPER = ((20, "minimal"), (40, "moderate"), (60, "severe"), (80, "crippled"), (100, "bed_bound"))

_validate = c.int_list_validator(N_ITEMS, 0, 5, null=c.NULL_ALLOWED)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 10 section scores, each an integer 0-5 or null (section skipped)."""
    return _validate(value, path)


def band(percent: float) -> str:
    for upper, name in BANDS_UPPER:
        if percent <= upper:
            return name
    return BANDS_UPPER[-1][1]


def percent(value: list, min_sections: int = MIN_SECTIONS) -> float | None:
    """The unrounded percentage, or None when too few sections are answered (§1.2.3).

    C.10 applies thresholds to this unrounded value (the bands here, and §3.3 F12's ODI >= 41).
    """
    answered = [v for v in value if v is not None]
    if len(answered) < min_sections:
        return None
    # One division keeps the float exact enough for half-up rounding (16/45 x 100 -> 35.6, §1.2.3).
    return sum(answered) * 20 / len(answered)


def score(value: list, min_sections: int = MIN_SECTIONS) -> dict:
    """Percentage = sum / (5 x sections answered) x 100, reported rounded half-up to 1 decimal (C.10)."""
    answered = c.ints(v for v in value if v is not None)
    n = len(answered)
    if n < min_sections:
        return {
            "total": None,
            "band": None,
            "sections_answered": n,
            "not_scored": f"only {n} of {N_ITEMS} sections answered (at least {min_sections} needed)",
        }
    pct = percent(answered, min_sections)
    return {"total": round_half_up(pct, 1), "band": band(pct), "sections_answered": n}
