"""WPI, Widespread Pain Index, and the 2016 fibromyalgia criteria (reference §1.2.14)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c
from intake.triage.instruments import sss

NAME = "Widespread Pain Index (WPI, 2016 fibromyalgia criteria)"
REF = "§1.2.14"
SHIPPABLE = True  # §1.3: published criteria; ship your own wording for body areas, with attribution
INPUT_KEYS = ("wpi",)

# Contract B.13 area codes -> §1.2.14 region (1 left upper, 2 right upper, 3 left lower, 4 right lower, 5 axial).
AREA_REGIONS = {
    "left_jaw": 1,
    "left_shoulder_girdle": 1,
    "left_upper_arm": 1,
    "left_lower_arm": 1,
    "right_jaw": 2,
    "right_shoulder_girdle": 2,
    "right_upper_arm": 2,
    "right_lower_arm": 2,
    "left_hip": 3,
    "left_upper_leg": 3,
    "left_lower_leg": 3,
    "right_hip": 4,
    "right_upper_leg": 4,
    "right_lower_leg": 4,
    "neck": 5,
    "upper_back": 5,
    "lower_back": 5,
    "chest": 5,
    "abdomen": 5,
}
AREA_CODES = tuple(AREA_REGIONS)
REGION_NAMES = {1: "left upper", 2: "right upper", 3: "left lower", 4: "right lower", 5: "axial"}
# §1.2.14: jaw, chest and abdominal pain do not count towards generalised pain.
NOT_GENERALISED = frozenset({"left_jaw", "right_jaw", "chest", "abdomen"})
GENERALISED_MIN_REGIONS = 4  # §1.2.14: pain in at least 4 of the 5 regions

N_ITEMS = len(AREA_CODES)  # 19
SCALE = {"type": "codes", "values": AREA_CODES, "labels": "pain in the past week; unticked = no pain"}
MCID = None  # none given in §6.3


def validate(value: Any, path: str) -> list[FieldError]:
    """A list of WPI area codes, no duplicates; [] = no painful area (§1.2.14: unticked = no pain)."""
    return c.check_codes(value, path, AREA_CODES, "WPI area code")


def generalised_regions(areas: list[str]) -> int:
    """Number of regions (0-5) with a painful area that counts towards generalised pain."""
    return len({AREA_REGIONS[a] for a in areas if a not in NOT_GENERALISED})


def score(value: list) -> dict:
    """WPI 0-19 = areas ticked; plus generalised_regions and generalised (>=4 regions)."""
    regions = generalised_regions(value)
    return {
        "total": len(value),
        "band": None,
        "generalised_regions": regions,
        "generalised": regions >= GENERALISED_MIN_REGIONS,
    }


def fm_2016_criteria_met(instruments: dict, scores: dict) -> bool | None:
    """§1.2.14 2016 criteria from validated `instruments` (and their `scores`, recomputed when absent).

    Null when `wpi` or `sss` was not given (contract C.1). Met only when (WPI >=7 and SSS >=5, or WPI 4-6 and
    SSS >=9) and pain is generalised and symptoms have lasted >=3 months. Criterion 4 ("whatever other
    diagnoses") needs no input: other diagnoses never make it false.
    """
    if "wpi" not in instruments or "sss" not in instruments:
        return None
    wpi_entry = scores.get("wpi") or score(instruments["wpi"])
    sss_entry = scores.get("sss") or sss.score(instruments["sss"])
    w, s = wpi_entry["total"], sss_entry["total"]
    severity = (w >= 7 and s >= 5) or (4 <= w <= 6 and s >= 9)
    return bool(severity and wpi_entry["generalised"] and instruments["sss"][sss.DURATION_KEY] is True)


def fm_2016_explain(instruments: dict, scores: dict) -> dict:
    """The `FM-2016` explain entry (contract C.11, as in the part G example)."""
    inputs: dict[str, Any] = {}
    if "wpi" in instruments:
        wpi_entry = scores.get("wpi") or score(instruments["wpi"])
        inputs["scores.wpi.total"] = wpi_entry["total"]
    if "sss" in instruments:
        inputs["scores.sss.total"] = (scores.get("sss") or sss.score(instruments["sss"]))["total"]
    if "wpi" in instruments:
        inputs["scores.wpi.generalised_regions"] = wpi_entry["generalised_regions"]
    if "sss" in instruments:
        inputs[f"instruments.sss.{sss.DURATION_KEY}"] = instruments["sss"][sss.DURATION_KEY]
    return {"id": "FM-2016", "ref": REF, "result": fm_2016_criteria_met(instruments, scores), "inputs": inputs}
