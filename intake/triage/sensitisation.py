"""Central-sensitisation feature summary, reference.md §3.3 (PRODUCT RULE), with contract E.7.

There is no composite score: each feature F1–F12 is true, false or unknown (None) with its evidence. Nothing here
says "central sensitisation present" or calls anything a diagnosis (§1.2.1, §3.1).
"""

from __future__ import annotations

from .back import is_chronic_back

FOOTNOTE = (
    "Feature summary only. Classification requires the clinician to judge disproportionate pain and examine for "
    "hypersensitivity (Nijs 2014; IASP 2021)."
)
FEATURES = tuple(f"F{i}" for i in range(1, 13))
# §3.3 thresholds, each from the cited instrument or labelled a product choice there.
THRESHOLDS = {
    "headache_history_months": 3,  # F1: > 3 months (E.6)
    "wpi": 7,  # F2
    "csi": 40,  # F3
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
    if any(p is True for p in parts):
        return True
    if any(p is False for p in parts):
        return False
    return None


def all_of(*parts: bool | None) -> bool | None:
    """E.7 conjunction (F12): false if any part is false, true if all are true, unknown otherwise."""
    if any(p is False for p in parts):
        return False
    if all(p is True for p in parts):
        return True
    return None


def _total(scores: dict, key: str):
    entry = scores.get(key)
    return entry.get("total") if entry else None


def _at_least(value, threshold) -> bool | None:
    return None if value is None else value >= threshold


def odi_percent_unrounded(instruments: dict) -> float | None:
    """§1.2.3 ODI % before rounding: C.10 applies F12's ODI ≥ 41 to the unrounded value."""
    sections = instruments.get("odi")
    if sections is None:
        return None
    answered = [s for s in sections if s is not None]
    if len(answered) < 9:
        return None
    return sum(answered) / (5 * len(answered)) * 100


def evaluate_features(
    a: dict, scores: dict, red_flags: list[dict], headache: dict, med: dict
) -> tuple[dict, list[dict]]:
    """Returns ({"present","absent","unknown","cs_pattern","fm_2016_criteria_met" is left to the caller}, explain)."""
    inst = a.get("instruments", {})
    sss = inst.get("sss")
    back = a.get("has_back_pain") == "yes"
    headache_yes = a.get("has_headache") == "yes"
    urgent_flags = [f["id"] for f in red_flags if f["tier"] in ("URGENT", "EMERGENCY")]
    f: dict[str, bool | None] = {}
    explain: list[dict] = []

    def add(fid: str, value, inputs: dict, detail: dict | None = None) -> None:
        f[fid] = value
        entry = {"id": fid, "ref": "§3.3", "result": value, "inputs": inputs}
        if detail is not None:
            entry["detail"] = detail
        explain.append(entry)

    history = a.get("headache_history_months")
    chronic_back = is_chronic_back(a)
    chronic_headache = headache_yes and history is not None and history > THRESHOLDS["headache_history_months"]
    add(
        "F1",
        chronic_back or chronic_headache,
        {"back_pain_duration_weeks": a.get("back_pain_duration_weeks"), "headache_history_months": history},
    )

    wpi = scores.get("wpi")
    add(
        "F2",
        None if wpi is None else (wpi["generalised"] or wpi["total"] >= THRESHOLDS["wpi"]),
        {"instruments.wpi": inst.get("wpi")},
    )

    add("F3", _at_least(_total(scores, "csi"), THRESHOLDS["csi"]), {"scores.csi.total": _total(scores, "csi")})

    allodynia, hyper = a.get("allodynia_touch"), a.get("pain_hypersensitivity")
    add(
        "F4",
        any_of(None if allodynia is None else allodynia in FREQUENT, None if hyper is None else hyper in FREQUENT),
        {"allodynia_touch": allodynia, "pain_hypersensitivity": hyper},
    )

    sensory = a.get("sensory_sensitivity")
    add("F5", None if sensory is None else sensory in FREQUENT, {"sensory_sensitivity": sensory})

    csi_b, conditions = inst.get("csi_b"), a.get("diagnosed_conditions")
    add(
        "F6",
        any_of(
            None if csi_b is None else bool(CSS_CONDITIONS & set(csi_b)),
            None if conditions is None else bool(CSS_CONDITIONS & set(conditions)),
        ),
        {"instruments.csi_b": csi_b, "diagnosed_conditions": conditions},
    )

    promis = scores.get("promis_sleep")
    promis_t = promis["total"] if promis else None
    unrefreshed = sss["waking_unrefreshed"] if sss else None
    add(
        "F7",
        any_of(
            _at_least(_total(scores, "isi"), THRESHOLDS["isi"]),
            _at_least(promis_t, THRESHOLDS["promis_t"]),
            _at_least(unrefreshed, THRESHOLDS["sss_item"]),
        ),
        {
            "scores.isi.total": _total(scores, "isi"),
            "scores.promis_sleep.total": promis_t,
            "instruments.sss.waking_unrefreshed": unrefreshed,
        },
    )

    fatigue, cognitive = (sss["fatigue"], sss["cognitive"]) if sss else (None, None)
    add(
        "F8",
        None if sss is None else (fatigue >= THRESHOLDS["sss_item"] or cognitive >= THRESHOLDS["sss_item"]),
        {"instruments.sss.fatigue": fatigue, "instruments.sss.cognitive": cognitive},
    )

    phq9, gad7, phq4 = _total(scores, "phq9"), _total(scores, "gad7"), _total(scores, "phq4")
    add(
        "F9",
        any_of(
            _at_least(phq9, THRESHOLDS["phq9"]),
            _at_least(gad7, THRESHOLDS["gad7"]),
            _at_least(phq4, THRESHOLDS["phq4"]),
        ),
        {"scores.phq9.total": phq9, "scores.gad7.total": gad7, "scores.phq4.total": phq4},
    )

    days, freq = a.get("headache_days_per_month"), a.get("headache_freq_duration")
    chronic_ha_days = headache_yes and days is not None and days >= THRESHOLDS["headache_days"] and freq == "gt_3m"
    # E.7: the 1.3 / 2.3 labels count only while phenotypes are evaluated; suppressed, only the day counts.
    chronic_label = headache["headache_phenotype_status"] == "evaluated" and any(
        p["code"] in ("1.3", "2.3") for p in headache["headache_phenotypes"]
    )
    add(
        "F10",
        bool((chronic_ha_days or chronic_label) and chronic_back),
        {
            "headache_days_per_month": days,
            "headache_freq_duration": freq,
            "back_pain_duration_weeks": a.get("back_pain_duration_weeks"),
        },
        {"chronic_phenotype_label": chronic_label},
    )

    add(
        "F11",
        bool(med["acute_med_overuse_threshold_met"]),
        {"acute_med_overuse_threshold_met": med["acute_med_overuse_threshold_met"]},
    )

    trauma_inputs = {
        "major_trauma": a.get("major_trauma"),
        "minor_trauma": a.get("minor_trauma"),
        "head_neck_trauma": a.get("head_neck_trauma"),
    }
    odi_pct = odi_percent_unrounded(inst)
    rmdq = _total(scores, "rmdq")
    f12_inputs = {
        "has_back_pain": a.get("has_back_pain"),
        "instruments.nprs_back": inst.get("nprs_back"),
        "scores.odi.total": _total(scores, "odi"),
        "scores.rmdq.total": rmdq,
        **trauma_inputs,
    }
    if not back:
        add("F12", False, f12_inputs, {"urgent_or_emergency_flags": urgent_flags})
    else:
        nprs = inst.get("nprs_back")
        disability = any_of(_at_least(odi_pct, THRESHOLDS["odi"]), _at_least(rmdq, THRESHOLDS["rmdq"]))
        no_trauma = not any(v == "yes" for v in trauma_inputs.values())
        add(
            "F12",
            all_of(_at_least(nprs, THRESHOLDS["nprs_back"]), disability, no_trauma, not urgent_flags, f["F1"]),
            f12_inputs,
            {"urgent_or_emergency_flags": urgent_flags},
        )

    if urgent_flags:
        pattern = "deferred_red_flag"
    elif f["F1"] is True and (f["F2"] is True or f["F3"] is True):
        pattern = "possible_cs_related_presentation"
    else:
        pattern = "not_indicated"
    explain.append(
        {
            "id": "CS-PATTERN",
            "ref": "§3.3",
            "result": pattern,
            "inputs": {"F1": f["F1"], "F2": f["F2"], "F3": f["F3"], "urgent_or_emergency_flag": bool(urgent_flags)},
        }
    )
    result = {
        "cs_features_present": [k for k in FEATURES if f[k] is True],
        "cs_features_absent": [k for k in FEATURES if f[k] is False],
        "cs_features_unknown": [k for k in FEATURES if f[k] is None],
        "cs_pattern": pattern,
    }
    return result, explain
