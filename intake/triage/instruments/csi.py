"""CSI, Central Sensitization Inventory: Part A scored, Part B context only (reference §1.2.1).

Input keys `csi_a` and `csi_b` (contract B.13) give one score entry, `csi` (contract C.10).
"""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.util import round_half_up

NAME = "Central Sensitization Inventory (CSI)"
REF = "§1.2.1"
SHIPPABLE = False  # §1.3: copyright the authors, licence not found -> bring your own wording
INPUT_KEYS = ("csi_a", "csi_b")
N_ITEMS = 25
SCALE = {"type": "integer", "min": 0, "max": 4, "nullable": True, "labels": "never .. always"}
MCID = None  # §1.2.1 / §6.3: none established; report a change of band instead

# §1.2.1 Part B conditions, in reference order; contract B.13 gives the codes. The engine validates
# `diagnosed_conditions` against this same tuple.
CONDITION_CODES = (
    "restless_legs",
    "chronic_fatigue",
    "fibromyalgia",
    "tmd",
    "migraine_or_tension_headache",
    "ibs",
    "multiple_chemical_sensitivity",
    "neck_injury",
    "anxiety_panic",
    "depression",
)

# §1.2.1 severity bands [NEB17], as lower bounds.
BANDS = ((0, "subclinical"), (30, "mild"), (40, "moderate"), (50, "severe"), (60, "extreme"))
CUTOFF = 40  # §1.2.1: >=40 screening threshold (also Nijs criterion 3 and §3.3 F3)
MAX_MISSING = 2  # §1.2.1 PRODUCT RULE: 1-2 missing -> prorated estimate; 3 or more -> not scored

_validate_part_a = c.int_list_validator(N_ITEMS, 0, 4, null=c.NULL_ALLOWED)


def validate(value: Any, path: str) -> list[FieldError]:
    """`csi_a`: exactly 25 items, each an integer 0-4 or null (unanswered)."""
    return _validate_part_a(value, path)


def validate_part_b(value: Any, path: str) -> list[FieldError]:
    """`csi_b`: condition codes, no duplicates; [] means none."""
    return c.check_codes(value, path, CONDITION_CODES, "condition code")


def score(part_a: list | None, part_b: list | None = None) -> dict:
    """The C.10 `csi` entry from validated `csi_a` and/or `csi_b` (None = that key was not given)."""
    # C.10: part_b is the sorted codes, [] when csi_b is [], null when csi_b is absent.
    codes = sorted(part_b) if part_b is not None else None
    if part_a is None:
        # C.10: csi_b alone is context only (§1.2.1 "Part B is not scored").
        return {
            "total": None,
            "band": None,
            "estimated": False,
            "n_missing": None,
            "ge_40": None,
            "part_b": codes,
            "not_scored": "part A not given",
        }
    answered = c.ints(v for v in part_a if v is not None)
    n_missing = N_ITEMS - len(answered)
    if n_missing > MAX_MISSING:
        return {
            "total": None,
            "band": None,
            "estimated": False,
            "n_missing": n_missing,
            "ge_40": None,
            "part_b": codes,
            "not_scored": f"{n_missing} items missing (at most {MAX_MISSING} may be missing)",
        }
    if n_missing:
        # §1.2 prorated totals: sum x 25 / n_answered, rounded half-up; bands and >=40 use that whole number.
        total = round_half_up(sum(answered) * N_ITEMS / len(answered))
    else:
        total = sum(answered)
    return {
        "total": total,
        "band": c.band(total, BANDS),
        "estimated": n_missing > 0,
        "n_missing": n_missing,
        "ge_40": total >= CUTOFF,
        "part_b": codes,
    }
