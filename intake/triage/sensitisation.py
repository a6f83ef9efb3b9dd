"""Central-sensitisation feature summary, reference.md §3.3 (PRODUCT RULE), with contract E.7.

There is no composite score: each feature F1–F12 is true, false or unknown (None) with its evidence. Nothing here
says "central sensitisation present" or calls anything a diagnosis (§1.2.1, §3.1).
"""

from __future__ import annotations

from .back import is_chronic_back
from .instruments import csi as csi_module
from .instruments import odi

FOOTNOTE = (
    "Feature summary only. Classification requires the clinician to judge disproportionate pain and examine for "
    "hypersensitivity (Nijs 2014; IASP 2021)."
)
REF = "§3.3"
FEATURES = tuple(f"F{i}" for i in range(1, 13))
# §3.3 thresholds, each from the cited instrument or labelled a product choice there.
THRESHOLDS = {
    "headache_history_months": 3,  # F1: > 3 months (E.6)
    "wpi": 7,  # F2
    "csi": csi_module.CUTOFF,  # F3: the CSI's own >= 40 cut-off (§1.2.1), defined once in instruments/csi.py
    "isi": 15,  # F7
    "promis_t": 60,  # F7 (⚠ unverified)
    "sss_item": 2,  # F7 waking unrefreshed; F8 fatigue, cognitive
    "phq9": 10,  # F9
    "gad7": 10,  # F9
    "phq4": 6,  # F9
    "headache_days": 15,  # F10
    "nprs_back": 7,  # F12 (PRODUCT RULE, arbitrary)
    "odi": 41,  # F12: start of the "severe" band
    "rmdq": 14,  # F12 (no source)
}
FREQUENT = ("often", "always")  # F4, F5: 4-point frequency scale
# F6: the central sensitivity syndromes of §3.3 (not neck injury, anxiety or depression).
CSS_CONDITIONS = frozenset(
    {
        "fibromyalgia",
        "chronic_fatigue",
        "ibs",
        "tmd",
        "migraine_or_tension_headache",
        "restless_legs",
        "multiple_chemical_sensitivity",
    }
)


def any_of(*parts: bool | None) -> bool | None:
    """E.7 alternative sources: true if any available source meets it, false if some are available, else unknown."""
    result = None
    for part in parts:
        if part is True:
            return True
        if part is False:
            result = False
    return result


def all_of(*parts: bool | None) -> bool | None:
    """E.7 conjunction (F12): false if any part is false, true if all are true, unknown otherwise."""
    result: bool | None = True
    for part in parts:
        if part is False:
            return False
        if part is not True:
            result = None
    return result


def _total(scores: dict, key: str):
    entry = scores.get(key)
    return entry.get("total") if entry else None


def odi_percent_unrounded(instruments: dict) -> float | None:
    """§1.2.3 ODI % before rounding: C.10 applies F12's ODI ≥ 41 to the unrounded value."""
    sections = instruments.get("odi")
    return None if sections is None else odi.percent(sections)


