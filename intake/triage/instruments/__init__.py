"""Questionnaire instruments: validation (contract B.13) and scoring (contract C.10) of reference §1.

Pure Python, no Django. One module per instrument, all with the same shape:

    NAME, REF, SHIPPABLE, INPUT_KEYS, N_ITEMS, SCALE, MCID      constants (SHIPPABLE per §1.3, MCID per §6.3)
    validate(value, path) -> list[FieldError]                    every problem of that input key
    score(value) -> dict                                         its C.10 entry (value already validated)

Two exceptions to the one-key shape: `csi` reads two input keys (`csi_a`, `csi_b`; `csi.validate_part_b`,
`csi.score(part_a, part_b)`), and `fs` is derived from `wpi` and `sss` (`fs.score(wpi_value, sss_value)`).
`nprs` serves two input keys that are scored separately (`nprs_back`, `nprs_head`).
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType, ModuleType
from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import (
    csi,
    fs,
    gad7,
    hit6,
    id_migraine,
    isi,
    midas,
    ndi,
    nprs,
    odi,
    peg,
    phq4,
    phq9,
    promis_sleep,
    pseq,
    psfs,
    rmdq,
    sss,
    startback,
    wpi,
)
from intake.triage.instruments._common import describe
from intake.triage.instruments.csi import CONDITION_CODES
from intake.triage.instruments.wpi import AREA_REGIONS, fm_2016_criteria_met, fm_2016_explain

__all__ = [
    "AREA_REGIONS",
    "CONDITION_CODES",
    "INPUT_KEYS",
    "INSTRUMENTS",
    "SCORE_KEYS",
    "explain_scores",
    "fm_2016_criteria_met",
    "fm_2016_explain",
    "score_instruments",
    "validate_instruments",
]

# Every allowed key of the `instruments` object, in contract B.13 order, with its validator.
_VALIDATORS: dict[str, Callable[[Any, str], list[FieldError]]] = {
    "csi_a": csi.validate,
    "csi_b": csi.validate_part_b,
    "rmdq": rmdq.validate,
    "odi": odi.validate,
    "ndi": ndi.validate,
    "startback": startback.validate,
    "hit6": hit6.validate,
    "midas": midas.validate,
    "phq9": phq9.validate,
    "gad7": gad7.validate,
    "phq4": phq4.validate,
    "peg": peg.validate,
    "nprs_back": nprs.validate,
    "nprs_head": nprs.validate,
    "psfs": psfs.validate,
    "id_migraine": id_migraine.validate,
    "pseq": pseq.validate,
    "isi": isi.validate,
    "promis_sleep": promis_sleep.validate,
    "wpi": wpi.validate,
    "sss": sss.validate,
}
INPUT_KEYS: tuple[str, ...] = tuple(_VALIDATORS)

# Score key (contract C.10) -> instrument module, in output order: B.13 order, then fs.
INSTRUMENTS: MappingProxyType[str, ModuleType] = MappingProxyType(
    {
        "csi": csi,
        "rmdq": rmdq,
        "odi": odi,
        "ndi": ndi,
        "startback": startback,
        "hit6": hit6,
        "midas": midas,
        "phq9": phq9,
        "gad7": gad7,
        "phq4": phq4,
        "peg": peg,
        "nprs_back": nprs,
        "nprs_head": nprs,
        "psfs": psfs,
        "id_migraine": id_migraine,
        "pseq": pseq,
        "isi": isi,
        "promis_sleep": promis_sleep,
        "wpi": wpi,
        "sss": sss,
        "fs": fs,
    }
)
SCORE_KEYS: tuple[str, ...] = tuple(INSTRUMENTS)


def validate_instruments(value: Any, path: str = "instruments") -> list[FieldError]:
    """Every problem of the `instruments` object (contract B.13): its type, unknown keys, each instrument."""
    if not isinstance(value, dict):
        return [
            FieldError(path, "wrong_type", f"must be an object ({{}} when no questionnaire), got {describe(value)}")
        ]
    errors: list[FieldError] = []
    for key in value:
        if key not in _VALIDATORS:
            errors.append(FieldError(f"{path}.{key}", "unknown_field", "not an instrument key of contract B.13"))
    for key, validator in _VALIDATORS.items():
        if key in value:
            errors += validator(value[key], f"{path}.{key}")
    return errors


def score_instruments(value: dict) -> dict:
    """The whole `scores` object (contract C.10) of a validated `instruments` object.

    One entry per instrument given (an absent instrument is never scored or imputed, B.13); `csi` when
    `csi_a` or `csi_b` was given; `fs` when both `wpi` and `sss` were given.
    """
    scores: dict[str, dict] = {}
    for key in INPUT_KEYS:
        if key not in value:
            continue
        if key in csi.INPUT_KEYS:
            if "csi" not in scores:
                scores["csi"] = csi.score(value.get("csi_a"), value.get("csi_b"))
        else:
            scores[key] = INSTRUMENTS[key].score(value[key])
    if all(k in value for k in fs.REQUIRES):
        scores["fs"] = fs.score(value["wpi"], value["sss"])
    return scores


def explain_scores(scores: dict) -> list[dict]:
    """One `SCORE-<key>` explain entry per score (contract C.11), result = the total."""
    entries = []
    for key, entry in scores.items():
        item: dict[str, Any] = {
            "id": f"SCORE-{key}",
            "ref": INSTRUMENTS[key].REF,
            "result": entry["total"],
            "inputs": {},
        }
        if "not_scored" in entry:
            item["detail"] = {"not_scored": entry["not_scored"]}
        entries.append(item)
    return entries
