"""FS, Fibromyalgia Symptom scale = WPI + SSS, 0-31 (reference §1.2.14, 2011 self-report modification).

Derived, not an input: `scores.fs` exists when both `wpi` and `sss` were given (contract C.10).
"""

from __future__ import annotations

from intake.triage.instruments import sss, wpi

NAME = "Fibromyalgia Symptom scale (FS = WPI + SSS)"
REF = "§1.2.14"
SHIPPABLE = True  # computed from WPI and SSS, which ship (§1.3)
INPUT_KEYS: tuple[str, ...] = ()  # derived from `wpi` and `sss`
REQUIRES = ("wpi", "sss")
N_ITEMS = None
SCALE = {"type": "derived", "min": 0, "max": 31}
MCID = None


def score(wpi_value: list, sss_value: dict) -> dict:
    """FS = WPI total + SSS total, from the validated `wpi` and `sss` values; no bands."""
    return {"total": wpi.score(wpi_value)["total"] + sss.score(sss_value)["total"], "band": None}