def evaluate_features(
    a: dict, scores: dict, red_flags: list[dict], headache: dict, med: dict
) -> tuple[dict, list[dict]]:
    """Returns ({"present","absent","unknown","cs_pattern","fm_2016_criteria_met" is left to the caller}, explain)."""
    inst = a.get("instruments", {})
    sss = inst.get("sss")
    back = a.get("has_back_pain") == "yes"
    headache_yes = a.get("has_headache") == "yes"
    urgent_flags = [f["id"] for f in red_flags if f["tier"] in ("URGENT", "EMERGENCY")]
    back_weeks = a.get("back_pain_duration_weeks")

    history = a.get("headache_history_months")
    chronic_back = is_chronic_back(a)
    chronic_headache = headache_yes and history is not None and history > THRESHOLDS["headache_history_months"]
    f1 = chronic_back or chronic_headache

    wpi = scores.get("wpi")
    f2 = None if wpi is None else (wpi["generalised"] or wpi["total"] >= THRESHOLDS["wpi"])

    csi = _total(scores, "csi")
    f3 = None if csi is None else csi >= THRESHOLDS["csi"]

    allodynia, hyper = a.get("allodynia_touch"), a.get("pain_hypersensitivity")
    f4 = any_of(None if allodynia is None else allodynia in FREQUENT, None if hyper is None else hyper in FREQUENT)

    sensory = a.get("sensory_sensitivity")
    f5 = None if sensory is None else sensory in FREQUENT

    csi_b, conditions = inst.get("csi_b"), a.get("diagnosed_conditions")
    f6 = any_of(
        None if csi_b is None else bool(CSS_CONDITIONS & set(csi_b)),
        None if conditions is None else bool(CSS_CONDITIONS & set(conditions)),
    )

    isi = _total(scores, "isi")
    promis = scores.get("promis_sleep")
    promis_t = promis["total"] if promis else None
    unrefreshed = sss["waking_unrefreshed"] if sss else None
    f7 = any_of(
        None if isi is None else isi >= THRESHOLDS["isi"],
        None if promis_t is None else promis_t >= THRESHOLDS["promis_t"],
        None if unrefreshed is None else unrefreshed >= THRESHOLDS["sss_item"],
    )

    fatigue, cognitive = (sss["fatigue"], sss["cognitive"]) if sss else (None, None)
    f8 = None if sss is None else (fatigue >= THRESHOLDS["sss_item"] or cognitive >= THRESHOLDS["sss_item"])

    phq9, gad7, phq4 = _total(scores, "phq9"), _total(scores, "gad7"), _total(scores, "phq4")
    f9 = any_of(
        None if phq9 is None else phq9 >= THRESHOLDS["phq9"],
        None if gad7 is None else gad7 >= THRESHOLDS["gad7"],
        None if phq4 is None else phq4 >= THRESHOLDS["phq4"],
    )

    days, freq = a.get("headache_days_per_month"), a.get("headache_freq_duration")
    chronic_ha_days = headache_yes and days is not None and days >= THRESHOLDS["headache_days"] and freq == "gt_3m"
    # E.7: the 1.3 / 2.3 labels count only while phenotypes are evaluated; suppressed, only the day counts.
    chronic_label = headache["headache_phenotype_status"] == "evaluated" and any(
        [p["code"] in ("1.3", "2.3") for p in headache["headache_phenotypes"]]
    )
    f10 = bool((chronic_ha_days or chronic_label) and chronic_back)

    overuse = med["acute_med_overuse_threshold_met"]
    f11 = bool(overuse)

    major, minor, head_neck = a.get("major_trauma"), a.get("minor_trauma"), a.get("head_neck_trauma")
    nprs, odi, rmdq = inst.get("nprs_back"), _total(scores, "odi"), _total(scores, "rmdq")
    if not back:
        f12 = False
    else:
        odi_pct = odi_percent_unrounded(inst)
        disability = any_of(
            None if odi_pct is None else odi_pct >= THRESHOLDS["odi"],
            None if rmdq is None else rmdq >= THRESHOLDS["rmdq"],
        )
        no_trauma = not (major == "yes" or minor == "yes" or head_neck == "yes")
        nprs_high = None if nprs is None else nprs >= THRESHOLDS["nprs_back"]
        f12 = all_of(nprs_high, disability, no_trauma, not urgent_flags, f1)

    # C.11: one entry per feature, with the answers and scores it read.
    explain = [
        {
            "id": "F1",
            "ref": REF,
            "result": f1,
            "inputs": {"back_pain_duration_weeks": back_weeks, "headache_history_months": history},
        },
        {"id": "F2", "ref": REF, "result": f2, "inputs": {"instruments.wpi": inst.get("wpi")}},
        {"id": "F3", "ref": REF, "result": f3, "inputs": {"scores.csi.total": csi}},
        {
            "id": "F4",
            "ref": REF,
            "result": f4,
            "inputs": {"allodynia_touch": allodynia, "pain_hypersensitivity": hyper},
        },
        {"id": "F5", "ref": REF, "result": f5, "inputs": {"sensory_sensitivity": sensory}},
        {
            "id": "F6",
            "ref": REF,
            "result": f6,
            "inputs": {"instruments.csi_b": csi_b, "diagnosed_conditions": conditions},
        },
        {
            "id": "F7",
            "ref": REF,
            "result": f7,
            "inputs": {
                "scores.isi.total": isi,
                "scores.promis_sleep.total": promis_t,
                "instruments.sss.waking_unrefreshed": unrefreshed,
            },
        },
        {
            "id": "F8",
            "ref": REF,
            "result": f8,
            "inputs": {"instruments.sss.fatigue": fatigue, "instruments.sss.cognitive": cognitive},
        },
        {
            "id": "F9",
            "ref": REF,
            "result": f9,
            "inputs": {"scores.phq9.total": phq9, "scores.gad7.total": gad7, "scores.phq4.total": phq4},
        },
        {
            "id": "F10",
            "ref": REF,
            "result": f10,
            "inputs": {
                "headache_days_per_month": days,
                "headache_freq_duration": freq,
                "back_pain_duration_weeks": back_weeks,
            },
            "detail": {"chronic_phenotype_label": chronic_label},
        },
        {"id": "F11", "ref": REF, "result": f11, "inputs": {"acute_med_overuse_threshold_met": overuse}},
        {
            "id": "F12",
            "ref": REF,
            "result": f12,
            "inputs": {
                "has_back_pain": a.get("has_back_pain"),
                "instruments.nprs_back": nprs,
                "scores.odi.total": odi,
                "scores.rmdq.total": rmdq,
                "major_trauma": major,
                "minor_trauma": minor,
                "head_neck_trauma": head_neck,
            },
            "detail": {"urgent_or_emergency_flags": urgent_flags},
        },
    ]

    if urgent_flags:
        pattern = "deferred_red_flag"
    elif f1 is True and (f2 is True or f3 is True):
        pattern = "possible_cs_related_presentation"
    else:
        pattern = "not_indicated"
    explain.append(
        {
            "id": "CS-PATTERN",
            "ref": REF,
            "result": pattern,
            "inputs": {"F1": f1, "F2": f2, "F3": f3, "urgent_or_emergency_flag": bool(urgent_flags)},
        }
    )
    present, absent, unknown = [], [], []
    for fid, value in zip(FEATURES, (f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12), strict=True):
        if value is True:
            present.append(fid)
        elif value is False:
            absent.append(fid)
        elif value is None:
            unknown.append(fid)
    result = {
        "cs_features_present": present,
        "cs_features_absent": absent,
        "cs_features_unknown": unknown,
        "cs_pattern": pattern,
    }
    return result, explain
